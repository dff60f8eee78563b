#!/usr/bin/env python3
"""The Outcomes view from the command line: --outcomes, --outcome K and --compare-outcomes J K.

A Swift data race (two tasks read and write a class they share without an actor) has two
outcomes: tasklab's own order prints 2, and an order where the second task runs between the
first one's read and write prints 1. This test renders it with `tasklab-viz --screenshot` and
reads the layout sidecar OUT.png.json (viz/layout_report.hpp: each run's outcome and the
choice-point marks its lanes drew, every window laid out) and checks that

  * --outcomes shows the Outcomes view and tasklab's own order, with no choice marks (the
    window's run has no chooser);
  * --outcome 2 shows outcome 2's run with its choice points marked, one of them filled (where
    it departs from tasklab's order), and the Outcomes view;
  * --compare-outcomes 1 2 shows both outcomes one above the other: run A outcome 1 (marks,
    none filled), run B outcome 2 (one filled);
  * --presenter --scale 2 --size 1024x768 --outcome 2 still covers no lane;
  * --outcome 3 says there is no outcome 3, and --outcome without a file is a usage error.

Standard library only (python3 >= 3.8).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

DATA_RACE = """final class Counter: @unchecked Sendable {
    var value = 0
}

let counter = Counter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<2 {
        group.addTask {
            let v = counter.value
            counter.value = v + 1
        }
    }
}
print("값: \\(counter.value) 🧮")
"""


def render(args, out_dir, name, extra, scenario):
    png = os.path.join(out_dir, name + ".png")
    cmd = [args.viz, "--screenshot", png] + extra + [scenario]
    proc = subprocess.run([args.xvfb_run, "-a", "-s", "-screen 0 1920x1080x24"] + cmd, timeout=120,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise AssertionError(f"{name}: tasklab-viz exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')}")
    with open(png + ".json", encoding="utf-8") as f:
        return json.load(f), proc.stderr.decode("utf-8", "replace")


def window_names(layout):
    return [w["window"] for w in layout["windows"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--viz", required=True)
    ap.add_argument("--xvfb-run", required=True)
    args = ap.parse_args()
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="tasklab-outcomes-") as out_dir:
        scenario = os.path.join(out_dir, "data_race.swift")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(DATA_RACE)

        layout, _ = render(args, out_dir, "list", ["--outcomes"], scenario)
        run = layout["runs"][0]
        check("Outcomes" in window_names(layout), "--outcomes: the Outcomes view is laid out")
        check(run["outcome"] == 0, "--outcomes: the timeline shows tasklab's own order")
        check(run["choice_marks"] == 0, "--outcomes: tasklab's own order has no choice marks")

        layout, _ = render(args, out_dir, "outcome2", ["--outcome", "2"], scenario)
        run = layout["runs"][0]
        check("Outcomes" in window_names(layout), "--outcome 2: the Outcomes view is laid out")
        check(run["outcome"] == 2, "--outcome 2: the timeline shows outcome 2")
        check(run["choice_marks"] >= 2, f"--outcome 2: its choice points are marked ({run['choice_marks']})")
        check(run["departing_marks"] == 1, f"--outcome 2: one mark where it departs ({run['departing_marks']})")

        layout, _ = render(args, out_dir, "compare", ["--compare-outcomes", "1", "2"], scenario)
        runs = {r["run"]: r for r in layout["runs"]}
        check(layout["mode"] == "compare", "--compare-outcomes: compare mode")
        check(runs.get("A", {}).get("outcome") == 1, "--compare-outcomes 1 2: run A is outcome 1")
        check(runs.get("B", {}).get("outcome") == 2, "--compare-outcomes 1 2: run B is outcome 2")
        check(runs.get("A", {}).get("choice_marks", 0) >= 1 and runs.get("A", {}).get("departing_marks") == 0,
              "--compare-outcomes: outcome 1 is marked, never departing")
        check(runs.get("B", {}).get("departing_marks") == 1, "--compare-outcomes: outcome 2 departs once")

        layout, _ = render(args, out_dir, "projector",
                           ["--presenter", "--scale", "2", "--size", "1024x768", "--outcome", "2"], scenario)
        check(layout["runs"][0]["outcome"] == 2, "presenter at scale 2: outcome 2 shown")
        lanes = [l for l in layout["lanes"] if l["run"] == "A"]
        check(len(lanes) == 3 and all(l["visible"] for l in lanes), "presenter at scale 2: every lane drawn")
        covers = [c["rect"] for c in layout["covered"]]
        covers += [w["rect"] for w in layout["windows"] if w["window"] != layout["lanes_window"]]
        for lane in lanes:
            for r in covers:
                # The lane's rows across the whole window (a window over them covers the lane).
                if r[1] < lane["y1"] - 2 and r[3] > lane["y0"] + 2:
                    failures.append(f"presenter at scale 2: lane {lane['name']!r} is covered by {r}")

        _, err = render(args, out_dir, "missing", ["--outcome", "3"], scenario)
        check("there is no outcome 3" in err, f"--outcome 3 on a file with two outcomes says so ({err.strip()})")

        usage = subprocess.run([args.viz, "--outcome", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
        check(usage.returncode == 2, f"--outcome without a file is a usage error (exit {usage.returncode})")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("ok: --outcomes, --outcome K and --compare-outcomes J K show the explored outcomes and their choice points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
