#!/usr/bin/env python3
"""Bad inputs that are not scenario files: `tasklab run` on /dev/zero, on a FIFO that never
ends, and on a scenario whose title and lines carry terminal escape sequences.

    special_inputs.py --tasklab PATH

Checks that tasklab reads at most 8 MiB of a scenario and says so (exit status 2), and that
its own output (header, diagnostics) shows control characters as pictures instead of
sending them to the terminal. Exits 1 on the first failed check.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import threading

HERE = pathlib.Path(__file__).resolve().parent


def run(tasklab, *args, timeout=30):
    return subprocess.run([tasklab, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout, env=dict(os.environ, NO_COLOR="1"))


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasklab", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        zero = tmp / "zero.swift"
        zero.symlink_to("/dev/zero")
        p = run(args.tasklab, "run", str(zero))
        check(p.returncode == 2 and b"larger than 8 MiB" in p.stderr, "/dev/zero as a scenario is refused after 8 MiB")

        fifo = tmp / "endless.swift"
        os.mkfifo(fifo)

        def feed():
            try:
                with open(fifo, "wb") as w:
                    chunk = b"print(1)\n" * 4096
                    while True:
                        w.write(chunk)
            except (BrokenPipeError, OSError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        p = run(args.tasklab, "run", str(fifo))
        check(p.returncode == 2 and b"larger than 8 MiB" in p.stderr, "an endless FIFO as a scenario is refused after 8 MiB")

        big = tmp / "big.swift"
        big.write_bytes(b"print(1)\n" * (8 * 1024 * 1024 // 9 + 1))
        p = run(args.tasklab, "check", str(big))
        check(p.returncode == 2 and b"larger than 8 MiB" in p.stdout + p.stderr, "a regular file past 8 MiB is refused by check too")

        p = run(args.tasklab, "run", str(HERE / "cases" / "control_chars_in_title.swift"))
        out = p.stdout + p.stderr
        check(p.returncode == 0, "a title with escape sequences runs")
        check(b"\x1b" not in out and b"\x07" not in out, "the title's ESC and BEL do not reach the terminal")
        check("␛[2J␛]0;pwned␇ a title with terminal escapes".encode() in p.stdout, "the title shows them as pictures")

        bad = tmp / "escapes.swift"
        bad.write_bytes(b"let x = 1 \x1b[31m + 2\n")
        p = run(args.tasklab, "run", str(bad))
        check(p.returncode == 3 and b"\x1b" not in p.stderr and " 1 | let x = 1 ␛[31m + 2".encode() in p.stderr,
              "a diagnostic's source line shows ESC as a picture")
    return 0


if __name__ == "__main__":
    sys.exit(main())
