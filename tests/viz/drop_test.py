#!/usr/bin/env python3
"""Dropping files on the window opens them, and so does the picker's path box.

Starts `tasklab-viz` (no file: the picker) on a virtual X display (xvfb-run) and drops files on
its window the way a file manager does, through the XDND protocol spoken here with libX11
(which GLFW itself needs): XdndEnter and XdndPosition, then, once the window accepts,
XdndDrop; the window asks for the text/uri-list selection, which this script serves. After
each drop the visualizer reports on stderr what it opened; the test checks that

  * a dropped scenario opens and runs: its step count is the one `tasklab run` prints;
  * a dropped file with a syntax error opens too, and says it does not run (its diagnostics
    show in the window);
  * two files dropped together are opened side by side (both reported);
  * the window then closes normally (WM_DELETE_WINDOW) with exit status 0;
  * in a second window, the picker's path box (reached with Tab from the filter) opens a path
    typed into it with Enter (key events sent to the window, as a keyboard does), and a
    path to no file opens nothing.

Standard library only (python3 >= 3.8, ctypes).
"""

import argparse
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from ctypes import POINTER, Structure, Union, byref, c_char_p, c_int, c_long, c_ubyte, c_uint, c_ulong, c_void_p

SCENARIO = "swift/taskgroup_child_error.swift"
OTHER = "gcd/nested_work_items.swift"
CLIENT_MESSAGE, SELECTION_REQUEST, SELECTION_NOTIFY = 33, 30, 31


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class ClientMessage(Structure):
    _fields_ = [("type", c_int), ("serial", c_ulong), ("send_event", c_int), ("display", c_void_p),
                ("window", c_ulong), ("message_type", c_ulong), ("format", c_int), ("l", c_long * 5)]


class SelectionRequest(Structure):
    _fields_ = [("type", c_int), ("serial", c_ulong), ("send_event", c_int), ("display", c_void_p),
                ("owner", c_ulong), ("requestor", c_ulong), ("selection", c_ulong), ("target", c_ulong),
                ("property", c_ulong), ("time", c_ulong)]


class SelectionNotify(Structure):
    _fields_ = [("type", c_int), ("serial", c_ulong), ("send_event", c_int), ("display", c_void_p),
                ("requestor", c_ulong), ("selection", c_ulong), ("target", c_ulong), ("property", c_ulong),
                ("time", c_ulong)]


class XEvent(Union):
    _fields_ = [("type", c_int), ("xclient", ClientMessage), ("xselectionrequest", SelectionRequest),
                ("xselection", SelectionNotify), ("pad", c_long * 24)]


class KeyEvent(Structure):
    _fields_ = [("type", c_int), ("serial", c_ulong), ("send_event", c_int), ("display", c_void_p),
                ("window", c_ulong), ("root", c_ulong), ("subwindow", c_ulong), ("time", c_ulong), ("x", c_int),
                ("y", c_int), ("x_root", c_int), ("y_root", c_int), ("state", c_uint), ("keycode", c_uint),
                ("same_screen", c_int)]


KEY_PRESS, KEY_RELEASE, SHIFT_MASK = 2, 3, 1
KEYSYMS = {"/": ("slash", 0), ".": ("period", 0), "_": ("underscore", 1), "-": ("minus", 0)}


class X:
    """The few Xlib calls a drag source (and a keyboard) needs."""

    def __init__(self):
        self.x = x = ctypes.CDLL("libX11.so.6")
        x.XOpenDisplay.restype = c_void_p
        x.XOpenDisplay.argtypes = [c_char_p]
        x.XDefaultRootWindow.restype = c_ulong
        x.XDefaultRootWindow.argtypes = [c_void_p]
        x.XInternAtom.restype = c_ulong
        x.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
        x.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ulong)),
                                 POINTER(c_uint)]
        x.XGetWindowProperty.argtypes = [c_void_p, c_ulong, c_ulong, c_long, c_long, c_int, c_ulong, POINTER(c_ulong),
                                         POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ubyte))]
        x.XFree.argtypes = [c_void_p]
        x.XCreateSimpleWindow.restype = c_ulong
        x.XCreateSimpleWindow.argtypes = [c_void_p, c_ulong, c_int, c_int, c_uint, c_uint, c_uint, c_ulong, c_ulong]
        x.XSetSelectionOwner.argtypes = [c_void_p, c_ulong, c_ulong, c_ulong]
        x.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, POINTER(XEvent)]
        x.XNextEvent.argtypes = [c_void_p, POINTER(XEvent)]
        x.XPending.argtypes = [c_void_p]
        x.XFlush.argtypes = [c_void_p]
        x.XChangeProperty.argtypes = [c_void_p, c_ulong, c_ulong, c_ulong, c_int, c_int, c_char_p, c_int]
        x.XGetImage.restype = c_void_p
        x.XGetImage.argtypes = [c_void_p, c_ulong, c_int, c_int, c_uint, c_uint, c_ulong, c_int]
        x.XGetPixel.restype = c_ulong
        x.XGetPixel.argtypes = [c_void_p, c_int, c_int]
        x.XStringToKeysym.restype = c_ulong
        x.XStringToKeysym.argtypes = [c_char_p]
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XKeysymToKeycode.argtypes = [c_void_p, c_ulong]
        self.d = x.XOpenDisplay(None)
        check(self.d, "cannot open the X display %r" % os.environ.get("DISPLAY"))
        self.root = x.XDefaultRootWindow(self.d)
        self.source = x.XCreateSimpleWindow(self.d, self.root, 0, 0, 1, 1, 0, 0, 0)

    def atom(self, name):
        return self.x.XInternAtom(self.d, name.encode(), 0)

    def _has(self, window, atom):
        kind, fmt, n, after, data = c_ulong(), c_int(), c_ulong(), c_ulong(), POINTER(c_ubyte)()
        self.x.XGetWindowProperty(self.d, window, atom, 0, 1, 0, 0, byref(kind), byref(fmt), byref(n), byref(after),
                                  byref(data))
        if data:
            self.x.XFree(data)
        return kind.value != 0

    def find_drop_target(self, window=None):
        """The first window (depth first) that says it takes drops (XdndAware), or 0."""
        window = self.root if window is None else window
        if self._has(window, self.atom("XdndAware")):
            return window
        root, parent, children, n = c_ulong(), c_ulong(), POINTER(c_ulong)(), c_uint()
        self.x.XQueryTree(self.d, window, byref(root), byref(parent), byref(children), byref(n))
        found = 0
        for i in range(n.value):
            found = self.find_drop_target(children[i])
            if found:
                break
        if children:
            self.x.XFree(children)
        return found

    def send(self, target, kind, longs):
        e = XEvent()
        e.xclient.type = CLIENT_MESSAGE
        e.xclient.display = self.d
        e.xclient.window = target
        e.xclient.message_type = self.atom(kind)
        e.xclient.format = 32
        for i, v in enumerate(longs):
            e.xclient.l[i] = v
        self.x.XSendEvent(self.d, target, 0, 0, byref(e))
        self.x.XFlush(self.d)

    def drop(self, target, paths, timeout=20.0):
        """Drags `paths` over `target` and drops them; returns when the target says it is done."""
        uris = "".join("file://%s\r\n" % p for p in paths).encode()
        self.x.XSetSelectionOwner(self.d, self.atom("XdndSelection"), self.source, 0)
        self.send(target, "XdndEnter", [self.source, 5 << 24, self.atom("text/uri-list"), 0, 0])
        self.send(target, "XdndPosition", [self.source, 0, (100 << 16) | 100, 0, self.atom("XdndActionCopy")])
        dropped = False
        deadline = time.time() + timeout
        while time.time() < deadline:
            while self.x.XPending(self.d):
                e = XEvent()
                self.x.XNextEvent(self.d, byref(e))
                if e.type == CLIENT_MESSAGE:
                    kind = e.xclient.message_type
                    if kind == self.atom("XdndStatus") and not dropped:
                        check(e.xclient.l[1] & 1, "the window does not accept the drop")
                        self.send(target, "XdndDrop", [self.source, 0, 0, 0, 0])
                        dropped = True
                    elif kind == self.atom("XdndFinished"):
                        return
                elif e.type == SELECTION_REQUEST:
                    r = e.xselectionrequest
                    self.x.XChangeProperty(self.d, r.requestor, r.property, r.target, 8, 0, uris, len(uris))
                    n = XEvent()
                    n.xselection.type = SELECTION_NOTIFY
                    n.xselection.display = self.d
                    n.xselection.requestor = r.requestor
                    n.xselection.selection = r.selection
                    n.xselection.target = r.target
                    n.xselection.property = r.property
                    n.xselection.time = r.time
                    self.x.XSendEvent(self.d, r.requestor, 0, 0, byref(n))
                    self.x.XFlush(self.d)
            time.sleep(0.02)
        raise Failure("the window did not finish the drop of %s within %.0f s" % (paths, timeout))

    def pixel(self, window, px, py):
        """The pixel value at (px, py) of `window` (0: black, as before the first frame)."""
        image = self.x.XGetImage(self.d, window, px, py, 1, 1, 0xFFFFFFFF, 2)  # ZPixmap
        if not image:
            return 0
        value = self.x.XGetPixel(image, 0, 0)
        self.x.XFree(image)
        return value

    def key(self, target, name, shift=False, hold=0.1):
        """Presses and releases one key in `target` (held long enough for a frame to see it)."""
        code = self.x.XKeysymToKeycode(self.d, self.x.XStringToKeysym(name.encode()))
        check(code, "no keycode for %s" % name)
        for kind in (KEY_PRESS, KEY_RELEASE):
            e = XEvent()
            k = ctypes.cast(ctypes.pointer(e), POINTER(KeyEvent)).contents
            k.type = kind
            k.display = self.d
            k.window = target
            k.root = self.root
            k.state = SHIFT_MASK if shift else 0
            k.keycode = code
            k.same_screen = 1
            self.x.XSendEvent(self.d, target, 1, 1 if kind == KEY_PRESS else 2, byref(e))
            self.x.XFlush(self.d)
            time.sleep(hold)

    def type_text(self, target, text):
        for ch in text:
            name, shift = KEYSYMS.get(ch, (ch.lower(), ch.isupper()))
            self.key(target, name, bool(shift), hold=0.03)

    def close(self, target):
        """Asks the window to close, as a window manager's close button does."""
        e = XEvent()
        e.xclient.type = CLIENT_MESSAGE
        e.xclient.display = self.d
        e.xclient.window = target
        e.xclient.message_type = self.atom("WM_PROTOCOLS")
        e.xclient.format = 32
        e.xclient.l[0] = self.atom("WM_DELETE_WINDOW")
        self.x.XSendEvent(self.d, target, 0, 0, byref(e))
        self.x.XFlush(self.d)


def total_steps(tasklab, path):
    out = subprocess.run([tasklab, "run", "--no-color", path], capture_output=True, text=True).stdout
    m = re.search(r"· (\d+) steps? ·", out)
    check(m, "no step count in `tasklab run %s`" % path)
    return int(m.group(1))


def wait_for(log_path, pattern, seen, timeout=20.0):
    """Waits until the visualizer's stderr has a new line matching `pattern`; returns the match."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        for i, line in enumerate(lines):
            if i in seen:
                continue
            m = re.search(pattern, line)
            if m:
                seen.add(i)
                return m
        time.sleep(0.1)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        raise Failure("no stderr line matching %r; stderr was:\n%s" % (pattern, f.read()))


def start_viz(args, log, *options):
    with open(log, "w") as err:
        proc = subprocess.Popen([args.viz, "--size", "800x600"] + list(options), stderr=err, stdout=subprocess.DEVNULL)
    return proc


def wait_for_window(x, proc):
    target = 0
    deadline = time.time() + 30
    while not target and time.time() < deadline:
        check(proc.poll() is None, "tasklab-viz exited early with status %s" % proc.returncode)
        target = x.find_drop_target()
        time.sleep(0.1)
    check(target, "no window takes drops (XdndAware) after 30 s")
    # Keys count only once the picker is drawn and has the keyboard: wait for the first frame
    # on screen (the window is black before it), then for the idle loop's next frame.
    while x.pixel(target, 5, 5) == 0 and time.time() < deadline:
        check(proc.poll() is None, "tasklab-viz exited early with status %s" % proc.returncode)
        time.sleep(0.1)
    check(x.pixel(target, 5, 5) != 0, "the window showed nothing within 30 s")
    time.sleep(0.5)
    return target


def close_viz(x, target, proc):
    x.close(target)
    try:
        status = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        raise Failure("tasklab-viz did not close after WM_DELETE_WINDOW")
    check(status == 0, "tasklab-viz exited with status %d" % status)


def path_box_cases(args, work, x, good):
    log = os.path.join(work, "path.log")
    proc = start_viz(args, log)
    try:
        target = wait_for_window(x, proc)
        seen = set()
        print("the path box opens a typed path; a path to no file opens nothing")
        x.key(target, "Tab")  # from the filter box to the path box
        x.type_text(target, os.path.join(work, "missing.swift"))
        x.key(target, "Return")
        time.sleep(0.5)
        # Clear the box (Ctrl+A would need a modifier: Backspace does it), then a real file.
        for _ in range(len(os.path.join(work, "missing.swift"))):
            x.key(target, "BackSpace", hold=0.08)
        x.type_text(target, good)
        x.key(target, "Return")
        m = wait_for(log, r"opened (.*) \((\d+) steps\)", seen)
        check(m.group(1) == good, "the path box opened %s, not %s" % (m.group(1), good))
        with open(log, encoding="utf-8", errors="replace") as f:
            check("missing.swift" not in f.read(), "a path to no file was opened")
        close_viz(x, target, proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_cases(args, work):
    good = os.path.join(work, "good.swift")
    other = os.path.join(work, "other.swift")
    broken = os.path.join(work, "broken.swift")
    shutil.copy(os.path.join(args.scenarios, SCENARIO), good)
    shutil.copy(os.path.join(args.scenarios, OTHER), other)
    with open(broken, "w") as f:
        f.write('// tasklab: title broken\nprint("never closed\n')
    log = os.path.join(work, "viz.log")
    proc = start_viz(args, log)
    x = X()
    try:
        target = wait_for_window(x, proc)
        seen = set()

        print("a dropped scenario opens and runs")
        x.drop(target, [good])
        m = wait_for(log, r"opened (.*) \((\d+) steps\)", seen)
        check(m.group(1) == good, "opened %s, not %s" % (m.group(1), good))
        check(int(m.group(2)) == total_steps(args.tasklab, good),
              "the dropped file runs %s steps, `tasklab run` says %d" % (m.group(2), total_steps(args.tasklab, good)))

        print("a dropped file with errors opens and says it does not run")
        x.drop(target, [broken])
        m = wait_for(log, r"opened (.*) \((.*)\)", seen)
        check(m.group(1) == broken and "does not run" in m.group(2), "after dropping %s: %r" % (broken, m.group(0)))

        print("two dropped files open side by side")
        x.drop(target, [good, other])
        a = wait_for(log, r"opened (.*) \((\d+) steps\)", seen)
        b = wait_for(log, r"opened (.*) \((\d+) steps\)", seen)
        check({a.group(1), b.group(1)} == {good, other}, "opened %s and %s" % (a.group(1), b.group(1)))

        print("the window closes normally")
        close_viz(x, target, proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    path_box_cases(args, work, x, good)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viz", required=True, help="the tasklab-viz binary")
    parser.add_argument("--tasklab", required=True, help="the tasklab binary")
    parser.add_argument("--scenarios", required=True, help="the bundled scenario directory")
    parser.add_argument("--xvfb-run", help="run everything on one display of this xvfb-run")
    args = parser.parse_args()

    if args.xvfb_run and not os.environ.get("TASKLAB_DROP_ON_DISPLAY"):
        env = dict(os.environ, TASKLAB_DROP_ON_DISPLAY="1")
        cmd = [args.xvfb_run, "-a", "-s", "-screen 0 1024x768x24", sys.executable] + sys.argv
        return subprocess.call(cmd, env=env)

    work = tempfile.mkdtemp(prefix="tasklab-drop-")
    try:
        run_cases(args, work)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
