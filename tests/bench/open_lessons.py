#!/usr/bin/env python3
"""open_lessons.py VIZ [RUNS]: how long each bundled lesson takes to open in the visualizer.

For every scenario under scenarios/ (run from the project root) it times
`VIZ --screenshot OUT.png FILE` a few times and keeps the fastest: the window opens, the file
is read and parsed, the whole run is made, and the first frame is drawn and saved. A run of
`VIZ --screenshot` on an empty Python file is measured the same way first: that is the cost
of the window, fonts and PNG alone, and the table also shows each lesson's time above it.
Needs a display (run it under xvfb-run). Prints figures only: it never fails on a time.
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time


def best_of(cmd, runs):
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited with {done.returncode}")
        best = min(best, elapsed)
    return best


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    viz, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    lessons = sorted(glob.glob("scenarios/*/*.swift") + glob.glob("scenarios/*/*.py"))
    lessons = [f for f in lessons if "/tools/" not in f]
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "out.png")
        empty = os.path.join(tmp, "empty.py")
        with open(empty, "w", encoding="utf-8") as f:
            f.write("pass\n")
        base = best_of([viz, "--screenshot", png, empty], runs)
        rows = [(best_of([viz, "--screenshot", png, f], runs), f) for f in lessons]
    rows.sort(reverse=True)
    print(f"window, fonts and PNG alone (an empty file): {base * 1000:.0f} ms")
    print(f"{'lesson':60} {'open ms':>8} {'above empty':>12}")
    for t, f in rows:
        print(f"{f:60} {t * 1000:8.0f} {(t - base) * 1000:12.0f}")
    times = [t for t, _ in rows]
    print(f"{len(rows)} lessons: median {statistics.median(times) * 1000:.0f} ms, "
          f"slowest {max(times) * 1000:.0f} ms ({rows[0][1]}), best of {runs} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
