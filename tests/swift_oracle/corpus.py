#!/usr/bin/env python3
"""Runs the Swift corpus (corpus/**/*.swift, or the files given) on tasklab and on the real runtime.

    python3 corpus.py [FILE.swift...] [--tasklab PATH] [--cache DIR] [-v]

Each file is a short program of the kind people write (task groups, `async let`, cancel,
cancellation handlers, GCD work items), run as compare.py runs a lesson, and put in one class:
`agree` (the real run is one of the outcomes `tasklab explore` lists, or, where a bound stopped
the exploration, meets the same-instant rule; same ending), `differ`, `tasklab refuses` (a
diagnostic or a runtime stop on tasklab's side), `swiftc refuses`. It prints one line per file
(-v: for an agreeing file, which outcome it is and how many there are), then the counts.
-v also prints each difference. Exit status 0 (this is a survey, not a test), 2 on a usage
error or with no Swift toolchain.
"""

from __future__ import annotations

import glob
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import oracle  # noqa: E402


def classify(path: str, tasklab: str, swiftc: str, cache: str | None) -> tuple[str, str]:
    timed, status, err, _ = compare.run_tasklab(tasklab, path)
    if status not in (0, 1) and not compare._is_trap(status, err):
        return "tasklab refuses", compare._last_line(err)
    try:
        oracle.build(path, swiftc, cache)
    except oracle.OracleError as e:
        lines = [line for line in str(e).splitlines() if "error:" in line]
        return "swiftc refuses", lines[0] if lines else str(e).splitlines()[0]
    out: list[str] = []
    ok = compare.compare_one(path, tasklab, swiftc, cache, True, False, out)
    return ("agree" if ok else "differ"), "\n".join(out)


def main(argv: list[str]) -> int:
    files: list[str] = []
    tasklab_arg = cache = None
    verbose = False
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
        if a == "-v":
            verbose = True
        elif a.startswith("-"):
            print(f"corpus.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    files = files or sorted(glob.glob(os.path.join(HERE, "corpus", "**", "*.swift"), recursive=True))
    swiftc = oracle.find_swiftc()
    tasklab = compare.find_tasklab(tasklab_arg)
    if swiftc is None or tasklab is None:
        print("corpus.py: needs swiftc (PATH or $TASKLAB_SWIFTC) and a tasklab binary (--tasklab)", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=4) as pool:  # the programs mostly sleep
        results = list(pool.map(lambda p: classify(p, tasklab, swiftc, cache), files))
    counts: dict[str, int] = {}
    by_outcome = 0
    for path, (kind, detail) in zip(files, results):
        counts[kind] = counts.get(kind, 0) + 1
        lines = detail.splitlines()
        passed = next((line for line in lines if line.startswith(f"PASS {path}: ")), "")
        if kind == "agree" and ": outcome " in passed:
            by_outcome += 1
        first = lines[0] if lines else ""
        if kind == "agree":
            print(f"{kind:15} {os.path.relpath(path)}" + (f" · {passed[len(f'PASS {path}: '):]}" if verbose and passed else ""))
        else:
            print(f"{kind:15} {os.path.relpath(path)}\n{'':15} {first}")
        if verbose and kind == "differ":
            print("\n".join(f"{'':15} {line}" for line in lines[1:]))
    print(f"{len(files)} programs: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in
                                                  ("agree", "differ", "tasklab refuses", "swiftc refuses")) +
          f" ({by_outcome} agreeing as one explored outcome, {counts.get('agree', 0) - by_outcome} by the same-instant rule)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
