#!/usr/bin/env python3
"""Runs the oracle's own self-test cases (selftest.py) on tasklab.

    python3 tasklab_cases.py --tasklab PATH

selftest.py pins down the oracle's clock, signals, stops and simulated websockets with small
programs and the exact lines CPython prints for them. Here each of those programs runs under
`tasklab run --print-only` instead, and must print the same lines and exit with the same
status. Prints one PASS/FAIL line per case; exit status 1 if any case failed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "--tasklab":
        print("usage: tasklab_cases.py --tasklab PATH", file=sys.stderr)
        return 2
    tasklab = argv[2]
    spec = importlib.util.spec_from_file_location("selftest", os.path.join(HERE, "selftest.py"))
    selftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(selftest)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, program, expected, status) in enumerate(selftest.CASES):
            path = os.path.join(tmp, f"case{i}.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(program)
            run = subprocess.run([tasklab, "run", "--print-only", path], capture_output=True, text=True, timeout=300)
            if run.stdout == expected and run.returncode == status:
                print(f"PASS {name}")
                continue
            failed += 1
            print(f"FAIL {name}: exit {run.returncode} (want {status})")
            print("  want: " + expected.replace("\n", " | "))
            print("  got:  " + run.stdout.replace("\n", " | "))
            if run.stderr.strip():
                print("  stderr: " + run.stderr.strip().splitlines()[-1])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
