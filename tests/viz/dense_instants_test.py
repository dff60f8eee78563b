#!/usr/bin/env python3
"""The key instants of two lessons are readable at 1024x768 on the default axis.

On the pure virtual-time axis every event of one instant is drawn in one pixel column: in
swift/taskgroup_child_error.swift the failing child's note and throw, the error reaching the
parent, the cancel requests to the siblings, their noticing and rethrowing all happen at 1 s;
in gcd/nested_work_items.swift innerItem runs its whole loop at 3 s and is a one-pixel line.
The time-and-steps axis opens such instants up. This test renders both lessons with
`tasklab-viz --screenshot OUT.png --size 1024x768 FILE` (no --axis: the default the
visualizer picks), reads the layout sidecar OUT.png.json (viz/layout_report.hpp: the axis,
every lane's marks with their x, the states each visible bar shows) and the trace
(`tasklab run --trace -`), and checks that

  * the default axis is time+steps for both lessons;
  * taskgroup_child_error: the cancel requests, cancel observations, throws, the error
    delivered to the parent and the notes of the failing child and of its siblings at the 1 s
    instant are each drawn (one mark per event) and, left to right, at least 12 px apart;
  * nested_work_items: innerItem's bar (created by another work item) is drawn wider than
    40 px;
  * and, so that the measure is known to discriminate, the same key marks on `--axis time`
    fall within 12 px of each other, and innerItem's bar there is narrower than 4 px.

Tasks are found by their role in the trace (the child that threw, the children a cancel
reached, the work item created by a work item), not by their names.

Standard library only (python3 >= 3.8).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

SIZE = "1024x768"
MIN_APART = 12.0
MIN_INNER_BAR = 40.0
KEY_KINDS = ("cancel_requested", "cancel_observed", "threw", "error_delivered", "narration")


def read_trace(tasklab, scenario):
    out = subprocess.run([tasklab, "run", "--trace", "-", scenario], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True, timeout=120).stdout.decode("utf-8")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    header, events = lines[0], lines[1:]
    return {t["id"]: t for t in header["tasks"]}, events


def render(args, scenario, out_dir, name, axis=None):
    png = os.path.join(out_dir, name + ".png")
    cmd = [args.viz, "--screenshot", png, "--size", SIZE]
    if axis:
        cmd += ["--axis", axis]
    cmd.append(scenario)
    subprocess.run([args.xvfb_run, "-a", "-s", "-screen 0 1920x1080x24"] + cmd, check=True, timeout=120,
                   stdout=subprocess.DEVNULL)
    with open(png + ".json", encoding="utf-8") as f:
        return png, json.load(f)


def mark_x_by_event(layout):
    xs = {}
    for lane in layout["lanes"]:
        for m in lane.get("marks", []):
            xs.setdefault(m["event"], m["x"])
    return xs


def key_events(tasks, events):
    """The key events at the instant where the failing child throws."""
    failing = [e for e in events if e["kind"] == "task_finished" and e["detail"] == "threw"
               and tasks[e["task"]]["kind"] == "child"]
    if not failing:
        raise AssertionError("no child threw in the trace")
    instant = failing[0]["t"]
    siblings = {e["task"] for e in events if e["kind"] == "cancel_requested" and e["t"] == instant}
    lanes = siblings | {failing[0]["task"]}
    keys = [e for e in events if e["t"] == instant and e["kind"] in KEY_KINDS
            and (e["task"] in lanes or e["kind"] == "error_delivered")]
    return instant, failing[0]["task"], siblings, keys


def spacing(keys, xs):
    placed = sorted((xs[e["i"]], e["i"], e["kind"]) for e in keys)
    gaps = [(b[0] - a[0], a, b) for a, b in zip(placed, placed[1:])]
    return placed, gaps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--viz", required=True)
    ap.add_argument("--tasklab", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--xvfb-run", default="xvfb-run")
    ap.add_argument("--out", help="keep the PNGs here")
    args = ap.parse_args()
    out_dir = args.out or tempfile.mkdtemp(prefix="tasklab-dense-")
    os.makedirs(out_dir, exist_ok=True)
    failures = []

    # ---- the failing child's instant ----
    group = os.path.join(args.scenarios, "swift", "taskgroup_child_error.swift")
    tasks, events = read_trace(args.tasklab, group)
    instant, failing, siblings, keys = key_events(tasks, events)
    kinds = {(e["task"] == failing, e["kind"]) for e in keys}
    for want in [(True, "narration"), (True, "threw"), (False, "cancel_requested"), (False, "cancel_observed"),
                 (False, "threw"), (False, "narration"), (False, "error_delivered")]:
        if want not in kinds:
            failures.append("taskgroup_child_error: the trace has no %s %s at %d ns"
                            % ("failing-child" if want[0] else "sibling/parent", want[1], instant))
    if len(siblings) < 2:
        failures.append("taskgroup_child_error: expected two siblings cancelled at the instant, found %d" % len(siblings))

    png, layout = render(args, group, out_dir, "taskgroup_child_error")
    print(png)
    if layout.get("axis") != "time+steps":
        failures.append("taskgroup_child_error: the default axis is %r, not time+steps" % layout.get("axis"))
    xs = mark_x_by_event(layout)
    missing = [e for e in keys if e["i"] not in xs]
    for e in missing:
        failures.append("taskgroup_child_error: event #%d (%s of task %d) has no mark of its own in the sidecar"
                        % (e["i"], e["kind"], e["task"]))
    if not missing:
        placed, gaps = spacing(keys, xs)
        print("key marks at the %g s instant (x, event, kind): %s" % (instant / 1e9, placed))
        for gap, a, b in gaps:
            if gap < MIN_APART:
                failures.append("taskgroup_child_error: %s #%d at x=%.1f and %s #%d at x=%.1f are %.1f px apart (< %g)"
                                % (a[2], a[1], a[0], b[2], b[1], b[0], gap, MIN_APART))
        plot = layout["plot"]
        for x, i, kind in placed:
            if not plot[0] <= x <= plot[2]:
                failures.append("taskgroup_child_error: %s #%d at x=%.1f lies outside the plot %s" % (kind, i, x, plot))

    # The pure time axis draws them in one column: the measure above tells the two apart.
    png, layout = render(args, group, out_dir, "taskgroup_child_error-time", axis="time")
    xs = mark_x_by_event(layout)
    placed = sorted(xs[e["i"]] for e in keys if e["i"] in xs)
    if placed and placed[-1] - placed[0] >= MIN_APART:
        failures.append("taskgroup_child_error on --axis time: the key marks spread over %.1f px; expected one column"
                        % (placed[-1] - placed[0]))

    # ---- innerItem ----
    nested = os.path.join(args.scenarios, "gcd", "nested_work_items.swift")
    tasks, _ = read_trace(args.tasklab, nested)
    inner = [t["id"] for t in tasks.values()
             if t["kind"] == "work_item" and t["creator"] in tasks and tasks[t["creator"]]["kind"] == "work_item"]
    if len(inner) != 1:
        failures.append("nested_work_items: expected one work item created by a work item, found %d" % len(inner))
    else:
        widths = {}
        for axis in (None, "time"):
            png, layout = render(args, nested, out_dir, "nested_work_items-%s" % (axis or "default"), axis)
            print(png)
            lane = [l for l in layout["lanes"] if l["task"] == inner[0]]
            if not lane or not lane[0]["visible"]:
                failures.append("nested_work_items (%s axis): innerItem's lane is not on screen" % (axis or "default"))
                continue
            states = lane[0]["states"]
            widths[axis] = sum(states[s]["pixels"] for s in ("running", "blocked") if s in states)
            if axis is None and layout.get("axis") != "time+steps":
                failures.append("nested_work_items: the default axis is %r, not time+steps" % layout.get("axis"))
        print("innerItem's bar: %s" % widths)
        if None in widths and widths[None] <= MIN_INNER_BAR:
            failures.append("nested_work_items: innerItem's bar is %.1f px wide (want > %g)" % (widths[None], MIN_INNER_BAR))
        if "time" in widths and widths["time"] >= 4:
            failures.append("nested_work_items on --axis time: innerItem's bar is %.1f px; expected a sliver"
                            % widths["time"])

    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: the dense instants are readable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
