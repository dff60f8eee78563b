#!/usr/bin/env python3
"""Runs the asyncio corpus (corpus/*.py, or the files given) on CPython (the oracle) and on tasklab.

    python3 corpus.py [FILE.py...] [--not-yet | --all] [--by-source] [--tasklab PATH] [-j N]

Each file is a plain program in the style of CPython 3.11's own asyncio tests, run as
compare.py runs a scenario (the oracle's lines and exit status against `tasklab run
--print-only`). It prints `PASS file` or `FAIL file` with the first difference, one per file,
then `N programs: A agree, D differ`. Without files it runs corpus/*.py; `--not-yet` runs
corpus/not_yet/*.py instead (programs tasklab does not yet run right: after a change, the ones
that now PASS can move up), `--all` both. A difference shows both lines and, for a side that
did not end normally, its exit status and error line. `--by-source` adds the counts per source:
the first CPython test file or documentation page (`test_tasks.py`, `asyncio-task.rst`) named
in the program's opening comment. `-j N` runs N programs at once (default 2).
Exit status 0 when every program agrees, 1 when one differs,
2 on a usage error.
"""

from __future__ import annotations

import glob
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402

CORPUS = os.path.join(HERE, "corpus")
NOT_YET = os.path.join(CORPUS, "not_yet")


def source_of(path: str) -> str:
    """The CPython test file or documentation page named first in the program's opening comment."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            if line.startswith("# not yet:"):
                continue
            m = re.search(r"\b(test_\w+\.py|[\w-]+\.rst)", line)
            return m.group(1) if m else "other"
    return "other"


def main(argv: list[str]) -> int:
    files: list[str] = []
    tasklab_arg = None
    folders = [CORPUS]
    jobs = 2
    by_source = False
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--tasklab", "-j") and i + 1 < len(argv):
            if a == "--tasklab":
                tasklab_arg = argv[i + 1]
            else:
                jobs = max(1, int(argv[i + 1]))
            i += 2
            continue
        if a == "--not-yet":
            folders = [NOT_YET]
        elif a == "--all":
            folders = [CORPUS, NOT_YET]
        elif a == "--by-source":
            by_source = True
        elif a.startswith("-"):
            print(f"corpus.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        for folder in folders:
            files += sorted(glob.glob(os.path.join(folder, "*.py")))
    tasklab = compare.find_tasklab(tasklab_arg)
    if tasklab is None:
        print("corpus.py: no tasklab binary found; pass --tasklab PATH or set TASKLAB", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda p: compare.difference(p, tasklab, True), files))
    differ = 0
    for path, diff in zip(files, results):
        name = os.path.relpath(path, CORPUS) if path.startswith(CORPUS) else path
        if not diff:
            print(f"PASS {name}")
            continue
        differ += 1
        print(f"FAIL {name}: {diff[0]}")
        print("\n".join(diff[1:]))
    if by_source:
        counts: dict[str, list[int]] = {}
        for path, diff in zip(files, results):
            c = counts.setdefault(source_of(path), [0, 0])
            c[1 if diff else 0] += 1
        for source, (agree, differs) in sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0])):
            print(f"  {source}: {agree + differs} programs, {agree} agree, {differs} differ")
    print(f"{len(files)} programs: {len(files) - differ} agree, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
