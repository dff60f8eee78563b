#!/usr/bin/env python3
"""explore_lessons.py [TASKLAB] [--limit SECONDS]: how long exploring each bundled lesson takes.

For every scenario under scenarios/ (run from the project root) it runs
`TASKLAB explore --json FILE` once with the default bounds and prints, per lesson, the orders
explored, the preemption points pruned as equivalent, the distinct outcomes, whether the search
was complete (no bound stopped it) and the wall time; then the largest of each. TASKLAB is the
built command (default: build/viz/cli/tasklab). With --limit it exits 1 when a lesson took longer
than SECONDS (the target is 10 s); without it it prints figures only.
"""
import argparse
import glob
import json
import subprocess
import sys
import time


def explore(tasklab, path):
    t0 = time.perf_counter()
    done = subprocess.run([tasklab, "explore", "--json", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    # 0: complete; 4: a bound stopped the search (the JSON says so too).
    if done.returncode not in (0, 4):
        raise SystemExit(f"{tasklab} explore --json {path} exited with {done.returncode}:\n"
                         f"{done.stderr.decode('utf-8', 'replace')}")
    return json.loads(done.stdout.decode("utf-8")), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tasklab", nargs="?", default="build/viz/cli/tasklab")
    parser.add_argument("--limit", type=float, default=None, help="fail when a lesson takes longer (seconds)")
    args = parser.parse_args()
    lessons = sorted(glob.glob("scenarios/*/*.swift") + glob.glob("scenarios/*/*.py"))
    lessons = [f for f in lessons if "/tools/" not in f]
    rows = []
    for f in lessons:
        r, elapsed = explore(args.tasklab, f)
        rows.append((f, r["runs"], r["pruned"], len(r["outcomes"]), r["complete"], elapsed))
    print(f"{'lesson':58} {'orders':>7} {'pruned':>8} {'outcomes':>8} {'complete':>8} {'wall s':>7}")
    for f, runs, pruned, outcomes, complete, elapsed in rows:
        name = f[len("scenarios/"):]
        print(f"{name:58} {runs:7} {pruned:8} {outcomes:8} {'yes' if complete else 'NO':>8} {elapsed:7.2f}")
    print(f"{'max':58} {max(r[1] for r in rows):7} {max(r[2] for r in rows):8} {max(r[3] for r in rows):8} "
          f"{'':>8} {max(r[5] for r in rows):7.2f}")
    slow = [r for r in rows if args.limit is not None and r[5] > args.limit]
    for r in slow:
        print(f"SLOW {r[0]}: {r[5]:.2f} s > {args.limit} s", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
