#!/usr/bin/env python3
"""The window keeps drawing while a scenario's run never ends, and Stop (Esc) ends the run.

Runs `tasklab-viz --frames-report` on a virtual X display (xvfb-run): the window's own frame
loop without a person, writing what every frame saw. For each endless loop a student may write
-- Swift `while true {}`, Python `while True: pass`, and `while true {}` in a GCD block -- with a
statement budget no loop reaches (so only Stop can end the run), the test checks that

  * frames were drawn while the run was in flight (the worker thread runs it, the window does
    not wait), and the run sat inside one step meanwhile (every such frame saw the same step
    count: one endless step, not many quick ones);
  * Esc, pressed once that many frames were drawn, ended the run: the file opens at its end
    with the status "stopped" and "stopped by the user after N steps", N its last step;
  * with the default budget instead, a Swift and a Python endless loop end at the statement
    budget, and the file opens at that limit (the cursor at the last step, the message a
    step-limit diagnostic), with no Esc.

Nothing here depends on how fast the machine is: the counts are of frames and steps, the
wall-clock figures in the report are printed only for information.

Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ENDLESS = 10 ** 15  # statements: no loop gets there while a test runs
FRAMES_BEFORE_ESC = 12

CASES = [
    ("loop.swift", 'print("before")\nwhile true {}\n'),
    ("loop.py", "print('before')\nwhile True:\n    pass\n"),
    ("gcd_loop.swift", 'import Foundation\nDispatchQueue.global().async { while true {} }\nsleep(1)\nprint("main done")\n'),
]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def frames_report(args, work, path, *options):
    report = os.path.join(work, os.path.basename(path) + "".join(o.strip("-")[:4] for o in options) + ".json")
    cmd = [args.viz, "--frames-report", report, "--size", "1024x768"] + list(options) + [path]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    check(r.returncode == 0, "%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr))
    with open(report) as f:
        data = json.load(f)
    check(not data["timed_out"], "%s: the run never ended" % path)
    return data


def plural_steps(n):
    return "%d step%s" % (n, "" if n == 1 else "s")


def stopped_case(args, work, name, text):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    d = frames_report(args, work, path, "--statement-budget", str(ENDLESS), "--stop-after-frames", str(FRAMES_BEFORE_ESC))
    check(d["frames_while_running"] >= FRAMES_BEFORE_ESC,
          "%s: only %d frames drawn while the run was in flight" % (name, d["frames_while_running"]))
    check(d["esc_pressed"], "%s: Esc was never pressed (the run ended by itself?)" % name)
    log = d["frame_log"]
    before_esc = [f for f in log[: d["esc_frame"]] if f["running"]]
    check(len(before_esc) >= FRAMES_BEFORE_ESC - 1, "%s: %d running frames before Esc" % (name, len(before_esc)))
    # After the first few frames the run is inside its endless step: the frames kept coming
    # while the step count stood still.
    settled = before_esc[len(before_esc) // 2:]
    check(len({f["steps"] for f in settled}) == 1,
          "%s: the step count moved while the window drew: %s" % (name, sorted({f["steps"] for f in settled})))
    check(d["has_run"], "%s: no run shown after the stop" % name)
    check(d["state"] == "stopped", "%s: the run ended as %s, not stopped" % (name, d["state"]))
    check(d["message"] == "stopped by the user after " + plural_steps(d["total_steps"]),
          "%s: message %r for %d steps" % (name, d["message"], d["total_steps"]))
    check(d["step"] == d["total_steps"] and d["at_end"], "%s: the stopped run did not open at its end (step %d of %d)"
          % (name, d["step"], d["total_steps"]))
    check(not log[-1]["running"], "%s: the last frame still saw a run in flight" % name)
    print("%s: %d frames, %d while running; stopped after %s; Esc to idle %.0f ms, longest gap between frames after the first two %.0f ms (info)"
          % (name, d["frames"], d["frames_while_running"], plural_steps(d["total_steps"]), d["info_esc_to_idle_ms"],
             d["info_max_frame_gap_ms"]))


def limit_case(args, work, name, text):
    path = os.path.join(work, "limit_" + name)
    with open(path, "w") as f:
        f.write(text)
    d = frames_report(args, work, path, "--statement-budget", "200000")
    check(not d["esc_pressed"], "%s: Esc pressed without --stop-after-frames" % name)
    check(d["has_run"], "%s: no run shown" % name)
    check(d["state"] == "runtime_error" and d["diagnostic_kind_is_step_limit"],
          "%s: ended as %s (%r), not at the statement budget" % (name, d["state"], d["message"]))
    check("200000" in d["message"], "%s: the message does not name the budget: %r" % (name, d["message"]))
    check(d["step"] == d["total_steps"] and d["at_end"], "%s: did not open at the limit (step %d of %d)"
          % (name, d["step"], d["total_steps"]))
    print("%s: opened at the limit, step %d: %s" % (name, d["step"], d["message"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viz", required=True, help="the tasklab-viz binary")
    parser.add_argument("--xvfb-run", help="run everything on one display of this xvfb-run")
    parser.add_argument("--out", help="keep the files here (default: a new temporary directory)")
    args = parser.parse_args()

    if args.xvfb_run and not os.environ.get("TASKLAB_RESPONSIVE_ON_DISPLAY"):
        env = dict(os.environ, TASKLAB_RESPONSIVE_ON_DISPLAY="1")
        cmd = [args.xvfb_run, "-a", "-s", "-screen 0 1920x1200x24", sys.executable] + sys.argv
        return subprocess.call(cmd, env=env)

    work = args.out or tempfile.mkdtemp(prefix="tasklab-responsive-")
    os.makedirs(work, exist_ok=True)
    print("files in %s" % work)
    try:
        for name, text in CASES:
            stopped_case(args, work, name, text)
        for name, text in CASES[:2]:
            limit_case(args, work, name, text)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
