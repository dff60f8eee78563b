#!/usr/bin/env python3
"""Every classroom view shows every lane of its lesson, uncovered, and a whole toolbar.

A teacher projects tasklab-viz: in presenter mode, at `--scale 2`, in a 1024x768 window, or
comparing two runs. This test renders the classroom matrix with `tasklab-viz --screenshot`:

  * the lessons swift/taskgroup_child_error.swift, gcd/nested_work_items.swift,
    asyncio/server_cancel_and_await.py, swift/async_let_explicit_cancel.swift and
    asyncio/antipattern_cancel_without_await.py
    x {normal, presenter} x {1024x768, 1600x1000, 1920x1080} x {scale 1, 2} x {at the end, at step 8};
  * compare (gcd/nested_work_items.swift with swift/taskgroup_child_error.swift), normal and
    presenter, at 1600x1000 and 1024x768;

and reads the layout sidecar each one writes (OUT.png.json, viz/layout_report.hpp). A view
fails when

  * tasklab-viz fails, or the image is not the size asked for, or the mode (normal, compare,
    presenter) is not the one asked for;
  * a lane is missing: a run's lanes (each counting the alike lanes drawn in its row) are not
    that run's tasks, or a compared run is not drawn at all, or (where nothing is grouped) the
    lanes are not the tasks `tasklab run --trace -` lists;
  * a lane is not whole on screen: its row does not lie inside its run's canvas;
  * anything covers a lane's bar or label: a caption, any other window laid out or drawn over
    the lanes (a subtitle box, a tab strip, a lower panel), measured on the lane's whole row;
  * compare shares a selection: the task selected in run A (`--select 2`) shows selected in run
    B too (each run has its own selection);
  * a caption is missing at the end of a lesson (every one has notes), or lies outside the window;
  * the toolbar (or any window that cannot scroll) is cut: what it drew reaches past its edge.

The checker tests itself first on made-up layouts that must fail. The renders run in parallel
on one virtual X display (xvfb-run). PNGs stay in a temporary directory (or --out DIR).

Standard library only (python3 >= 3.8).
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

LESSONS = (
    "swift/taskgroup_child_error.swift",
    "gcd/nested_work_items.swift",
    "asyncio/server_cancel_and_await.py",
    "swift/async_let_explicit_cancel.swift",
    "asyncio/antipattern_cancel_without_await.py",
)
SIZES = ((1024, 768), (1600, 1000), (1920, 1080))
SCALES = (1, 2)
MOMENTS = ("end", "step8")
COMPARE = ("gcd/nested_work_items.swift", "swift/taskgroup_child_error.swift")
COMPARE_SIZES = ((1600, 1000), (1024, 768))
# Compare views select this task (in run A, the run in focus): run B must not show it selected.
SELECT = 2
# Every lesson above has reached a note by its end: there its caption must show (at step 8 a
# lesson may not have reached its first note yet).
# Rectangles touching by less than this many pixels do not overlap (anti-aliased edges).
SLACK = 0.5


class View:
    def __init__(self, name, files, width, height, presenter=False, scale=1, step=None):
        self.name = name
        self.files = files
        self.width = width
        self.height = height
        self.presenter = presenter
        self.scale = scale
        self.step = step
        self.select = None

    def args(self):
        a = ["--size", "%dx%d" % (self.width, self.height)]
        if self.presenter:
            a.append("--presenter")
        if self.scale != 1:
            a += ["--scale", str(self.scale)]
        if self.step is not None:
            a += ["--step", str(self.step)]
        if self.select is not None:
            a += ["--select", str(self.select)]
        if len(self.files) == 2:
            a.append("--compare")
        return a + list(self.files)


def matrix(root):
    views = []
    for lesson in LESSONS:
        stem = os.path.splitext(lesson.replace("/", "-"))[0]
        for presenter in (False, True):
            for w, h in SIZES:
                for scale in SCALES:
                    for moment in MOMENTS:
                        name = "%s-%s-%dx%d-s%d-%s" % (stem, "presenter" if presenter else "normal", w, h, scale, moment)
                        views.append(View(name, [os.path.join(root, lesson)], w, h, presenter, scale,
                                          8 if moment == "step8" else None))
    for presenter in (False, True):
        for w, h in COMPARE_SIZES:
            name = "compare-%s-%dx%d" % ("presenter" if presenter else "normal", w, h)
            view = View(name, [os.path.join(root, f) for f in COMPARE], w, h, presenter)
            view.select = SELECT
            views.append(view)
    return views


# ---- the checks ----

def overlap(a, b):
    """Whether rectangles [x0, y0, x1, y1] share more than a sliver."""
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def lane_rect(layout, lane):
    """A lane's whole row: its label in the gutter and its bar across the plot."""
    run = next((r for r in layout["runs"] if r["run"] == lane["run"]), None)
    canvas = run["canvas"] if run else layout["canvas"]
    return [canvas[0], lane["y0"], canvas[2], lane["y1"]]


def check_layout(layout, view, trace_tasks):
    """The problems of one view's layout (empty when it is fine)."""
    problems = []
    if layout.get("format") != "tasklab-viz-layout" or layout.get("version", 0) < 2:
        return ["not a layout sidecar of version 2 or later"]
    if (layout["image"]["width"], layout["image"]["height"]) != (view.width, view.height):
        problems.append("the image is %dx%d, asked for %dx%d"
                        % (layout["image"]["width"], layout["image"]["height"], view.width, view.height))
    expected_mode = "compare" if len(view.files) == 2 else "normal"
    if layout["mode"] != expected_mode:
        problems.append("the mode is %r, expected %r" % (layout["mode"], expected_mode))
    if layout["presenter"] != view.presenter:
        problems.append("presenter mode is %s, expected %s" % (layout["presenter"], view.presenter))
    if not layout["timeline_drawn"]:
        problems.append("no lanes were drawn")

    # Every run drawn, every lane there.
    tags = ["A", "B"][:len(view.files)]
    runs = {r["run"]: r for r in layout["runs"]}
    for tag, path in zip(tags, view.files):
        run = runs.get(tag)
        if run is None or run["tasks"] == 0:
            problems.append("run %s (%s) is not drawn" % (tag, os.path.basename(path)))
            continue
        lanes = [lane for lane in layout["lanes"] if lane["run"] == tag]
        drawn = sum(1 + lane["alike"] for lane in lanes)
        if drawn != run["tasks"]:
            problems.append("run %s: %d of %d tasks have a lane" % (tag, drawn, run["tasks"]))
        expected = trace_tasks.get(path)
        if expected is not None and all(lane["alike"] == 0 for lane in lanes):
            # The tasks created up to the cursor: the first run["tasks"] of the whole run's.
            got = sorted((lane["task"], lane["name"]) for lane in lanes)
            want = sorted(expected)[:run["tasks"]]
            if got != want:
                missing = sorted(set(want) - set(got))[:4]
                extra = sorted(set(got) - set(want))[:4]
                problems.append("run %s: the lanes are not the trace's tasks (missing %s, extra %s)" % (tag, missing, extra))
        if view.step is None and run.get("caption") is None:
            problems.append("run %s shows no caption" % tag)
        elif run.get("caption") is not None:
            c = run["caption"]
            if not (0 <= c[0] < c[2] <= view.width + SLACK and 0 <= c[1] < c[3] <= view.height + SLACK):
                problems.append("run %s: its caption %s lies outside the window" % (tag, c))

    # Each run its own selection: the task selected in A (the run in focus) is selected there
    # only, not in B, whose task of the same number is another task.
    if view.select is not None:
        selected = [(lane["run"], lane["task"]) for lane in layout["lanes"] if lane.get("selected")]
        if selected != [("A", view.select)]:
            problems.append("selected lanes %s, expected only run A's task %d" % (selected, view.select))

    # Every lane whole on screen and uncovered.
    covers = []
    for run in layout["runs"]:
        if run.get("caption") is not None:
            covers.append(("the caption of run %s" % run["run"], run["caption"]))
    for w in layout["windows"]:
        if w["window"] != layout["lanes_window"]:
            covers.append(("window %r" % w["window"], w["rect"]))
    for c in layout["covered"]:
        covers.append(("window %r drawn over the lanes" % c["window"], c["rect"]))
    for lane in layout["lanes"]:
        run = runs.get(lane["run"])
        label = "run %s lane %r" % (lane["run"], lane["name"])
        if run is None:
            problems.append("%s belongs to no run" % label)
            continue
        canvas = run["canvas"]
        if not lane["visible"] or lane["y0"] < canvas[1] - SLACK or lane["y1"] > canvas[3] + SLACK:
            problems.append("%s is not whole on screen (rows %.0f..%.0f, canvas %.0f..%.0f)"
                            % (label, lane["y0"], lane["y1"], canvas[1], canvas[3]))
            continue
        rect = lane_rect(layout, lane)
        for what, r in covers:
            if overlap(rect, r):
                problems.append("%s is covered by %s" % (label, what))

    # Nothing cut: a window that cannot scroll keeps what it drew inside its edges.
    for w in layout["windows"]:
        if w["scrolls"]:
            continue
        r, c = w["rect"], w["content"]
        if c[2] > r[2] + 1 or c[3] > r[3] + 1:
            problems.append("window %r is cut: it drew to (%.0f, %.0f), its edge is at (%.0f, %.0f)"
                            % (w["window"], c[2], c[3], r[2], r[3]))
    if not any(w["window"] == "Controls" for w in layout["windows"]):
        problems.append("the toolbar was not drawn")
    return problems


def checker_self_test():
    """The checker must fail made-up layouts with each kind of fault."""
    view = View("self-test", ["a.swift"], 800, 600)
    good = {
        "format": "tasklab-viz-layout", "version": 2, "mode": "normal", "presenter": False,
        "image": {"width": 800, "height": 600}, "timeline_drawn": True, "lanes_window": "Timeline",
        "canvas": [0, 100, 800, 300],
        "runs": [{"run": "A", "tasks": 2, "canvas": [0, 100, 800, 300], "caption": [100, 310, 700, 350]}],
        "lanes": [{"run": "A", "task": 1, "name": "main", "alike": 0, "visible": True, "y0": 100, "y1": 140},
                  {"run": "A", "task": 2, "name": "child", "alike": 0, "visible": True, "y0": 140, "y1": 180}],
        "windows": [{"window": "Controls", "rect": [0, 0, 800, 100], "content": [5, 5, 790, 95], "scrolls": False},
                    {"window": "Timeline", "rect": [0, 100, 800, 300], "content": [0, 100, 800, 300], "scrolls": False},
                    {"window": "Source", "rect": [0, 360, 800, 600], "content": [0, 360, 1400, 900], "scrolls": True}],
        "covered": [],
    }
    tasks = {"a.swift": [(1, "main"), (2, "child")]}
    if check_layout(good, view, tasks):
        raise AssertionError("the checker's self-test: a good layout fails: %s" % check_layout(good, view, tasks))

    def bad(change, expect):
        layout = json.loads(json.dumps(good))
        change(layout)
        problems = check_layout(layout, view, tasks)
        if not any(expect in p for p in problems):
            raise AssertionError("the checker's self-test: %r not reported (got %s)" % (expect, problems))

    bad(lambda l: l["lanes"].pop(), "1 of 2 tasks")
    bad(lambda l: l["runs"][0].__setitem__("caption", [100, 150, 700, 200]), "covered by the caption")
    bad(lambda l: l["windows"].append({"window": "##subtitle", "rect": [0, 130, 800, 160], "content": [0, 0, 0, 0],
                                       "scrolls": False}), "covered by window '##subtitle'")
    bad(lambda l: l["covered"].append({"window": "tooltip", "rect": [300, 170, 400, 200]}), "drawn over the lanes")
    bad(lambda l: l["lanes"][1].update({"y0": 280, "y1": 320}), "not whole on screen")
    bad(lambda l: l["windows"][0].update({"content": [5, 5, 830, 95]}), "'Controls' is cut")
    bad(lambda l: l["runs"][0].__setitem__("caption", None), "shows no caption")
    bad(lambda l: l.__setitem__("presenter", True), "presenter mode")
    bad(lambda l: l["lanes"][1].__setitem__("name", "other"), "not the trace's tasks")
    compare = View("self-test-compare", ["a.swift", "b.swift"], 800, 600)
    compare.select = 2
    two = json.loads(json.dumps(good))
    two["mode"] = "compare"
    two["runs"].append({"run": "B", "tasks": 1, "canvas": [0, 190, 800, 300], "caption": None})
    two["runs"][0]["canvas"] = [0, 100, 800, 180]
    two["lanes"].append({"run": "B", "task": 2, "name": "other", "alike": 0, "visible": True, "y0": 190, "y1": 230,
                         "selected": True})
    two["lanes"][1]["selected"] = True
    problems = check_layout(two, compare, {})
    if not any("expected only run A's task 2" in p for p in problems):
        raise AssertionError("the checker's self-test: a selection shared across runs is not reported (got %s)" % problems)


# ---- running ----

def trace_tasks(tasklab, scenario):
    """The tasks of the run, from the header line of `tasklab run --trace -`."""
    proc = subprocess.run([tasklab, "run", "--trace", "-", scenario], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    header = json.loads(proc.stdout.split(b"\n", 1)[0])
    return [(t["id"], t["name"]) for t in header["tasks"]]


def render(viz, out_dir, view):
    png = os.path.join(out_dir, view.name + ".png")
    layout = png + ".json"
    for stale in (png, layout):
        if os.path.exists(stale):
            os.remove(stale)
    for attempt in range(3):
        try:
            proc = subprocess.run([viz, "--screenshot", png] + view.args(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=180)
        except subprocess.TimeoutExpired:
            return png, None, "tasklab-viz did not finish within 180 s"
        # A busy virtual X server now and then refuses a connection: that is not the view's
        # fault, so the render is tried again (twice at most).
        if proc.returncode == 0 or b"cannot open a window" not in proc.stderr:
            break
        time.sleep(1 + attempt)
    if proc.returncode != 0 or not os.path.exists(layout):
        return png, None, "tasklab-viz exited with status %d: %s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace").strip()[:300])
    with open(layout, encoding="utf-8") as f:
        return png, json.load(f), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viz", required=True, help="the tasklab-viz binary")
    parser.add_argument("--tasklab", required=True, help="the tasklab binary")
    parser.add_argument("--scenarios", required=True, help="the bundled scenario directory")
    parser.add_argument("--xvfb-run", help="run everything on one display of this xvfb-run")
    parser.add_argument("--out", help="keep the PNGs here (default: a new temporary directory)")
    parser.add_argument("--jobs", type=int, default=0, help="renders at once (default: the number of CPUs, at least 2)")
    parser.add_argument("--only", help="only views whose name contains this text")
    args = parser.parse_args()

    if args.xvfb_run and not os.environ.get("TASKLAB_CLASSROOM_ON_DISPLAY"):
        env = dict(os.environ, TASKLAB_CLASSROOM_ON_DISPLAY="1")
        w = max(s[0] for s in SIZES + COMPARE_SIZES)
        h = max(s[1] for s in SIZES + COMPARE_SIZES)
        cmd = [args.xvfb_run, "-a", "-s", "-screen 0 %dx%dx24" % (w, h), sys.executable] + sys.argv
        return subprocess.call(cmd, env=env)

    checker_self_test()
    views = matrix(args.scenarios)
    if args.only:
        views = [v for v in views if args.only in v.name]
    out_dir = args.out or tempfile.mkdtemp(prefix="tasklab-classroom-")
    os.makedirs(out_dir, exist_ok=True)
    print("%d views; screenshots in %s" % (len(views), out_dir))
    started = time.monotonic()

    tasks = {}
    for path in sorted({f for v in views for f in v.files}):
        try:
            tasks[path] = trace_tasks(args.tasklab, path)
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            print("FAIL %s: no trace header: %s" % (path, e))
            return 1

    jobs = args.jobs or max(2, os.cpu_count() or 2)
    failures = []
    passed = 0
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = pool.map(lambda v: (v, render(args.viz, out_dir, v)), views)
        for view, (png, layout, error) in results:
            problems = [error] if error else check_layout(layout, view, tasks)
            if problems:
                print("FAIL %s" % png)
                failures += ["%s: %s" % (view.name, p) for p in problems]
            else:
                passed += 1
                print("ok   %s" % png)
            sys.stdout.flush()

    print("%d of %d classroom views show every lane uncovered and a whole toolbar (%.1f s)"
          % (passed, len(views), time.monotonic() - started))
    if failures:
        print("\n%d problem(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
