#!/usr/bin/env python3
"""The same scenario gives the same trace, byte for byte, whatever the process's surroundings.

    determinism.py --tasklab PATH

Runs `tasklab run --trace OUT FILE` on a few bundled scenarios of each model (Swift
Concurrency, GCD, asyncio; Korean text in several), on deep Swift and Python recursion and on
a run that stops at its memory limit, once in a reference setting (LC_ALL=C, TZ=UTC, the
default stack limit, run from / with an absolute path) and once per variation:

  locale       LC_ALL=C.UTF-8, LC_ALL=ko_KR.UTF-8 (skipped, with the reason printed, when the
               machine has no such locale)
  time zone    TZ=Asia/Seoul, TZ=America/St_Johns (a half-hour offset)
  stack limit  `ulimit -s 2048` and unlimited
  directory    from /tmp with the absolute path, from the file's folder with its bare name,
               and from the repository root with a relative path

and compares each trace with the reference byte for byte. The trace's header names the
scenario as it was typed, and so do messages that point into the file (`file:line:col`): for
the runs given a relative path the header is checked to name that path, and the path is set
to the reference's before the comparison. Prints one line per
variation and exits 1 on the first difference (with the first differing line).
"""

import argparse
import os
import pathlib
import resource
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SCENARIOS = [
    "scenarios/swift/cancel_all_fixed.swift",
    "scenarios/swift/async_let_explicit_cancel.swift",
    "scenarios/swift/taskgroup_child_error.swift",
    "scenarios/gcd/nested_work_items.swift",
    "scenarios/gcd/cancel_before_start_notify.swift",
    "scenarios/asyncio/graceful_shutdown.py",
    "scenarios/asyncio/shutdown_signal_handler.py",
    "scenarios/asyncio/taskgroup_child_error.py",
    "scenarios/asyncio/to_thread_outlives_cancel.py",      # a worker thread on a fiber of its own
    "tests/reliability/recursion_depends_on_ulimit.py",     # Python recursion to CPython's limit
    "tests/reliability/swift_sync_recursion_5000.swift",    # Swift recursion 5,000 deep
    "tests/reliability/swift_unbounded_recursion.swift",    # Swift stack overflow at the call-depth limit
    "tests/reliability/memory_string_doubling.swift",       # stops at the memory limit
]


def available_locales() -> set[str]:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return set()
    return {l.strip().lower().replace("utf-8", "utf8") for l in out.splitlines()}


def stack_limit(soft):
    def apply():
        _, hard = resource.getrlimit(resource.RLIMIT_STACK)
        resource.setrlimit(resource.RLIMIT_STACK, (soft, hard))
    return apply


def run(tasklab: str, path: str, cwd: str, env: dict, out: pathlib.Path, preexec=None) -> bytes:
    proc = subprocess.run([tasklab, "run", "--trace", str(out), path], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=preexec, timeout=300)
    if proc.returncode < 0:
        raise RuntimeError(f"{path}: tasklab was killed by signal {-proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}")
    return out.read_bytes()


def with_reference_path(trace: bytes, typed: str, reference: str) -> bytes:
    """The trace with the scenario's path as typed (its header field, and `file:line:col` in
    messages) replaced by the reference's path."""
    first, _, rest = trace.partition(b"\n")
    field = b'"scenario":"' + typed.encode() + b'"'
    if field not in first:
        raise RuntimeError(f"the trace header does not name the scenario as typed ({typed})")
    first = first.replace(field, b'"scenario":"' + reference.encode() + b'"', 1)
    return first + b"\n" + rest.replace(typed.encode() + b":", reference.encode() + b":")


def first_difference(a: bytes, b: bytes) -> str:
    la, lb = a.split(b"\n"), b.split(b"\n")
    for k, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {k + 1}:\n  reference: {x[:200]!r}\n  variant:   {y[:200]!r}"
    return f"{len(la)} lines against {len(lb)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasklab", required=True)
    args = ap.parse_args()
    tasklab = str(pathlib.Path(args.tasklab).resolve())

    base_env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ")}
    base_env.update(LC_ALL="C", TZ="UTC", NO_COLOR="1")
    locales = available_locales()
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = pathlib.Path(tmp)
        for rel in SCENARIOS:
            absolute = str(ROOT / rel)
            name = pathlib.Path(rel).name
            reference = run(tasklab, absolute, "/", base_env, tmpdir / "reference.jsonl")
            if len(reference) < 200:
                print(f"FAIL {rel}: the reference trace is only {len(reference)} bytes")
                return 1
            variants = []  # (label, path as typed, cwd, env, preexec)
            variants.append(("LC_ALL=C.UTF-8", absolute, "/", dict(base_env, LC_ALL="C.UTF-8"), None))
            if "ko_kr.utf8" in locales:
                variants.append(("LC_ALL=ko_KR.UTF-8", absolute, "/", dict(base_env, LC_ALL="ko_KR.UTF-8", LANG="ko_KR.UTF-8"), None))
            elif rel == SCENARIOS[0]:
                print("skip LC_ALL=ko_KR.UTF-8: this machine has no ko_KR.UTF-8 locale (`locale -a` does not list it)")
            variants.append(("TZ=Asia/Seoul", absolute, "/", dict(base_env, TZ="Asia/Seoul"), None))
            variants.append(("TZ=America/St_Johns", absolute, "/", dict(base_env, TZ="America/St_Johns"), None))
            variants.append(("ulimit -s 2048", absolute, "/", base_env, stack_limit(2048 * 1024)))
            _, hard = resource.getrlimit(resource.RLIMIT_STACK)
            if hard == resource.RLIM_INFINITY:
                variants.append(("ulimit -s unlimited", absolute, "/", base_env, stack_limit(resource.RLIM_INFINITY)))
            elif rel == SCENARIOS[0]:
                print("skip ulimit -s unlimited: the hard stack limit is finite here")
            variants.append(("from /tmp, absolute path", absolute, "/tmp", base_env, None))
            variants.append(("from its folder, bare name", name, str((ROOT / rel).parent), base_env, None))
            variants.append(("from the repository, relative path", rel, str(ROOT), base_env, None))
            for label, typed, cwd, env, preexec in variants:
                trace = run(tasklab, typed, cwd, env, tmpdir / "variant.jsonl", preexec)
                if typed != absolute:
                    trace = with_reference_path(trace, typed, absolute)
                if trace != reference:
                    print(f"FAIL {rel} ({label}): the trace differs from the reference at {first_difference(reference, trace)}")
                    return 1
                checked += 1
            print(f"ok   {rel}: {len(variants)} variations, {len(reference)} bytes of trace each")
    print(f"{checked} traces identical to their reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
