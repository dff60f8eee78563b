#!/usr/bin/env python3
"""Every bundled scenario renders to a PNG whose lanes show their states.

For each scenario under scenarios/swift, scenarios/gcd and scenarios/asyncio, this test runs
`tasklab-viz --screenshot OUT.png FILE` on one virtual X display (xvfb-run), reads the layout
sidecar the visualizer writes next to it (OUT.png.json: the timeline's rectangles, every lane's
pixel rows and the states its bar shows, the theme's colour per state; see
viz/layout_report.hpp), decodes the PNG with the small PNG reader below and checks that

  * the image has the size asked for and is not blank (many distinct colours);
  * the timeline was drawn, its rectangles and every visible lane lie inside the image;
  * every state a lane shows at least MIN_STATE_PIXELS wide has its colour in that lane's bar
    rows, within the x ranges where the sidecar says the state is drawn (within a small
    tolerance, or blended over the background at least half way: patterns are drawn with
    anti-aliased lines and translucent fills). Parts under a window drawn over the timeline
    (the narration subtitle) are left out; a state hidden there entirely is printed as a note;
  * there is one lane per task, and the lanes are the tasks `tasklab run --trace -` lists (a
    row of alike lanes, "+988 alike", counts every task it stands for).

The PNG reader checks itself first on small images made with every filter type.

Each scenario is rendered on the three axes (virtual time, time + steps, scheduler steps). The
PNGs stay in a temporary directory (or --out DIR) and their paths are printed. A failure names the scenario,
the axis and what was missing.

Standard library only (python3 >= 3.8).
"""

import argparse
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

WIDTH, HEIGHT = 1600, 1000
AXES = ("time", "time+steps", "steps")
# A pixel shows a colour when every channel is within TOLERANCE of it, or of the colour blended
# over the background with an opacity of at least MIN_BLEND.
TOLERANCE = 12
MIN_BLEND = 0.5
MIN_IMAGE_COLOURS = 64
# States drawn narrower than this (a zero-length state is drawn one pixel wide) may sit under a
# mark or the cursor line: they are not required to show. This holds for each span: a state made
# of several one-pixel spans, each at an instant crowded with marks, is not required either.
MIN_STATE_PIXELS = 3.0


# ---- a small PNG reader: 8-bit RGB / RGBA, not interlaced, the five filter types ----

class PngError(Exception):
    pass


def _swar_add(x, y, low7, high):
    """Byte-wise (mod 256) sum of two byte strings held as little-endian integers."""
    return ((x & low7) + (y & low7)) ^ ((x ^ y) & high)


# Where the row above is flat (b == c), the Paeth predictor is the left byte: those runs are
# undone like Sub rows, by a prefix sum, and only the rest byte by byte.
_FLAT_RUN = re.compile(b"\\x00{24,}")


def _paeth_bytes(buf, prev, bpp, begin, end):
    for i in range(begin, end):
        a = buf[i - bpp]
        b = prev[i]
        c = prev[i - bpp]
        pa = b - c if b > c else c - b
        pb = a - c if a > c else c - a
        pc = a + b - c - c
        if pc < 0:
            pc = -pc
        if pa <= pb and pa <= pc:
            buf[i] = (buf[i] + a) & 0xFF
        elif pb <= pc:
            buf[i] = (buf[i] + b) & 0xFF
        else:
            buf[i] = (buf[i] + c) & 0xFF


def _prefix_sum(seg, bpp):
    """Byte-wise (mod 256) prefix sums of `seg` with stride bpp."""
    n = len(seg)
    high = int.from_bytes(b"\x80" * n, "little")
    low7 = high ^ ((1 << (8 * n)) - 1)
    mask = (1 << (8 * n)) - 1
    x = int.from_bytes(seg, "little")
    shift = 8 * bpp
    while shift < 8 * n:
        x = _swar_add(x, (x << shift) & mask, low7, high)
        shift *= 2
    return x.to_bytes(n, "little")


def _unpaeth(line, prev, bpp, stride):
    buf = bytearray(line)
    for i in range(bpp):  # no left neighbour: the predictor is the byte above
        buf[i] = (buf[i] + prev[i]) & 0xFF
    flat = (int.from_bytes(prev[bpp:], "little") ^ int.from_bytes(prev[:-bpp], "little")).to_bytes(stride - bpp, "little")
    i = bpp
    for run in _FLAT_RUN.finditer(flat):
        begin, end = run.start() + bpp, run.end() + bpp
        _paeth_bytes(buf, prev, bpp, i, begin)
        seg = bytearray(buf[begin:end])
        for k in range(bpp):
            seg[k] = (seg[k] + buf[begin - bpp + k]) & 0xFF
        buf[begin:end] = _prefix_sum(seg, bpp)
        i = end
    _paeth_bytes(buf, prev, bpp, i, stride)
    return bytes(buf)


def decode_png(data, max_rows=None):
    """Returns (width, height, channels, rows): rows[y] is bytes of width * channels values.
    With max_rows, stops after that many rows (the rest are not needed)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PngError("not a PNG file (bad signature)")
    pos, header, idat = 8, None, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise PngError("bad CRC in chunk %r" % kind)
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None or not idat:
        raise PngError("no IHDR or no IDAT chunk")
    width, height, depth, colour_type, compression, filter_method, interlace = header
    if depth != 8 or colour_type not in (2, 6) or compression or filter_method or interlace:
        raise PngError("unsupported PNG: depth %d, colour type %d, interlace %d" % (depth, colour_type, interlace))
    bpp = 3 if colour_type == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) != height * (stride + 1):
        raise PngError("image data has %d bytes, expected %d" % (len(raw), height * (stride + 1)))
    high = int.from_bytes(b"\x80" * stride, "little")
    low7 = int.from_bytes(b"\x7f" * stride, "little")
    rows = []
    prev = bytes(stride)
    for y in range(height if max_rows is None else min(height, max_rows)):
        start = y * (stride + 1)
        kind = raw[start]
        line = raw[start + 1:start + 1 + stride]
        if kind == 0:  # None
            out = line
        elif kind == 1:  # Sub: a prefix sum along the row per channel
            out = _prefix_sum(line, bpp)
        elif kind == 2:  # Up
            out = _swar_add(int.from_bytes(line, "little"), int.from_bytes(prev, "little"), low7, high).to_bytes(
                stride, "little")
        elif kind == 3:  # Average
            buf = bytearray(line)
            for i in range(bpp):
                buf[i] = (buf[i] + (prev[i] >> 1)) & 0xFF
            for i in range(bpp, stride):
                buf[i] = (buf[i] + ((buf[i - bpp] + prev[i]) >> 1)) & 0xFF
            out = bytes(buf)
        elif kind == 4:  # Paeth
            out = _unpaeth(line, prev, bpp, stride)
        else:
            raise PngError("row %d has unknown filter type %d" % (y, kind))
        rows.append(out)
        prev = out
    return width, height, bpp, rows


def _encode_png(width, height, bpp, pixels, filters):
    """A PNG of `pixels` (rows of bytes) with row y filtered by filters[y % len(filters)]:
    the reader's self-test."""
    def paeth(a, b, c):
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        return a if pa <= pb and pa <= pc else b if pb <= pc else c
    raw = bytearray()
    prev = bytes(width * bpp)
    for y, row in enumerate(pixels):
        kind = filters[y % len(filters)]
        raw.append(kind)
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            predictor = (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]
            raw.append((v - predictor) & 0xFF)
        prev = row

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2 if bpp == 3 else 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")


def png_self_test():
    """Decodes images made with every filter type (flat areas, edges, noise) and compares."""
    seed = 12345
    for bpp in (3, 4):
        width, height = 70, 25
        pixels = []
        for y in range(height):
            row = bytearray()
            for x in range(width):
                for ch in range(bpp):
                    if 10 <= x < 50 and y % 3:     # flat bands, as UI backgrounds
                        v = 40 + ch * 30 + (y // 3) * 5
                    else:                          # noise (a small linear congruential generator)
                        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
                        v = seed >> 23
                    row.append(v & 0xFF)
            pixels.append(bytes(row))
        for filters in ([0], [1], [2], [3], [4], [0, 1, 2, 3, 4], [4, 4, 2, 4, 1, 3]):
            data = _encode_png(width, height, bpp, pixels, filters)
            w, h, got_bpp, rows = decode_png(data)
            if (w, h, got_bpp) != (width, height, bpp) or rows != pixels:
                bad = next(y for y in range(height) if rows[y] != pixels[y])
                raise PngError("the PNG reader's self-test failed (channels %d, filters %s, row %d)" % (bpp, filters, bad))


# ---- checks ----

def region_colours(rows, bpp, x0, y0, x1, y1, seen=None):
    """The distinct RGB colours of pixels [x0, x1) × [y0, y1) (added to `seen`)."""
    seen = set() if seen is None else seen
    x0, x1 = max(0, x0), max(0, x1)
    for y in range(max(0, y0), min(len(rows), y1)):
        row = rows[y]
        for x in range(x0, min(x1, len(row) // bpp)):
            i = x * bpp
            seen.add((row[i], row[i + 1], row[i + 2]))
    return seen


def subtract(spans, holes):
    """The parts of x ranges `spans` outside the x ranges `holes`."""
    for h0, h1 in holes:
        out = []
        for x0, x1 in spans:
            if h1 <= x0 or h0 >= x1:
                out.append((x0, x1))
                continue
            if x0 < h0:
                out.append((x0, h0))
            if h1 < x1:
                out.append((h1, x1))
        spans = out
    return spans


def shows_colour(pixel, colour, background):
    if all(abs(p - c) <= TOLERANCE for p, c in zip(pixel, colour)):
        return True
    # On the line from the background to the colour, at least MIN_BLEND of the way.
    span = [c - b for c, b in zip(colour, background)]
    length2 = sum(s * s for s in span)
    if length2 == 0:
        return False
    t = sum((p - b) * s for p, b, s in zip(pixel, background, span)) / length2
    if t < MIN_BLEND or t > 1.0 + TOLERANCE / 255.0:
        return False
    return all(abs(p - (b + t * s)) <= TOLERANCE for p, b, s in zip(pixel, background, span))


def trace_tasks(tasklab, scenario):
    """The tasks of the run, from the header line of `tasklab run --trace -`."""
    proc = subprocess.run([tasklab, "run", "--trace", "-", scenario], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    first = proc.stdout.split(b"\n", 1)[0]
    try:
        header = json.loads(first)
    except ValueError:
        raise RuntimeError("tasklab run --trace - printed no trace header (exit status %d): %s"
                           % (proc.returncode, proc.stderr.decode("utf-8", "replace").strip()[:300]))
    return [(t["id"], t["name"]) for t in header["tasks"]]


def check_screenshot(png_path, layout_path, tasks):
    """(problems, notes) of one screenshot: problems fail the test (none when it is fine);
    notes say what could not be checked (a state hidden under a subtitle)."""
    problems = []
    with open(layout_path, encoding="utf-8") as f:
        layout = json.load(f)
    if layout.get("format") != "tasklab-viz-layout":
        return ["%s is not a layout sidecar" % layout_path], []
    if not layout["timeline_drawn"]:
        return ["the timeline drew no run"], []
    image = layout["image"]
    if (image["width"], image["height"]) != (WIDTH, HEIGHT):
        problems.append("the sidecar says the image is %dx%d, expected %dx%d"
                        % (image["width"], image["height"], WIDTH, HEIGHT))

    # One lane per task (a row of alike lanes counts each of them), and the trace's tasks.
    lanes = layout["lanes"]
    if layout["tasks"] != len(tasks):
        problems.append("the sidecar counts %d tasks, the trace header %d" % (layout["tasks"], len(tasks)))
    drawn = sum(1 + lane.get("alike", 0) for lane in lanes)
    if drawn != len(tasks):
        problems.append("%d lanes (with their alike ones) for %d tasks" % (drawn, len(tasks)))
    lane_tasks = sorted((lane["task"], lane["name"]) for lane in lanes)
    grouped = any(lane.get("alike", 0) for lane in lanes)
    if (not set(lane_tasks) <= set(tasks)) or (not grouped and lane_tasks != sorted(tasks)):
        missing = sorted(set(tasks) - set(lane_tasks))[:5]
        extra = sorted(set(lane_tasks) - set(tasks))[:5]
        problems.append("the lanes are not the trace's tasks (missing %s, extra %s)" % (missing, extra))

    # Geometry: the rectangles and the visible lanes inside the image.
    def inside(x0, y0, x1, y1):
        return 0 <= x0 < x1 <= WIDTH and 0 <= y0 < y1 <= HEIGHT
    canvas, plot = layout["canvas"], layout["plot"]
    for name, r in (("canvas", canvas), ("plot", plot)):
        if not inside(*r):
            problems.append("the timeline's %s %s is not inside the image" % (name, r))
    visible = [lane for lane in lanes if lane["visible"]]
    if len(visible) < min(len(tasks), 4):
        problems.append("only %d lanes are visible" % len(visible))
    for lane in visible:
        if not inside(canvas[0], lane["y0"], canvas[2], lane["y1"]) or not lane["y0"] <= lane["bar_y0"] < lane["bar_y1"] <= lane["y1"]:
            problems.append("lane %r (task %d) at y %.1f..%.1f is not inside the image"
                            % (lane["name"], lane["task"], lane["y0"], lane["y1"]))
        if not lane["states"] or any(not st["spans"] for st in lane["states"].values()):
            problems.append("lane %r (task %d) shows no state" % (lane["name"], lane["task"]))
    if problems:
        return problems, []

    # Pixels.
    with open(png_path, "rb") as f:
        data = f.read()
    try:
        width, height, bpp, rows = decode_png(data)
    except (PngError, zlib.error) as e:
        return ["the PNG cannot be read: %s" % e], []
    if (width, height) != (WIDTH, HEIGHT):
        return ["the PNG is %dx%d, expected %dx%d" % (width, height, WIDTH, HEIGHT)], []
    colours = set()
    for row in rows[::4]:
        for i in range(0, len(row), bpp * 3):
            colours.add(row[i:i + 3])
    if len(colours) < MIN_IMAGE_COLOURS:
        problems.append("the image looks blank: %d distinct colours" % len(colours))
    background = tuple(layout["background"])
    state_colours = {name: tuple(rgb) for name, rgb in layout["state_colors"].items()}
    notes = []
    for lane in visible:
        # The bar's rows, with a pixel of slack either side for anti-aliased edges.
        y0, y1 = int(lane["bar_y0"]) - 1, int(lane["bar_y1"] + 0.999) + 1
        # Windows drawn over the bar (a subtitle): their x ranges are not the timeline's.
        covers = [c for c in layout["covered"] if c["rect"][1] < y1 and c["rect"][3] > y0]
        holes = [(c["rect"][0], c["rect"][2]) for c in covers]
        for state, drawn in lane["states"].items():
            if drawn["pixels"] < MIN_STATE_PIXELS:
                continue
            shown = subtract([(x0, x1) for x0, x1 in drawn["spans"]], holes)
            if all(x1 - x0 < MIN_STATE_PIXELS for x0, x1 in drawn["spans"]):
                continue
            if sum(x1 - x0 for x0, x1 in shown) < MIN_STATE_PIXELS:
                notes.append("lane %r (task %d): %r is hidden under %s"
                             % (lane["name"], lane["task"], state, ", ".join(sorted({c["window"] for c in covers}))))
                continue
            found = set()
            for x0, x1 in shown:
                region_colours(rows, bpp, int(x0) - 1, y0, int(x1 + 0.999) + 1, y1, found)
            colour = state_colours[state]
            if not any(shows_colour(p, colour, background) for p in found):
                problems.append("lane %r (task %d): no pixel of the %r colour %s where its bar shows it (x %s, y %d..%d)"
                                % (lane["name"], lane["task"], state, colour,
                                   ", ".join("%.0f..%.0f" % r for r in shown[:6]) + (" …" if len(shown) > 6 else ""),
                                   y0, y1))
    return problems, notes


def bundled_scenarios(root):
    files = []
    for pattern in ("swift/*.swift", "gcd/*.swift", "asyncio/*.py"):
        files += sorted(glob.glob(os.path.join(root, pattern)))
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viz", required=True, help="the tasklab-viz binary")
    parser.add_argument("--tasklab", required=True, help="the tasklab binary")
    parser.add_argument("--scenarios", required=True, help="the bundled scenario directory")
    parser.add_argument("--xvfb-run", help="run everything on one display of this xvfb-run")
    parser.add_argument("--out", help="keep the PNGs here (default: a new temporary directory)")
    parser.add_argument("--only", help="only scenarios whose path contains this text")
    args = parser.parse_args()

    if args.xvfb_run and not os.environ.get("TASKLAB_SCREENSHOTS_ON_DISPLAY"):
        # Start one virtual display and run this script again under it.
        env = dict(os.environ, TASKLAB_SCREENSHOTS_ON_DISPLAY="1")
        cmd = [args.xvfb_run, "-a", "-s", "-screen 0 %dx%dx24" % (WIDTH, HEIGHT), sys.executable] + sys.argv
        return subprocess.call(cmd, env=env)

    png_self_test()
    scenarios = bundled_scenarios(args.scenarios)
    if args.only:
        scenarios = [s for s in scenarios if args.only in s]
    if not scenarios:
        print("no scenarios found under %s" % args.scenarios)
        return 1
    out_dir = args.out or tempfile.mkdtemp(prefix="tasklab-screenshots-")
    os.makedirs(out_dir, exist_ok=True)
    print("screenshots in %s" % out_dir)

    failures = []
    checked = 0
    started = time.monotonic()
    for scenario in scenarios:
        group = os.path.basename(os.path.dirname(scenario))
        stem = os.path.splitext(os.path.basename(scenario))[0]
        try:
            tasks = trace_tasks(args.tasklab, scenario)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
            failures.append("%s: %s" % (scenario, e))
            continue
        for axis in AXES:
            png = os.path.join(out_dir, "%s-%s-%s.png" % (group, stem, axis))
            layout = png + ".json"
            for stale in (png, layout):
                if os.path.exists(stale):
                    os.remove(stale)
            cmd = [args.viz, "--screenshot", png, "--size", "%dx%d" % (WIDTH, HEIGHT), "--axis", axis, scenario]
            try:
                proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            except subprocess.TimeoutExpired:
                failures.append("%s (%s axis): tasklab-viz did not finish within 120 s" % (scenario, axis))
                continue
            if proc.returncode != 0 or not os.path.exists(png) or not os.path.exists(layout):
                failures.append("%s (%s axis): tasklab-viz exited with status %d and wrote %s: %s"
                                % (scenario, axis, proc.returncode,
                                   " and ".join(os.path.basename(p) for p in (png, layout) if os.path.exists(p)) or "nothing",
                                   proc.stderr.decode("utf-8", "replace").strip()[:400]))
                continue
            problems, notes = check_screenshot(png, layout, tasks)
            checked += 1
            print("%-4s %s" % ("ok" if not problems else "FAIL", png))
            for n in notes:
                print("       note: %s" % n)
            for p in problems:
                failures.append("%s (%s axis): %s" % (scenario, axis, p))
        sys.stdout.flush()

    print("%d screenshots of %d scenarios checked in %.1f s" % (checked, len(scenarios), time.monotonic() - started))
    if failures:
        print("\n%d problem(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
