#!/usr/bin/env python3
"""Compares tasklab's output with real CPython's (the virtual-time oracle) for asyncio scenarios.

    python3 compare.py FILE.py... [--tasklab PATH] [--ignore-status]

For each file it runs `run_oracle.py FILE` and `tasklab run --print-only FILE`, compares their
stdout line by line, then their exit statuses (unless --ignore-status), and prints
`PASS file` or `FAIL file: first difference at line N:` followed by both lines. The exit
status is 1 if any file failed, 2 on a usage error.

The tasklab binary is --tasklab PATH, else $TASKLAB, else `tasklab` on PATH, else the most
recently built `build*/viz/cli/tasklab` under the repository root.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RUN_ORACLE = os.path.join(HERE, "run_oracle.py")
TIMEOUT_S = 300


def find_tasklab(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if os.environ.get("TASKLAB"):
        return os.environ["TASKLAB"]
    on_path = shutil.which("tasklab")
    if on_path:
        return on_path
    built = [p for p in glob.glob(os.path.join(REPO, "build*", "viz", "cli", "tasklab")) if os.access(p, os.X_OK)]
    return max(built, key=os.path.getmtime) if built else None


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return subprocess.CompletedProcess(argv, -1, out, f"timed out after {TIMEOUT_S} s")


def _last_line(text: str) -> str:
    """The line of stderr worth showing: the first `error:` line, else the last line."""
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]
    return errors[0] if errors else (lines[-1] if lines else "")


def difference(path: str, tasklab: str, check_status: bool) -> list[str]:
    """Runs both sides on `path`; returns the lines that describe the first difference, or [] if they agree."""
    oracle = _run([sys.executable, RUN_ORACLE, path])
    ours = _run([tasklab, "run", "--print-only", path])
    want = oracle.stdout.splitlines()
    got = ours.stdout.splitlines()
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w != g:
            lines = [f"first difference at line {i + 1}:",
                     f"  cpython: {w if w is not None else '<end of output>'}",
                     f"  tasklab: {g if g is not None else '<end of output>'}"]
            for name, run in (("cpython", oracle), ("tasklab", ours)):
                if run.returncode != 0:
                    lines.append(f"  ({name} exit status {run.returncode}: {_last_line(run.stderr)})")
            return lines
    if check_status and oracle.returncode != ours.returncode:
        return [f"same {len(want)} lines, but the exit status differs:",
                f"  cpython: {oracle.returncode} {_last_line(oracle.stderr)}",
                f"  tasklab: {ours.returncode} {_last_line(ours.stderr)}"]
    return []


def compare_one(path: str, tasklab: str, check_status: bool) -> bool:
    diff = difference(path, tasklab, check_status)
    if diff:
        print(f"FAIL {path}: {diff[0]}")
        print("\n".join(diff[1:]))
        return False
    print(f"PASS {path}")
    return True


def main(argv: list[str]) -> int:
    files: list[str] = []
    tasklab_arg = None
    check_status = True
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--tasklab" and i + 1 < len(argv):
            tasklab_arg = argv[i + 1]
            i += 2
            continue
        if a.startswith("--tasklab="):
            tasklab_arg = a.split("=", 1)[1]
        elif a == "--ignore-status":
            check_status = False
        elif a.startswith("-"):
            print(f"compare.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        print("usage: compare.py FILE.py... [--tasklab PATH] [--ignore-status]", file=sys.stderr)
        return 2
    tasklab = find_tasklab(tasklab_arg)
    if tasklab is None:
        print("compare.py: no tasklab binary found; pass --tasklab PATH or set TASKLAB", file=sys.stderr)
        return 2
    ok = True
    for path in files:
        ok = compare_one(path, tasklab, check_status) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
