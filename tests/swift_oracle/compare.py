#!/usr/bin/env python3
"""Compares tasklab's output with the real Swift runtime's for Swift and GCD scenarios.

    python3 compare.py FILE.swift... [--tasklab PATH] [--cache DIR] [--ignore-status] [--show]

For each file it runs `tasklab run --print-only --trace …` (the lines and the virtual instant
of each) and the real program (oracle.py: compiled unchanged with swiftc plus stand-ins, cached
by content hash). A real run is multi-threaded and its sleeps are real, so the rule is: lines
tasklab prints at different virtual instants must come in the same order; lines tasklab prints
at one virtual instant may come in any order among themselves. Then both must end the same way
(exit status 0, or both not 0; --ignore-status skips this). A tasklab runtime error that is a
Swift trap (exit status 4, e.g. an arithmetic overflow) must meet a real run that crashed with a
signal after the same lines. It prints `PASS file`, or
`FAIL file:` with the first difference and both outputs side by side (--show prints them for a
PASS too).

Exit status: 0 every file passed; 1 a file failed; 2 usage error; 77 skipped: no Swift
toolchain (`swiftc` not on PATH and $TASKLAB_SWIFTC unset). With TASKLAB_REQUIRE_SWIFT=1 a
missing toolchain is a failure (1) instead.

The tasklab binary is --tasklab PATH, else $TASKLAB, else `tasklab` on PATH, else the most
recently built `build*/viz/cli/tasklab` under the repository root.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import oracle  # noqa: E402

EXIT_SKIP = 77
TASKLAB_TIMEOUT_S = 300
REAL_SLACK_S = 30  # a real run may take this much longer than tasklab's virtual time


def find_tasklab(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if os.environ.get("TASKLAB"):
        return os.environ["TASKLAB"]
    on_path = shutil.which("tasklab")
    if on_path:
        return on_path
    built = [p for p in glob.glob(os.path.join(oracle.REPO, "build*", "viz", "cli", "tasklab")) if os.access(p, os.X_OK)]
    return max(built, key=os.path.getmtime) if built else None


Timed = list[tuple[int | None, int | None, str]]  # (virtual ns, task id, line); None: unknown


def run_tasklab(tasklab: str, path: str) -> tuple[Timed, int, str, int]:
    """[(virtual ns, task, line)], exit status, stderr, the run's last virtual instant."""
    with tempfile.TemporaryDirectory(prefix="tasklab-swift-oracle-") as tmp:
        trace_path = os.path.join(tmp, "trace.jsonl")
        try:
            done = subprocess.run([tasklab, "run", "--print-only", "--trace", trace_path, path],
                                  capture_output=True, timeout=TASKLAB_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return [], -1, f"tasklab timed out after {TASKLAB_TIMEOUT_S} s", 0
        stdout = done.stdout.decode("utf-8", errors="replace")
        lines = stdout.splitlines()
        printed: list[tuple[int, int, str]] = []
        last_t = 0
        if os.path.exists(trace_path):
            with open(trace_path, encoding="utf-8", errors="replace") as f:
                for raw in f:
                    try:
                        event = json.loads(raw)
                    except json.JSONDecodeError:
                        continue
                    if "t" not in event:
                        continue
                    last_t = max(last_t, event["t"])
                    if event.get("kind") == "printed":
                        printed.append((event["t"], event.get("task", 0), str(event.get("payload", ""))))
    # Each printed event is one print() call; its text may hold several lines.
    timed: Timed = []
    for t, task, text in printed:
        timed.extend((t, task, part) for part in text.split("\n"))
    if [text for _, _, text in timed] == lines:
        with_times: Timed = timed
    else:  # prints without a newline: no instants, so the comparison falls back to the exact order
        with_times = [(None, None, line) for line in lines]
    return with_times, done.returncode, done.stderr.decode("utf-8", errors="replace"), last_t


def instants(timed: Timed) -> list[tuple[int | None, list[tuple[int | None, str]]]]:
    """Consecutive lines printed at one virtual instant, grouped as (task, line) (None: each line on its own)."""
    groups: list[tuple[int | None, list[tuple[int | None, str]]]] = []
    for t, task, line in timed:
        if t is not None and groups and groups[-1][0] == t:
            groups[-1][1].append((task, line))
        else:
            groups.append((t, [(task, line)]))
    return groups


INTERLEAVE_BUDGET = 200_000  # states searched before an ambiguous instant is given the benefit of the doubt


def one_task_order_kept(group: list[tuple[int | None, str]], got: list[str]) -> bool:
    """Whether `got` interleaves the tasks' lines of one instant keeping each task's own order.

    A task prints its lines one after the other in a real run too, so within one instant only
    lines of different tasks may change places. Identical lines of different tasks make the
    matching ambiguous: a depth-first search with a memo decides (True when it runs out of budget).
    """
    seqs: dict[int | None, list[str]] = {}
    for task, line in group:
        seqs.setdefault(task, []).append(line)
    tasks = list(seqs)
    seen: set[tuple[int, ...]] = set()
    stack = [tuple(0 for _ in tasks)]
    while stack:
        state = stack.pop()
        pos = sum(state)
        if pos == len(got):
            return True
        if state in seen:
            continue
        seen.add(state)
        if len(seen) > INTERLEAVE_BUDGET:
            return True
        for k, task in enumerate(tasks):
            i = state[k]
            if i < len(seqs[task]) and seqs[task][i] == got[pos]:
                stack.append(state[:k] + (i + 1,) + state[k + 1:])
    return False


def fmt_t(t: int | None) -> str:
    return "   ?    " if t is None else f"{t / 1e9:7.3f}s"


def first_difference(timed: Timed, real: list[str]) -> str | None:
    """None when the real lines meet the rule, else a description of the first difference."""
    pos = 0
    for t, tasked in instants(timed):
        group = [line for _, line in tasked]
        got = real[pos:pos + len(group)]
        if Counter(got) == Counter(group) and not one_task_order_kept(tasked, got):
            return (f"lines {pos + 1}–{pos + len(group)} (tasklab printed them at {fmt_t(t).strip()}) come in an order "
                    "that breaks one task's own order (lines of one task keep their order, even at one instant)")
        if Counter(got) != Counter(group):
            where = f"line {pos + 1}" if len(group) == 1 else f"lines {pos + 1}–{pos + len(group)}"
            out = [f"first difference at {where} (tasklab printed {'it' if len(group) == 1 else 'them'} at {fmt_t(t).strip()}):"]
            missing = Counter(group) - Counter(got)
            extra = Counter(got) - Counter(group)
            for line, n in missing.items():
                out.append(f"  tasklab: {line}" + (f"  (×{n})" if n > 1 else ""))
            if not got:
                out.append("  real:    <end of output>")
            for line, n in extra.items():
                out.append(f"  real:    {line}" + (f"  (×{n})" if n > 1 else ""))
            return "\n".join(out)
        pos += len(group)
    if pos < len(real):
        return f"first difference at line {pos + 1}:\n  tasklab: <end of output>\n  real:    {real[pos]}"
    return None


def side_by_side(timed: Timed, real: list[str], limit: int = 60) -> str:
    rows = ["  #  tasklab (virtual time)                                   | real swift"]
    for i in range(max(len(timed), len(real))):
        if i >= limit:
            rows.append(f"  … {max(len(timed), len(real)) - limit} more lines")
            break
        left = f"[{fmt_t(timed[i][0]).strip()}] {timed[i][2]}" if i < len(timed) else ""
        right = real[i] if i < len(real) else ""
        rows.append(f"{i + 1:3}  {left[:56]:<56} | {right}")
    return "\n".join(rows)


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    return errors[0] if errors else (lines[-1] if lines else "")


def _is_trap(status: int, err: str) -> bool:
    """A tasklab runtime error (exit status 4) that is one of Swift's traps (overflow, a failed
    conversion, force-unwrapping nil, …), not an API tasklab does not model."""
    return status == 4 and "not supported" not in err and "cannot find" not in err


def _crashed(returncode: int) -> bool:
    """The real program died by a signal (a Swift trap is SIGILL or SIGTRAP), directly or as
    the shell's 128 + signal."""
    return returncode < 0 or returncode > 128


def compare_one(path: str, tasklab: str, swiftc: str, cache: str | None, check_status: bool, show: bool,
                out: list[str] | None = None, attempts: int = 1) -> bool:
    """Prints PASS/FAIL for one file (or appends the text to `out`); True when it passed.

    With attempts > 1 the real program runs up to that many times and one agreeing run passes:
    tasklab's run must be one the real runtime makes, and on a loaded machine a real run may
    reorder events that lie only milliseconds apart (the lessons keep ≥ 100 ms margins where
    they can; the narration says where they cannot)."""
    if out is None:
        lines: list[str] = []
        ok = compare_one(path, tasklab, swiftc, cache, check_status, show, lines, attempts)
        print("\n".join(lines), flush=True)
        return ok
    emit = out.append
    timed, tasklab_status, tasklab_err, last_t = run_tasklab(tasklab, path)
    # A trap (exit status 4: overflow, a failed conversion, force-unwrapping nil, …) is the
    # program's own end, as the real program's crash is: compared like an uncaught error.
    if tasklab_status not in (0, 1) and not _is_trap(tasklab_status, tasklab_err):
        emit(f"FAIL {path}: tasklab did not run it (exit status {tasklab_status}): {_last_line(tasklab_err)}")
        return False
    try:
        binary = oracle.build(path, swiftc, cache)
    except oracle.OracleError as e:
        emit(f"FAIL {path}: {e}")
        return False
    for attempt in range(1, max(attempts, 1) + 1):
        done = oracle.run(binary, last_t / 1e9 + REAL_SLACK_S)
        real = done.stdout.decode("utf-8", errors="replace").splitlines()
        real_err = done.stderr.decode("utf-8", errors="replace")
        difference = first_difference(timed, real)
        if difference is None and check_status and _is_trap(tasklab_status, tasklab_err) and not _crashed(done.returncode):
            difference = (f"tasklab stopped at a trap, but the real run did not crash:\n  tasklab: exit status {tasklab_status} "
                          f"{_last_line(tasklab_err)}\n  real:    exit status {done.returncode} {_last_line(real_err)}")
        if difference is None and check_status and (tasklab_status == 0) != (done.returncode == 0):
            difference = (f"same lines, but they end differently:\n  tasklab: exit status {tasklab_status} {_last_line(tasklab_err)}\n"
                          f"  real:    exit status {done.returncode} {_last_line(real_err)}")
        if difference is None:
            break
        if attempt < attempts:
            emit(f"note {path}: real run {attempt} of {attempts} differed ({difference.splitlines()[0]}); running it again")
    if difference is None:
        emit(f"PASS {path} ({len(real)} lines, {len(instants(timed))} virtual instants)")
        if show:
            emit(side_by_side(timed, real))
        return True
    emit(f"FAIL {path}: {difference}")
    if done.returncode != 0:
        emit(f"  (real exit status {done.returncode}: {_last_line(real_err)})")
    emit(side_by_side(timed, real))
    return False


def main(argv: list[str]) -> int:
    files: list[str] = []
    tasklab_arg = None
    cache = None
    check_status = True
    show = False
    attempts = 1
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--tasklab", "--cache") and i + 1 < len(argv):
            if a == "--tasklab":
                tasklab_arg = argv[i + 1]
            else:
                cache = argv[i + 1]
            i += 2
            continue
        if a == "--attempts" and i + 1 < len(argv) and argv[i + 1].isdigit():
            attempts = max(1, int(argv[i + 1]))
            i += 2
            continue
        if a == "--ignore-status":
            check_status = False
        elif a == "--show":
            show = True
        elif a.startswith("-"):
            print(f"compare.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        print("usage: compare.py FILE.swift... [--tasklab PATH] [--cache DIR] [--ignore-status] [--show] [--attempts N]", file=sys.stderr)
        return 2
    swiftc = oracle.find_swiftc()
    if swiftc is None:
        why = ("$TASKLAB_SWIFTC is not an executable file" if os.environ.get("TASKLAB_SWIFTC")
               else "no `swiftc` on PATH and $TASKLAB_SWIFTC is unset")
        if oracle.swift_required():
            print(f"FAIL: TASKLAB_REQUIRE_SWIFT is set, but there is no Swift toolchain: {why}")
            return 1
        for path in files:
            print(f"SKIP {path}: not checked against the real Swift runtime: {why} "
                  "(install Swift, or set TASKLAB_SWIFTC to its swiftc)")
        return EXIT_SKIP
    tasklab = find_tasklab(tasklab_arg)
    if tasklab is None:
        print("compare.py: no tasklab binary found; pass --tasklab PATH or set TASKLAB", file=sys.stderr)
        return 2
    ok = True
    for path in files:
        ok = compare_one(path, tasklab, swiftc, cache, check_status, show, attempts=attempts) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
