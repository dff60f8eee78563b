"""A virtual-time event loop for CPython 3.11's asyncio: the oracle tasklab is checked against.

The loop is CPython's own `SelectorEventLoop`; only three things change:

1. `loop.time()` reads a virtual clock kept in whole nanoseconds, starting at 0.
2. The selector never blocks. When the loop would wait, the clock jumps to the next timer
   (or to the next simulated signal, whichever is first) and the pass goes on.
3. Timers are ordered by (deadline in ns, arming sequence number), so timers that share an
   instant fire in the order they were armed (the stock loop's heap leaves that order
   unspecified). Deadlines are rounded to the nanosecond when they are armed, so
   `0.1 + 0.2` seconds and `0.3` seconds are the same instant, as in tasklab's integer ticks.

Everything else (the ready queue, passes, tasks, futures, cancellation) is the stock CPython
code, which is the point: with no two timers at the same instant the output is byte-identical
to a run on the stock loop, only faster and deterministic.

Where CPython cancels a *set* of tasks (a TaskGroup aborting, asyncio.run cancelling what
is left at exit), the set's order follows memory addresses; the oracle fixes it to task
creation order, as tasklab does.

On a 3.11 release older than 3.11.7, `install()` also gives `asyncio.Timeout` 3.11.7's
`__aenter__`, `__aexit__` and `reschedule` (timeouts.py changed within 3.11; see
`_install_timeouts_3_11_7`).

`install()` also patches `time.sleep` (it advances the virtual clock while blocking whatever
called it: nothing else runs, and timers that came due fire afterwards), the clocks
(`time.time`, `time.monotonic`, `time.perf_counter` and their `_ns` forms read the virtual
clock), and the event-loop policy, so a scenario's own `asyncio.run(main())` runs on this loop.

Worker threads (`asyncio.to_thread`, `loop.run_in_executor`) are real threads of a real
`ThreadPoolExecutor`, but only one thread runs Python code at a time and the oracle decides
which: a worker runs as one more entry of the loop's ready queue. Submitting a call queues its
start (`call_soon`); `time.sleep(s)` in a worker arms a loop timer at now + s (ordered with the
other timers by deadline, then arming order) that queues its next run; each run goes until the
worker sleeps again or its work item ends (the result reaches the loop through the stock
`call_soon_threadsafe`). The loop thread waits while a worker runs. The default executor has a
fixed 5 workers, and `shutdown_default_executor` waits in virtual time for the busy workers.

Signals are simulated, never sent: `schedule_signal(SIGINT, 5 s)` makes the signal arrive at
virtual 5 s. A handler installed with `loop.add_signal_handler` then runs exactly as CPython
runs it (the loop's self-pipe reader is queued in the pass that sees the signal, and it queues
the handler for the following pass). Without such a handler the Python-level handler
(`signal.getsignal`) is called at that instant, as the interpreter would call it; for SIGINT
under `asyncio.run` that is the runner's own handler, which cancels the main task.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import os
import concurrent.futures
import selectors
import signal
import sys
import threading
import time as _time
from asyncio import coroutines, events

NS_PER_S = 1_000_000_000
DEFAULT_TIME_LIMIT_NS = 24 * 3600 * NS_PER_S

# The stock loop's select timeout cap (base_events.MAXIMUM_SELECT_TIMEOUT).
_MAXIMUM_SELECT_TIMEOUT = 24 * 3600


class OracleStop(Exception):
    """The oracle stops the run: a deadlock or a time limit (never raised into scenario code)."""


class _Clock:
    """The one virtual clock of the process, shared by every loop and by `time.sleep`."""

    def __init__(self) -> None:
        self.now_ns = 0
        self.limit_ns = DEFAULT_TIME_LIMIT_NS
        self.signals: list[tuple[int, int, int]] = []  # (when_ns, order, signum), sorted
        self.signal_order = itertools.count()
        self.timer_seq = itertools.count()
        self.task_seq = itertools.count()
        self.current_loop: VirtualTimeLoop | None = None
        self.on_stop = None  # callable(kind: str, message: str) -> never returns


CLOCK = _Clock()


def now_ns() -> int:
    """The virtual time in nanoseconds."""
    return CLOCK.now_ns


def format_time(ns: int) -> str:
    """`2s`, `2.5s`, `250ms`, `1.25ms`: how the oracle writes a virtual instant in its messages."""
    if ns >= NS_PER_S or ns == 0:
        whole, frac = divmod(ns, NS_PER_S)
        return f"{whole}.{frac:09d}".rstrip("0").rstrip(".") + "s"
    whole, frac = divmod(ns, 1_000_000)
    return f"{whole}.{frac:06d}".rstrip("0").rstrip(".") + "ms"


def _stop(kind: str, message: str) -> None:
    if CLOCK.on_stop is not None:
        CLOCK.on_stop(kind, message)
    raise OracleStop(f"{kind}: {message}")


def schedule_signal(signum: int, at_ns: int) -> None:
    """Makes `signum` arrive at virtual time `at_ns` (several may share an instant: file order)."""
    CLOCK.signals.append((at_ns, next(CLOCK.signal_order), signum))
    CLOCK.signals.sort()


def _next_signal_at() -> int | None:
    return CLOCK.signals[0][0] if CLOCK.signals else None


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


# Signals whose default action is to do nothing.
_DEFAULT_IGNORED = {signal.SIGCHLD, signal.SIGURG, signal.SIGWINCH, signal.SIGCONT}


def _signal_arrives(signum: int) -> None:
    """A simulated signal reaches the process now (CLOCK.now_ns)."""
    loop = CLOCK.current_loop
    if loop is not None and not loop.is_closed() and signum in loop._signal_handlers:
        # add_signal_handler set a wakeup fd: the loop notices at its next select.
        loop._sim_pending_signals.append(signum)
        return
    handler = signal.getsignal(signum)
    if handler is signal.SIG_IGN or handler is None:
        return
    if handler is signal.SIG_DFL:
        if signum in _DEFAULT_IGNORED:
            return
        # The default action of SIGTERM, SIGKILL, SIGHUP, ...: the process ends at once, no cleanup.
        sys.stdout.flush()
        sys.stderr.write(f"oracle: killed by {_signal_name(signum)} at {format_time(CLOCK.now_ns)}\n")
        sys.stderr.flush()
        os._exit(128 + signum)
    handler(signum, None)


def _advance_to(target_ns: int) -> None:
    """Moves the clock to `target_ns`, delivering the signals met on the way (used by sleep)."""
    while CLOCK.signals and CLOCK.signals[0][0] <= target_ns:
        when, _, signum = CLOCK.signals.pop(0)
        _set_now(max(CLOCK.now_ns, when))
        _signal_arrives(signum)
    _set_now(max(CLOCK.now_ns, target_ns))


def _set_now(ns: int) -> None:
    if ns > CLOCK.limit_ns:
        CLOCK.now_ns = CLOCK.limit_ns
        _stop("limit", f"the run reached its time limit ({format_time(CLOCK.limit_ns)})")
    CLOCK.now_ns = ns


class _VTimerHandle(events.TimerHandle):
    """A TimerHandle ordered by (deadline in ns, arming sequence): equal deadlines fire FIFO."""

    __slots__ = ("_ns", "_seq")

    def __init__(self, ns, seq, callback, args, loop, context):
        super().__init__(ns / NS_PER_S, callback, args, loop, context)
        self._ns = ns
        self._seq = seq

    def _key(self):
        return (self._ns, self._seq)

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


class _VirtualSelector(selectors.BaseSelector):
    """Keeps the loop's real registrations (its self-pipe) but never blocks on them."""

    def __init__(self) -> None:
        self._real = selectors.DefaultSelector()
        self.loop: VirtualTimeLoop | None = None
        self._signal_key: selectors.SelectorKey | None = None

    def register(self, fileobj, events_, data=None):
        return self._real.register(fileobj, events_, data)

    def unregister(self, fileobj):
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events_, data=None):
        return self._real.modify(fileobj, events_, data)

    def get_key(self, fileobj):
        return self._real.get_key(fileobj)

    def get_map(self):
        return self._real.get_map()

    def close(self):
        self._real.close()

    def _signal_event(self):
        loop = self.loop
        if self._signal_key is None:
            reader = events.Handle(loop._sim_read_signals, (), loop, None)
            self._signal_key = selectors.SelectorKey(fileobj=-1, fd=-1, events=selectors.EVENT_READ, data=(reader, None))
        return (self._signal_key, selectors.EVENT_READ)

    def select(self, timeout=None):
        loop = self.loop
        found = self._real.select(0)
        if loop._sim_pending_signals:
            return found + [self._signal_event()]
        if found or (timeout is not None and timeout <= 0):
            return found
        # The loop would wait: find the next instant anything can happen.
        target = None
        if loop._scheduled:
            head_ns = loop._scheduled[0]._ns
            target = head_ns
            if timeout is not None and timeout < _MAXIMUM_SELECT_TIMEOUT:
                pass  # the timeout was computed from this head timer
            elif timeout is not None:
                target = min(head_ns, CLOCK.now_ns + round(timeout * NS_PER_S))
        while CLOCK.signals and (target is None or CLOCK.signals[0][0] <= target):
            when, _, signum = CLOCK.signals.pop(0)
            _set_now(max(CLOCK.now_ns, when))
            _signal_arrives(signum)
            if loop._sim_pending_signals:
                return [self._signal_event()]
            if loop._ready or loop._stopping:
                return []  # a Python-level handler queued work (the runner cancelled main)
        if target is None:
            _stop(
                "deadlock",
                f"at {format_time(CLOCK.now_ns)} nothing is ready and no timer is pending "
                "(the real program would wait forever)",
            )
        _set_now(max(CLOCK.now_ns, target))
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """CPython's selector event loop on the virtual clock (see the module docstring)."""

    def __init__(self) -> None:
        selector = _VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        # Timers due at or before now fire; a timer 1 ns later does not.
        self._clock_resolution = 0.5 / NS_PER_S
        self._sim_pending_signals: list[int] = []
        CLOCK.current_loop = self

    def time(self) -> float:
        return CLOCK.now_ns / NS_PER_S

    def create_task(self, coro, *, name=None, context=None):
        task = super().create_task(coro, name=name, context=context)
        task._tasklab_seq = next(CLOCK.task_seq)  # creation order, for the fixed set orders below
        return task

    def call_later(self, delay, callback, *args, context=None):
        if delay is None:
            raise TypeError("delay must not be None")
        return self._arm(CLOCK.now_ns + round(delay * NS_PER_S), callback, args, context, "call_later")

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        return self._arm(round(when * NS_PER_S), callback, args, context, "call_at")

    def _arm(self, ns, callback, args, context, method):
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, method)
        timer = _VTimerHandle(ns, next(CLOCK.timer_seq), callback, args, self, context)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    # Signals: recorded, never installed in the OS; delivered by the selector (see select()).
    def add_signal_handler(self, sig, callback, *args):
        if coroutines.iscoroutine(callback) or coroutines.iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with add_signal_handler()")
        self._check_signal(sig)
        self._check_closed()
        self._signal_handlers[sig] = events.Handle(callback, args, self, None)

    def remove_signal_handler(self, sig):
        self._check_signal(sig)
        try:
            del self._signal_handlers[sig]
        except KeyError:
            return False
        return True

    def _sim_read_signals(self) -> None:
        # Stands for the self-pipe reader (_read_from_self -> _process_self_data).
        pending, self._sim_pending_signals = self._sim_pending_signals, []
        for signum in pending:
            self._handle_signal(signum)

    def run_in_executor(self, executor, func, *args):
        if executor is None and self._default_executor is None and not self._executor_shutdown_called:
            # The stock default is min(32, cpu_count + 4) workers; the oracle fixes it.
            self._default_executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=DEFAULT_WORKERS, thread_name_prefix="asyncio"
            )
        return super().run_in_executor(executor, func, *args)

    async def shutdown_default_executor(self):
        # The stock method joins the workers from a helper thread of its own and resolves a
        # future with call_soon_threadsafe; here the loop waits in virtual time until the last
        # busy worker has finished its item, then shuts the idle executor down.
        self._executor_shutdown_called = True
        executor = self._default_executor
        if executor is None:
            return
        st = _state_of(executor)
        if st.busy:
            fut = self.create_future()
            st.on_idle = fut
            await fut
        executor.shutdown(wait=True)

    def close(self) -> None:
        super().close()
        if CLOCK.current_loop is self:
            CLOCK.current_loop = None


class VirtualTimePolicy(asyncio.DefaultEventLoopPolicy):
    """Makes asyncio.run(), asyncio.new_event_loop() and get_event_loop() use VirtualTimeLoop."""

    _loop_factory = VirtualTimeLoop


def creation_order(task) -> int:
    """A task's creation number on the virtual loop (tasks made elsewhere sort last)."""
    return getattr(task, "_tasklab_seq", 1 << 62)


# CPython iterates sets of tasks where it cancels several at once; the order of a set of
# tasks follows their memory addresses, so it is unspecified. The oracle fixes it to task
# creation order, tasklab's rule (semantics.md section 5). Same code as 3.11 otherwise.
def _taskgroup_abort(self):
    self._aborting = True
    for t in sorted(self._tasks, key=creation_order):
        if not t.done():
            t.cancel()


def _cancel_all_tasks(loop):
    to_cancel = sorted(asyncio.all_tasks(loop), key=creation_order)
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler({
                "message": "unhandled exception during asyncio.run() shutdown",
                "exception": task.exception(),
                "task": task,
            })


# timeouts.py changed within 3.11: 3.11.7 (the reference) remembers the task's cancelling()
# count when a Timeout is entered and converts the expiry's CancelledError into
# `TimeoutError from exc` when uncancel() drops back to that count; older 3.11 releases compare
# with 0 (so a cancel the task already carried lets the CancelledError escape), raise the
# TimeoutError without a cause, and allow re-entering. On an older 3.11 the oracle installs the
# 3.11.7 behaviour of these three methods.
def _timeout_reschedule(self, when):
    from asyncio.timeouts import _State

    if self._state is not _State.ENTERED:
        if self._state is _State.CREATED:
            raise RuntimeError("Timeout has not been entered")
        raise RuntimeError(f"Cannot change state of {self._state.value} Timeout")
    self._when = when
    if self._timeout_handler is not None:
        self._timeout_handler.cancel()
    if when is None:
        self._timeout_handler = None
        return
    loop = events.get_running_loop()
    if when <= loop.time():
        self._timeout_handler = loop.call_soon(self._on_timeout)
    else:
        self._timeout_handler = loop.call_at(when, self._on_timeout)


async def _timeout_aenter(self):
    from asyncio.timeouts import _State

    if self._state is not _State.CREATED:
        raise RuntimeError("Timeout has already been entered")
    task = asyncio.current_task()
    if task is None:
        raise RuntimeError("Timeout should be used inside a task")
    self._state = _State.ENTERED
    self._task = task
    self._cancelling = task.cancelling()
    self.reschedule(self._when)
    return self


async def _timeout_aexit(self, exc_type, exc_val, exc_tb):
    from asyncio.timeouts import _State

    if self._timeout_handler is not None:
        self._timeout_handler.cancel()
        self._timeout_handler = None
    if self._state is _State.EXPIRING:
        self._state = _State.EXPIRED
        if self._task.uncancel() <= self._cancelling and exc_type is asyncio.CancelledError:
            raise TimeoutError from exc_val
    elif self._state is _State.ENTERED:
        self._state = _State.EXITED
    return None


def _install_timeouts_3_11_7() -> None:
    if sys.version_info[:2] == (3, 11) and sys.version_info < (3, 11, 7):
        asyncio.timeouts.Timeout.reschedule = _timeout_reschedule
        asyncio.timeouts.Timeout.__aenter__ = _timeout_aenter
        asyncio.timeouts.Timeout.__aexit__ = _timeout_aexit


# ---- worker threads ---------------------------------------------------------------------
#
# A baton decides which thread runs Python code: the loop's thread ("loop") or one work item
# (its concurrent future). The loop hands the baton to a worker inside a loop callback
# (_run_worker) and waits until the worker gives it back: when it calls time.sleep (a loop
# timer then queues its next run) or when its work item has ended. Worker threads run the
# executor's own bookkeeping (taking the next item off the queue) without the baton; nothing
# of that is visible to the program.

DEFAULT_WORKERS = 5  # CPython: min(32, os.cpu_count() + 4); 5 is what a 1-CPU machine gets
_BATON_PATIENCE_S = 60.0  # real seconds a thread may keep the baton without giving it back

_LOOP = "loop"
_baton = threading.Condition()
_holder: object = _LOOP
_worker = threading.local()  # .token: the work item this thread runs (None: not a worker)


class _ExecutorState:
    """An executor's work items: how many hold a thread, and those waiting for one."""

    def __init__(self, executor) -> None:
        self.max_workers = executor._max_workers
        self.busy = 0
        self.queued: list = []  # concurrent futures, first come first
        self.on_idle = None  # a loop future shutdown_default_executor waits on
        self.loop = None


def _state_of(executor) -> _ExecutorState:
    st = executor.__dict__.get("_tasklab_state")
    if st is None:
        st = executor._tasklab_state = _ExecutorState(executor)
    return st


def _wait_for_baton(token) -> None:
    """Waits (holding the condition) until `token` holds the baton."""
    waited = 0.0
    while _holder is not token:
        if not _baton.wait(timeout=1.0):
            waited += 1.0
            if waited >= _BATON_PATIENCE_S:
                _stop("blocked", "a worker thread blocked outside time.sleep (the oracle runs threads one at a time)")


def _pass_baton(token) -> None:
    global _holder
    _holder = token
    _baton.notify_all()


def _run_worker(token) -> None:
    """A loop callback: the worker of `token` runs until it sleeps or its item ends."""
    with _baton:
        _pass_baton(token)
        _wait_for_baton(_LOOP)


_stock_submit = concurrent.futures.ThreadPoolExecutor.submit
_stock_work_item_run = concurrent.futures.thread._WorkItem.run


def _submit(self, fn, /, *args, **kwargs):
    loop = CLOCK.current_loop
    if loop is None:
        raise RuntimeError("the asyncio oracle runs worker threads only inside its event loop")
    st = _state_of(self)
    st.loop = loop
    with _baton:  # a worker thread may take the item at once: it reads the tag under the lock
        f = _stock_submit(self, fn, *args, **kwargs)
        f._tasklab_executor = st
        if st.busy < st.max_workers:
            st.busy += 1
            loop.call_soon(_run_worker, f)  # a free worker starts it: one more ready entry
        else:
            st.queued.append(f)  # it starts when a worker finishes its item
    return f


def _work_item_run(self) -> None:
    token = self.future
    with _baton:
        st = getattr(token, "_tasklab_executor", None)
        if st is not None:
            _wait_for_baton(token)
    if st is None:  # an executor the oracle does not know: run it as is
        _stock_work_item_run(self)
        return
    _worker.token = token
    try:
        _stock_work_item_run(self)  # the stock run: the result goes out by call_soon_threadsafe
    finally:
        _worker.token = None
        with _baton:
            if st.queued:
                st.loop.call_soon(_run_worker, st.queued.pop(0))  # this thread takes the next item
            else:
                st.busy -= 1
                if st.busy == 0 and st.on_idle is not None:
                    fut, st.on_idle = st.on_idle, None
                    st.loop.call_soon_threadsafe(fut.set_result, None)
            _pass_baton(_LOOP)


def _worker_sleep(token, secs) -> None:
    loop = token._tasklab_executor.loop
    with _baton:
        loop._arm(CLOCK.now_ns + round(secs * NS_PER_S), _run_worker, (token,), None, "call_later")
        _pass_baton(_LOOP)
        _wait_for_baton(token)


def _sleep(secs) -> None:
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    token = getattr(_worker, "token", None)
    if token is not None:
        _worker_sleep(token, secs)  # only this worker waits; the loop goes on
        return
    _advance_to(CLOCK.now_ns + round(secs * NS_PER_S))


def install() -> None:
    """Patches time.sleep and the clocks, and installs the virtual-time event-loop policy."""
    _time.sleep = _sleep
    _time.time = lambda: CLOCK.now_ns / NS_PER_S
    _time.monotonic = lambda: CLOCK.now_ns / NS_PER_S
    _time.perf_counter = lambda: CLOCK.now_ns / NS_PER_S
    _time.time_ns = lambda: CLOCK.now_ns
    _time.monotonic_ns = lambda: CLOCK.now_ns
    _time.perf_counter_ns = lambda: CLOCK.now_ns
    asyncio.set_event_loop_policy(VirtualTimePolicy())
    asyncio.taskgroups.TaskGroup._abort = _taskgroup_abort
    asyncio.runners._cancel_all_tasks = _cancel_all_tasks
    _install_timeouts_3_11_7()
    concurrent.futures.ThreadPoolExecutor.submit = _submit
    concurrent.futures.thread._WorkItem.run = _work_item_run
