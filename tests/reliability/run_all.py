#!/usr/bin/env python3
"""Runs `tasklab run` on every bad input of tests/reliability and classifies how each ended.

    run_all.py --tasklab PATH [--cases DIR] [--timeout S] [--memory MIB] [--no-generated] [-v] [FILE...]

Three sets of files run, each under a limit of S seconds of CPU time (RLIMIT_CPU, so a busy
machine does not turn a slow run into a hang; a wall-clock limit of ten times S backs it up)
and an address-space limit (RLIMIT_AS):
  - the reproducers at the top of tests/reliability, each with the exit status and a text its
    output or diagnostics must contain listed in expected.txt (a file missing there fails);
  - every file under cases/ (inputs that once made the front ends hang or blow up);
  - unless --no-generated, the deep-expression inputs this script writes into a temporary
    directory: long `-`, `??`, `**`, `.first!`, `[0]`, `not`, `try`, `as`, `lambda`,
    conditional and comparison chains, deep brackets and blocks, too large to commit.
Each run is one of:

  clean  a listed file: the status and text expected.txt gives; any other file: exit status
         0 (the program's output), 1 (an uncaught scenario error), 3 (diagnostics) or 4 (a
         runtime limit), and any non-zero status came with an `error:` message
  crash  killed by a signal (SIGSEGV, SIGABRT from a sanitizer or std::terminate, ...)
  oom    the address-space limit was hit (std::bad_alloc, or killed while out of memory)
  hang   used S seconds of CPU time (killed by SIGXCPU), or still running after 10 S seconds
  other  any other exit status, a non-zero status with no message, a listed file that ended
         otherwise than expected.txt says, or a reproducer missing from expected.txt

Prints one line per non-clean file (every file with -v) and a count per class; exits 1 when
any run was not clean. The limits are generous for a teaching scenario: real runs of these
files finish in well under a second or two and a few hundred MiB at most.
"""

import argparse
import os
import pathlib
import resource
import signal
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
CLEAN_STATUSES = {0, 1, 3, 4}


def generated_cases(directory: pathlib.Path) -> list[pathlib.Path]:
    """Writes the deep-expression inputs (a few hundred KB each) and returns their paths."""
    cases = {
        "swift_binary_chain_40k.swift": "let x = 1" + " - 1" * 40000 + "\nprint(x)\n",
        "py_binary_chain_40k.py": "x = 1" + " - 1" * 40000 + "\nprint(x)\n",
        "swift_postfix_chain_20k.swift": "let x = [1]" + ".first!" * 20000 + "\n",
        "swift_nil_coalesce_100k.swift": "let a: Int? = nil\nlet x = " + " ?? ".join(["a"] * 100000) + " ?? 1\n",
        "py_power_chain_100k.py": "x = " + "**".join(["1"] * 100000) + "\n",
        "py_subscript_chain_100k.py": "x = 1\ny = x" + "[0]" * 100000 + "\n",
        "swift_nested_array_30000.swift": "let x = " + "[" * 30000 + "1" + "]" * 30000 + "\nprint(x)\n",
        "py_nested_list_30000.py": "x = " + "[" * 30000 + "1" + "]" * 30000 + "\nprint(x)\n",
        "swift_unary_minus_100k.swift": "let x = " + "-" * 100000 + "1\n",
        "py_not_chain_100k.py": "x = " + "not " * 100000 + "True\n",
        "py_conditional_chain_100k.py": "x = " + "1 if c else " * 100000 + "0\n",
        "py_lambda_chain_100k.py": "x = " + "lambda: " * 100000 + "0\n",
        "py_comparison_chain_100k.py": "x = " + " < ".join(["a"] * 100000) + "\n",
        "swift_try_chain_100k.swift": "let x = " + "try " * 100000 + "1\n",
        "swift_cast_chain_50k.swift": "let x = 1" + " as Int" * 50000 + "\n",
        "swift_trailing_closures_50k.swift": "let x = f" + " { }" * 50000 + "\n",
        "swift_nested_if_50k.swift": "if a {" * 50000 + "\n",
    }
    paths = []
    for name, text in cases.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


WALL_FACTOR = 10  # the wall-clock backstop, in multiples of the CPU-time limit


def limit_memory(mib: int, cpu_seconds: float = 0):
    def apply():
        if cpu_seconds > 0:
            soft = max(1, int(cpu_seconds + 0.999))
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))
        if mib > 0:  # 0: no limit (AddressSanitizer reserves terabytes of shadow address space)
            limit = mib * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def read_expected(path: pathlib.Path) -> dict[str, tuple[int, str]]:
    """expected.txt: `file status [text]` per line; `#` starts a comment line."""
    expected = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        expected[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return expected


def reproducers() -> list[pathlib.Path]:
    """The reproducer files at the top of tests/reliability (not the scripts that run them)."""
    return sorted(p for p in HERE.iterdir()
                  if p.suffix in (".swift", ".py") and p.name not in ("run_all.py", "special_inputs.py"))


def children_cpu_seconds() -> float:
    """CPU seconds used so far by the child processes this script has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def classify(tasklab: str, path: pathlib.Path, timeout: float, memory_mib: int,
             expect: tuple[int, str] | None = None) -> tuple[str, str]:
    cpu_before = children_cpu_seconds()
    try:
        proc = subprocess.run([tasklab, "run", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout * WALL_FACTOR,
                              preexec_fn=limit_memory(memory_mib, timeout), env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return "hang", f"still running after {timeout * WALL_FACTOR:g} s of wall-clock time"
    err = proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8", "replace")
    last = (err.strip().splitlines() or [""])[-1][:160]
    if "bad_alloc" in err or "MemoryError" in err or "out of memory" in err.lower():
        return "oom", last
    # Only RLIMIT_CPU sends SIGXCPU (at the soft limit); SIGKILL comes at the hard limit to a
    # process that ignored SIGXCPU, or from elsewhere (then it used less CPU than the limit).
    cpu_spent = children_cpu_seconds() - cpu_before
    if proc.returncode == -signal.SIGXCPU or (proc.returncode == -signal.SIGKILL and cpu_spent >= timeout):
        return "hang", f"still running after {timeout:g} s of CPU time"
    if proc.returncode < 0:
        return "crash", f"signal {signal.Signals(-proc.returncode).name}: {last}"
    if expect is not None:
        status, text = expect
        if proc.returncode != status:
            return "other", f"exit status {proc.returncode}, expected {status}: {last}"
        if text not in out + err:
            return "other", f"exit status {proc.returncode} but no `{text}` in the output or diagnostics"
        return "clean", f"exit status {proc.returncode}" + (f": {text}" if text else "")
    if proc.returncode not in CLEAN_STATUSES:
        return "other", f"exit status {proc.returncode}: {last}"
    if proc.returncode != 0 and "error:" not in err and "Error" not in err:
        return "other", f"exit status {proc.returncode} with no message"
    first = next((l for l in (err + out).splitlines() if "error" in l.lower()), "")
    return "clean", f"exit status {proc.returncode}" + (f": {first[:160]}" if first else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasklab", required=True)
    ap.add_argument("--cases", default=str(HERE / "cases"))
    ap.add_argument("--timeout", type=float, default=20.0, help="CPU seconds per run (default 20)")
    ap.add_argument("--memory", type=int, default=1024, help="address-space limit in MiB (default 1024; 0: none, for sanitizer builds)")
    ap.add_argument("--expected", default=str(HERE / "expected.txt"), help="status and text per reproducer")
    ap.add_argument("--no-generated", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("files", nargs="*", help="run only these files")
    args = ap.parse_args()

    expected = read_expected(pathlib.Path(args.expected))
    listed = {p.resolve() for p in reproducers()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.files:
            files = [pathlib.Path(f).resolve() for f in args.files]
        else:
            files = reproducers()
            files += sorted(p for p in pathlib.Path(args.cases).rglob("*") if p.suffix in (".swift", ".py"))
            if not args.no_generated:
                files += generated_cases(pathlib.Path(tmp))
        counts = {k: 0 for k in ("clean", "crash", "hang", "oom", "other")}
        for path in files:
            if path.resolve() in listed and path.name not in expected:
                kind, detail = "other", f"not listed in {pathlib.Path(args.expected).name}"
            else:
                expect = expected.get(path.name) if path.resolve() in listed else None
                kind, detail = classify(args.tasklab, path, args.timeout, args.memory, expect)
            counts[kind] += 1
            if kind != "clean" or args.verbose:
                print(f"{kind:5}  {path.name}  ({detail})")
                sys.stdout.flush()
        print(f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        return 0 if counts["clean"] == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
