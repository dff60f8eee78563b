#!/usr/bin/env python3
"""Runs one asyncio scenario on real CPython with virtual time: the oracle for tasklab.

    python3 run_oracle.py FILE.py [--check | --expect-lines]

stdout gets exactly what the program prints. If the program dies of an uncaught exception,
stderr gets the exception line CPython prints at the end of its traceback (`Type: message`)
and the exit status is 1. `--check` runs the program in a child process and compares its
output with the file's `# tasklab: expect` / `expect-error` lines (exit 5 on a difference, as
`tasklab check`); `--expect-lines` prints the output as `# tasklab: expect` lines to paste. `--stock` runs the
file on the stock loop in real time (real signals sent to itself, the simulated websockets
with real-time latencies): a check of the oracle itself, timing-dependent, never a test.

Exit statuses: 0 the program ended; 1 an uncaught exception; 130 an uncaught
KeyboardInterrupt; N when the program called sys.exit(N) or os._exit(N); 2 a usage or
directive error; 4 the oracle stopped the run (a deadlock, or the time limit: 24 h of virtual
time unless `# tasklab: limit time` says otherwise); 5 --check found a difference.
"""

from __future__ import annotations

import os
import runpy
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import directives  # noqa: E402
import sim_websockets  # noqa: E402
import vtime  # noqa: E402

EXIT_UNCAUGHT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_STOPPED = 4
EXIT_CHECK_FAILED = 5


def exception_line(exc: BaseException) -> str:
    """`ValueError: boom`, `asyncio.exceptions.CancelledError`: the last line CPython prints."""
    cls = type(exc)
    name = cls.__qualname__
    if cls.__module__ not in ("__main__", "builtins"):
        name = f"{cls.__module__}.{name}"
    try:
        text = str(exc)
    except Exception:
        text = "<exception str() failed>"
    return f"{name}: {text}" if text else name


def _flush_and_exit(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(status)


def _on_stop(kind: str, message: str) -> None:
    sys.stderr.write(f"oracle: {kind}: {message}\n")
    _flush_and_exit(EXIT_STOPPED)


def _stock_setup(found: directives.Directives) -> None:
    """--stock: the real clock and the stock loop; real signals sent to this process."""
    import signal
    import threading

    import asyncio
    import time

    start = time.monotonic()

    class StockLoop(asyncio.SelectorEventLoop):
        """The stock loop with its clock starting at 0, so printed times compare."""

        def time(self) -> float:
            return time.monotonic() - start

    class StockPolicy(asyncio.DefaultEventLoopPolicy):
        _loop_factory = StockLoop

    asyncio.set_event_loop_policy(StockPolicy())
    for signum, at_ns in found.signals:
        timer = threading.Timer(at_ns / vtime.NS_PER_S, os.kill, (os.getpid(), signal.Signals(signum)))
        timer.daemon = True
        timer.start()


def run(path: str, stock: bool = False) -> int:
    """Runs the scenario at `path` as `__main__`; returns the exit status (see the module doc)."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    found = directives.parse(path, source)
    if stock:
        _stock_setup(found)
    else:
        vtime.CLOCK.on_stop = _on_stop
        if found.time_limit_ns:
            vtime.CLOCK.limit_ns = found.time_limit_ns
        for signum, at_ns in found.signals:
            vtime.schedule_signal(signum, at_ns)
        vtime.install()
    sim_websockets.install(found.latencies)

    # Line-buffered stdout, as on a terminal: what was printed before os._exit() or a
    # simulated kill is not lost when stdout is a pipe.
    sys.stdout.reconfigure(line_buffering=True)
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        code = e.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stdout.flush()
        print(code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        sys.stdout.flush()
        print("KeyboardInterrupt", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BaseException as e:  # the program's own uncaught exception
        sys.stdout.flush()
        print(exception_line(e), file=sys.stderr)
        return EXIT_UNCAUGHT
    return 0


def _run_child(path: str):
    import subprocess

    return subprocess.run([sys.executable, os.path.abspath(__file__), path], capture_output=True, text=True)


def check(path: str, expected: directives.Directives) -> int:
    """Runs the scenario in a child process and compares its output with the expect lines."""
    child = _run_child(path)
    lines = child.stdout.splitlines()
    last_err = child.stderr.rstrip("\n").splitlines()[-1] if child.stderr.strip() else ""
    for i, (want, got) in enumerate(zip(expected.expect, lines), 1):
        if want != got:
            print(f"FAIL {path}: line {i}\n  expected: {want}\n  printed:  {got}")
            return EXIT_CHECK_FAILED
    if len(lines) != len(expected.expect):
        print(f"FAIL {path}: {len(expected.expect)} expected lines, the program printed {len(lines)}")
        return EXIT_CHECK_FAILED
    if expected.expect_error is not None:
        if child.returncode == 0 or expected.expect_error not in child.stderr:
            print(f"FAIL {path}: expected an uncaught error containing {expected.expect_error!r}, got exit {child.returncode} {last_err!r}")
            return EXIT_CHECK_FAILED
    elif child.returncode != 0:
        print(f"FAIL {path}: exit status {child.returncode}: {last_err}")
        return EXIT_CHECK_FAILED
    print(f"PASS {path}")
    return 0


def expect_lines(path: str) -> int:
    """Prints the program's output as `# tasklab: expect` lines (and `expect-error`), for authoring."""
    child = _run_child(path)
    for line in child.stdout.splitlines():
        print(f"# tasklab: expect {line}" if line else "# tasklab: expect")
    if child.returncode == EXIT_UNCAUGHT and child.stderr.strip():
        print(f"# tasklab: expect-error {child.stderr.strip().splitlines()[-1]}")
    elif child.returncode != 0:
        print(f"# (exit status {child.returncode}: {child.stderr.strip()})")
    return 0


USAGE = "usage: run_oracle.py FILE.py [--check | --expect-lines | --stock]"


def main(argv: list[str]) -> int:
    if sys.version_info[:2] != (3, 11):
        print(f"oracle: warning: the reference is CPython 3.11, this is {sys.version.split()[0]}", file=sys.stderr)
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = [a for a in argv[1:] if a.startswith("--")]
    if len(args) != 1 or len(flags) > 1 or any(f not in ("--check", "--expect-lines", "--stock") for f in flags):
        print(USAGE, file=sys.stderr)
        return EXIT_USAGE
    path = args[0]
    try:
        with open(path, encoding="utf-8") as f:
            expected = directives.parse(path, f.read())
    except (OSError, directives.DirectiveError) as e:
        print(f"oracle: {e}", file=sys.stderr)
        return EXIT_USAGE
    if "--check" in flags:
        return check(path, expected)
    if "--expect-lines" in flags:
        return expect_lines(path)
    _flush_and_exit(run(path, stock="--stock" in flags))
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv))
