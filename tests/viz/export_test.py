#!/usr/bin/env python3
"""Slides out: --export-steps writes one PNG per frame and --gif a valid animated GIF.

Runs `tasklab-viz --export-steps A..B OUTDIR [--per-instant] [--gif OUT.gif] FILE` on one
virtual X display (xvfb-run) and checks, for scenarios of the bundled set:

  * one PNG per step of the range, named step-NNNN.png for exactly those steps, each a valid
    PNG (signature, CRCs, decodable) of the size asked for, not blank, no two alike (also
    when two scenarios are compared);
  * with --per-instant, one PNG per distinct virtual instant of the range, the instants read
    from `tasklab run --events` (its `step` and time columns), so the two programs agree;
  * the GIF's block structure, parsed here: a GIF89a header with the screen size, the
    NETSCAPE2.0 loop extension (loop forever), one graphic control extension before each image
    descriptor, as many frames as PNGs, the delay asked for with --gif-delay (the last frame
    three times as long), every image inside the screen with a local colour table; then every
    frame is LZW-decoded and drawn over the previous ones, and the last picture must match the
    last PNG up to quantization (both are the same render);
  * the same export twice gives the same GIF, byte for byte;
  * the errors: A > B, a start beyond the run, text that is no range, a bad --gif-delay and a
    file with errors exit with status 2 (3 for the file) and say why; an end beyond the run is
    clamped to the last step with a note.

Standard library only (python3 >= 3.8); the PNG reader comes from screenshots_test.py.
"""

import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshots_test import decode_png  # noqa: E402

SIZE = (640, 480)
SCENARIO = "swift/taskgroup_child_error.swift"
INSTANT_SCENARIO = "asyncio/graceful_shutdown.py"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# ---- the run as `tasklab run --events` tells it ----

EVENT_LINE = re.compile(r"^#\d+\s+step\s+(\d+)\s+(\d+\.\d+)s\s")


def step_times(tasklab, scenario):
    """{step: time text} for every step that records an event."""
    out = subprocess.run([tasklab, "run", "--events", "--no-color", scenario], capture_output=True, text=True)
    steps = {}
    for line in out.stdout.splitlines():
        m = EVENT_LINE.match(line)
        if m:
            steps.setdefault(int(m.group(1)), set()).add(m.group(2))
    check(steps, "tasklab run --events printed no events for %s" % scenario)
    for step, times in steps.items():
        check(len(times) == 1, "step %d of %s has events at several times: %s" % (step, scenario, times))
    return {step: next(iter(times)) for step, times in steps.items()}


# ---- GIF: blocks, then LZW ----

def gif_blocks(data):
    """Parses a GIF's structure. Returns (screen size, loop count or None, frames); each frame is
    a dict with its delay (centiseconds), rectangle, colour table and LZW data."""
    check(data[:6] == b"GIF89a", "the GIF does not start with GIF89a (got %r)" % data[:6])
    width, height, flags, _bg, _aspect = struct.unpack("<HHBBB", data[6:13])
    pos = 13
    if flags & 0x80:
        pos += 3 * (2 << (flags & 7))
    loop = None
    frames = []
    control = None

    def sub_blocks(pos):
        parts = []
        while True:
            check(pos < len(data), "the GIF ends inside a data sub-block")
            n = data[pos]
            pos += 1
            if n == 0:
                return b"".join(parts), pos
            parts.append(data[pos:pos + n])
            pos += n

    while True:
        check(pos < len(data), "the GIF has no trailer (0x3B)")
        kind = data[pos]
        pos += 1
        if kind == 0x3B:
            check(pos == len(data), "bytes after the GIF trailer")
            break
        if kind == 0x21:
            label = data[pos]
            pos += 1
            if label == 0xF9:
                check(data[pos] == 4, "a graphic control extension of the wrong length")
                packed, delay, transparent = struct.unpack("<BHB", data[pos + 1:pos + 5])
                check(control is None, "two graphic control extensions before one image")
                check((packed >> 2) & 7 in (0, 1), "a frame is disposed of (the frames must build on each other)")
                control = (delay, transparent if packed & 1 else None)
                body, pos = sub_blocks(pos)
            elif label == 0xFF:
                body, pos = sub_blocks(pos)
                if body[:11] == b"NETSCAPE2.0":
                    check(len(body) == 14 and body[11] == 1, "a malformed NETSCAPE2.0 loop extension")
                    loop = struct.unpack("<H", body[12:14])[0]
            else:
                body, pos = sub_blocks(pos)
        elif kind == 0x2C:
            left, top, w, h, iflags = struct.unpack("<HHHHB", data[pos:pos + 9])
            pos += 9
            check(control is not None, "image %d has no graphic control extension" % len(frames))
            check(iflags & 0x80, "image %d has no local colour table" % len(frames))
            check(not iflags & 0x40, "image %d is interlaced" % len(frames))
            size = 2 << (iflags & 7)
            table = data[pos:pos + 3 * size]
            pos += 3 * size
            min_code = data[pos]
            pos += 1
            lzw, pos = sub_blocks(pos)
            check(0 < w and 0 < h and left + w <= width and top + h <= height,
                  "image %d (%d,%d %dx%d) lies outside the %dx%d screen" % (len(frames), left, top, w, h, width, height))
            frames.append(dict(delay=control[0], transparent=control[1], rect=(left, top, w, h), table=table,
                               min_code=min_code, lzw=lzw))
            control = None
        else:
            raise Failure("an unknown GIF block 0x%02X at byte %d" % (kind, pos - 1))
    return (width, height), loop, frames


def lzw_decode(min_code, data, count):
    """The colour indices of one image (GIF's variable-width LZW, codes packed LSB first)."""
    clear = 1 << min_code
    end = clear + 1
    out = bytearray()
    table = [bytes([i]) for i in range(clear)] + [b"", b""]
    width = min_code + 1
    bits = nbits = 0
    prev = None
    for byte in data:
        bits |= byte << nbits
        nbits += 8
        while nbits >= width:
            code = bits & ((1 << width) - 1)
            bits >>= width
            nbits -= width
            if code == clear:
                table = table[:clear + 2]
                width = min_code + 1
                prev = None
                continue
            if code == end:
                check(len(out) == count, "an image decodes to %d pixels, not %d" % (len(out), count))
                return out
            if code < len(table):
                entry = table[code]
                if prev is not None:
                    table.append(prev + entry[:1])
            else:
                check(prev is not None and code == len(table), "a bad LZW code %d" % code)
                entry = prev + prev[:1]
                table.append(entry)
            out += entry
            prev = entry
            if len(table) == (1 << width) and width < 12:
                width += 1
    raise Failure("an image's LZW data has no end code")


def gif_last_picture(screen, frames):
    """Draws every frame over the previous ones (transparent pixels keep what is under them);
    returns the last picture as RGB rows."""
    width, height = screen
    canvas = bytearray(width * height * 3)
    for f in frames:
        left, top, w, h = f["rect"]
        indices = lzw_decode(f["min_code"], f["lzw"], w * h)
        table = f["table"]
        clear = f["transparent"]
        for y in range(h):
            row = indices[y * w:(y + 1) * w]
            start = ((top + y) * width + left) * 3
            if clear is None:
                canvas[start:start + 3 * w] = b"".join(table[3 * i:3 * i + 3] for i in row)
                continue
            for x, i in enumerate(row):
                if i != clear:
                    canvas[start + 3 * x:start + 3 * x + 3] = table[3 * i:3 * i + 3]
    return [bytes(canvas[y * width * 3:(y + 1) * width * 3]) for y in range(height)]


# ---- running the visualizer ----

def viz(args, *options):
    return subprocess.run([args.viz, "--size", "%dx%d" % SIZE] + list(options), capture_output=True, text=True, timeout=240)


def check_pngs(out_dir, expected_steps, total_steps, distinct=True):
    names = sorted(n for n in os.listdir(out_dir) if n.endswith(".png"))
    digits = max(4, len(str(total_steps)))
    want = ["step-%0*d.png" % (digits, s) for s in expected_steps]
    check(names == want, "PNGs in %s: %s, expected %s" % (out_dir, names, want))
    last = None
    seen = set()
    for name in names:
        with open(os.path.join(out_dir, name), "rb") as f:
            data = f.read()
        check(not distinct or data not in seen, "%s is the same picture as an earlier frame (the cursor did not move)" % name)
        seen.add(data)
        check(data[:8] == b"\x89PNG\r\n\x1a\n", "%s has no PNG signature" % name)
        w, h = struct.unpack(">II", data[16:24])
        check((w, h) == SIZE, "%s is %dx%d, not %dx%d" % (name, w, h, SIZE[0], SIZE[1]))
        width, height, channels, rows = decode_png(data)
        colours = set()
        for row in rows[::16]:
            for x in range(0, width * channels, channels * 7):
                colours.add(row[x:x + 3])
        check(len(colours) >= 16, "%s looks blank (%d colours)" % (name, len(colours)))
        last = (rows, channels)
    return last


def check_gif(path, frames_expected, delay_cs, last_png):
    with open(path, "rb") as f:
        data = f.read()
    screen, loop, frames = gif_blocks(data)
    check(screen == SIZE, "the GIF's screen is %dx%d, not %dx%d" % (screen + SIZE))
    check(loop == 0, "the GIF does not loop forever (loop count %r)" % loop)
    check(len(frames) == frames_expected, "the GIF has %d frames, expected %d" % (len(frames), frames_expected))
    delays = [f["delay"] for f in frames]
    want = [delay_cs] * frames_expected
    if frames_expected > 1:
        want[-1] = 3 * delay_cs
    check(delays == want, "GIF delays %s, expected %s" % (delays, want))
    check(frames[0]["rect"] == (0, 0) + SIZE, "the first GIF frame does not cover the screen")
    check(frames[0]["transparent"] is None, "the first GIF frame has transparent pixels (nothing lies under it)")
    if last_png is not None:
        rows, channels = last_png
        picture = gif_last_picture(screen, frames)
        off = big = 0
        total = 0
        for y in range(0, SIZE[1], 3):
            a, b = picture[y], rows[y]
            for x in range(SIZE[0]):
                d = max(abs(a[3 * x + c] - b[channels * x + c]) for c in range(3))
                total += 1
                off += d > 8
                big += d > 48
        check(off <= total * 0.03 and big <= total * 0.002,
              "the GIF's last picture differs from the last PNG: %d of %d pixels off, %d far off" % (off, total, big))


def run_cases(args, work):
    scenario = os.path.join(args.scenarios, SCENARIO)
    times = step_times(args.tasklab, scenario)
    total = max(times)
    check(sorted(times) == list(range(total + 1)), "expected every step of %s to record events" % SCENARIO)

    print("steps 2..7 as PNGs")
    out = os.path.join(work, "steps")
    r = viz(args, "--export-steps", "2..7", out, scenario)
    check(r.returncode == 0, "--export-steps 2..7 exited %d: %s" % (r.returncode, r.stderr))
    check_pngs(out, range(2, 8), total)

    print("the whole run as PNGs and a GIF, presenter mode, scale 2")
    out = os.path.join(work, "all")
    gif = os.path.join(work, "all.gif")
    r = viz(args, "--export-steps", "0..", out, "--gif", gif, "--gif-delay", "120", "--presenter", "--scale", "2", scenario)
    check(r.returncode == 0, "--export-steps 0.. --gif exited %d: %s" % (r.returncode, r.stderr))
    # (At 640x480 and three times the scale the step readout may not fit: frames can repeat.)
    last = check_pngs(out, range(0, total + 1), total, distinct=False)
    check_gif(gif, total + 1, 12, last)

    print("a GIF alone covers the whole run, byte for byte the same each time")
    gifs = []
    for n in (1, 2):
        gif = os.path.join(work, "alone%d.gif" % n)
        r = viz(args, "--gif", gif, "--theme", "light", scenario)
        check(r.returncode == 0, "--gif alone exited %d: %s" % (r.returncode, r.stderr))
        with open(gif, "rb") as f:
            gifs.append(f.read())
    check_gif(gif, total + 1, 50, None)
    check(gifs[0] == gifs[1], "two exports of the same run made different GIFs")

    print("a comparison exports too")
    out = os.path.join(work, "compare")
    other = os.path.join(args.scenarios, "gcd/nested_work_items.swift")
    r = viz(args, "--export-steps", "..3", out, "--compare", scenario, other)
    check(r.returncode == 0, "a comparison's export exited %d: %s" % (r.returncode, r.stderr))
    check_pngs(out, range(0, 4), total)

    print("an end beyond the run is clamped, with a note")
    out = os.path.join(work, "clamped")
    r = viz(args, "--export-steps", "%d..%d" % (total - 2, total + 50), out, scenario)
    check(r.returncode == 0, "an end beyond the run exited %d: %s" % (r.returncode, r.stderr))
    check("run ends at step %d" % total in r.stderr, "no note about the clamped end: %r" % r.stderr)
    check_pngs(out, range(total - 2, total + 1), total)

    print("one frame per virtual instant, as many as `tasklab run --events` shows")
    for name, lo, hi in ((SCENARIO, 3, 8), (SCENARIO, 0, None), (INSTANT_SCENARIO, 0, None)):
        path = os.path.join(args.scenarios, name)
        t = step_times(args.tasklab, path) if name != SCENARIO else times
        last_step = max(t) if hi is None else hi
        instants = sorted({t[s] for s in t if lo <= s <= last_step}, key=float)
        out = os.path.join(work, "instants-%s-%d" % (os.path.basename(name), lo))
        rng = "%d..%s" % (lo, "" if hi is None else hi)
        r = viz(args, "--export-steps", rng, out, "--per-instant", path)
        check(r.returncode == 0, "--per-instant %s exited %d: %s" % (rng, r.returncode, r.stderr))
        pngs = sorted(n for n in os.listdir(out) if n.endswith(".png"))
        check(len(pngs) == len(instants),
              "%s %s: %d PNGs for %d virtual instants %s" % (name, rng, len(pngs), len(instants), instants))
        # Each frame is its instant's last step: the steps drawn have increasing, distinct times.
        drawn = [int(n[5:-4]) for n in pngs]
        drawn_times = [t[s] for s in drawn if s in t]
        check(len(set(drawn_times)) == len(drawn_times), "%s: two frames of one instant: %s" % (name, drawn))
        if name == SCENARIO:
            want = [max(s for s in t if lo <= s <= last_step and t[s] == time) for time in instants]
            check(drawn == want, "%s %s: frames at steps %s, expected the instants' last steps %s" % (name, rng, drawn, want))

    print("bad ranges and files")
    for options, status, words in (
        (["--export-steps", "7..2", os.path.join(work, "bad")], 2, "A > B"),
        (["--export-steps", "%d.." % (total + 1), os.path.join(work, "bad")], 2, "run ends at step %d" % total),
        (["--export-steps", "two..5", os.path.join(work, "bad")], 2, "A..B"),
        (["--export-steps", "1..5"], 2, "need a scenario file"),
        (["--gif", os.path.join(work, "bad.gif"), "--gif-delay", "5"], 2, "--gif-delay"),
        (["--per-instant"], 2, "--per-instant"),
    ):
        r = viz(args, *(options + [scenario]))
        check(r.returncode == status, "%s exited %d, not %d (%s)" % (" ".join(options), r.returncode, status, r.stderr))
        check(words in r.stderr, "%s: stderr lacks %r: %r" % (" ".join(options), words, r.stderr))
    check(not os.path.exists(os.path.join(work, "bad")), "a failed export created its folder")
    broken = os.path.join(work, "broken.swift")
    with open(broken, "w") as f:
        f.write('print("never closed\n')
    r = viz(args, "--export-steps", "0..", os.path.join(work, "bad"), broken)
    check(r.returncode == 3, "a file with errors exited %d, not 3" % r.returncode)
    check("broken.swift:1:7: error:" in r.stderr, "the diagnostics are not on stderr: %r" % r.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viz", required=True, help="the tasklab-viz binary")
    parser.add_argument("--tasklab", required=True, help="the tasklab binary")
    parser.add_argument("--scenarios", required=True, help="the bundled scenario directory")
    parser.add_argument("--xvfb-run", help="run everything on one display of this xvfb-run")
    parser.add_argument("--out", help="keep the files here (default: a new temporary directory)")
    args = parser.parse_args()

    if args.xvfb_run and not os.environ.get("TASKLAB_EXPORT_ON_DISPLAY"):
        env = dict(os.environ, TASKLAB_EXPORT_ON_DISPLAY="1")
        cmd = [args.xvfb_run, "-a", "-s", "-screen 0 1920x1200x24", sys.executable] + sys.argv
        return subprocess.call(cmd, env=env)

    work = args.out or tempfile.mkdtemp(prefix="tasklab-export-")
    os.makedirs(work, exist_ok=True)
    print("files in %s" % work)
    try:
        run_cases(args, work)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
