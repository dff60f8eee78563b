#!/usr/bin/env python3
"""Compares tasklab's output with the real Swift runtime's for Swift and GCD scenarios.

    python3 compare.py FILE.swift... [--tasklab PATH] [--cache DIR] [--ignore-status] [--show] [--attempts N] [--preemptions K]

For each file it runs `tasklab explore FILE --json` (every outcome a real run could have under
the orders the model leaves open: which ready task runs next, another thread's statement
between two of a task's, each outcome with its exact lines and how it ended), `tasklab run
--print-only --trace …` (tasklab's own run: its lines and the virtual instant of each) and the
real program (oracle.py: compiled unchanged with swiftc plus stand-ins, cached by content hash).

The rule (README.md, "The comparison rule"): when the exploration is complete, the real run's
printed lines must be EXACTLY the lines of one explored outcome, and end as that outcome ends
(exit status 0, or both not 0; --ignore-status skips this; a tasklab runtime error that is a
Swift trap, exit status 4, must meet a real run that crashed with a signal). When a bound
stopped the exploration, a real run that is one of the outcomes found still passes; otherwise
the older same-instant rule decides: lines tasklab prints at different virtual instants must
come in the same order, lines it prints at one virtual instant in any order that keeps each
task's own order. It prints `PASS file: outcome K of N …`, or `FAIL file:` with the first
difference and the real output next to the closest outcome (--show prints the matched outcome
next to the real output for a PASS too). --attempts N runs the real program up to N times and
one agreeing run passes; --preemptions K is passed to `tasklab explore` (its bound on
preemptions per order).

Exit status: 0 every file passed; 1 a file failed; 2 usage error; 77 skipped: no Swift
toolchain (`swiftc` not on PATH and $TASKLAB_SWIFTC unset). With TASKLAB_REQUIRE_SWIFT=1 a
missing toolchain is a failure (1) instead.

The tasklab binary is --tasklab PATH, else $TASKLAB, else `tasklab` on PATH, else the most
recently built `build*/viz/cli/tasklab` under the repository root.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import oracle  # noqa: E402

EXIT_SKIP = 77
TASKLAB_TIMEOUT_S = 300
REAL_SLACK_S = 30  # a real run may take this much longer than tasklab's virtual time


def find_tasklab(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if os.environ.get("TASKLAB"):
        return os.environ["TASKLAB"]
    on_path = shutil.which("tasklab")
    if on_path:
        return on_path
    built = [p for p in glob.glob(os.path.join(oracle.REPO, "build*", "viz", "cli", "tasklab")) if os.access(p, os.X_OK)]
    return max(built, key=os.path.getmtime) if built else None


Timed = list[tuple[int | None, int | None, str]]  # (virtual ns, task id, line); None: unknown


def run_tasklab(tasklab: str, path: str, outcome: int | None = None) -> tuple[Timed, int, str, int]:
    """[(virtual ns, task, line)], exit status, stderr, the run's last virtual instant.

    Of tasklab's own run, or with `outcome` K of the run `tasklab explore --trace-of K` makes."""
    with tempfile.TemporaryDirectory(prefix="tasklab-swift-oracle-") as tmp:
        trace_path = os.path.join(tmp, "trace.jsonl")
        command = ["explore", "--trace-of", str(outcome)] if outcome else ["run"]
        try:
            done = subprocess.run([tasklab, *command, "--print-only", "--trace", trace_path, path],
                                  capture_output=True, timeout=TASKLAB_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return [], -1, f"tasklab timed out after {TASKLAB_TIMEOUT_S} s", 0
        stdout = done.stdout.decode("utf-8", errors="replace")
        lines = stdout.splitlines()
        printed: list[tuple[int, int, str]] = []
        last_t = 0
        if os.path.exists(trace_path):
            with open(trace_path, encoding="utf-8", errors="replace") as f:
                for raw in f:
                    try:
                        event = json.loads(raw)
                    except json.JSONDecodeError:
                        continue
                    if "t" not in event:
                        continue
                    last_t = max(last_t, event["t"])
                    if event.get("kind") == "printed":
                        printed.append((event["t"], event.get("task", 0), str(event.get("payload", ""))))
    # Each printed event is one print() call; its text may hold several lines.
    timed: Timed = []
    for t, task, text in printed:
        timed.extend((t, task, part) for part in text.split("\n"))
    if [text for _, _, text in timed] == lines:
        with_times: Timed = timed
    else:  # prints without a newline: no instants, so the comparison falls back to the exact order
        with_times = [(None, None, line) for line in lines]
    return with_times, done.returncode, done.stderr.decode("utf-8", errors="replace"), last_t


def instants(timed: Timed) -> list[tuple[int | None, list[tuple[int | None, str]]]]:
    """Consecutive lines printed at one virtual instant, grouped as (task, line) (None: each line on its own)."""
    groups: list[tuple[int | None, list[tuple[int | None, str]]]] = []
    for t, task, line in timed:
        if t is not None and groups and groups[-1][0] == t:
            groups[-1][1].append((task, line))
        else:
            groups.append((t, [(task, line)]))
    return groups


INTERLEAVE_BUDGET = 200_000  # states searched before an ambiguous instant is given the benefit of the doubt


def one_task_order_kept(group: list[tuple[int | None, str]], got: list[str]) -> bool:
    """Whether `got` interleaves the tasks' lines of one instant keeping each task's own order.

    A task prints its lines one after the other in a real run too, so within one instant only
    lines of different tasks may change places. Identical lines of different tasks make the
    matching ambiguous: a depth-first search with a memo decides (True when it runs out of budget).
    """
    seqs: dict[int | None, list[str]] = {}
    for task, line in group:
        seqs.setdefault(task, []).append(line)
    tasks = list(seqs)
    seen: set[tuple[int, ...]] = set()
    stack = [tuple(0 for _ in tasks)]
    while stack:
        state = stack.pop()
        pos = sum(state)
        if pos == len(got):
            return True
        if state in seen:
            continue
        seen.add(state)
        if len(seen) > INTERLEAVE_BUDGET:
            return True
        for k, task in enumerate(tasks):
            i = state[k]
            if i < len(seqs[task]) and seqs[task][i] == got[pos]:
                stack.append(state[:k] + (i + 1,) + state[k + 1:])
    return False


def fmt_t(t: int | None) -> str:
    return "   ?    " if t is None else f"{t / 1e9:7.3f}s"


def first_difference(timed: Timed, real: list[str]) -> str | None:
    """None when the real lines meet the rule, else a description of the first difference."""
    pos = 0
    for t, tasked in instants(timed):
        group = [line for _, line in tasked]
        got = real[pos:pos + len(group)]
        if Counter(got) == Counter(group) and not one_task_order_kept(tasked, got):
            return (f"lines {pos + 1}–{pos + len(group)} (tasklab printed them at {fmt_t(t).strip()}) come in an order "
                    "that breaks one task's own order (lines of one task keep their order, even at one instant)")
        if Counter(got) != Counter(group):
            where = f"line {pos + 1}" if len(group) == 1 else f"lines {pos + 1}–{pos + len(group)}"
            out = [f"first difference at {where} (tasklab printed {'it' if len(group) == 1 else 'them'} at {fmt_t(t).strip()}):"]
            missing = Counter(group) - Counter(got)
            extra = Counter(got) - Counter(group)
            for line, n in missing.items():
                out.append(f"  tasklab: {line}" + (f"  (×{n})" if n > 1 else ""))
            if not got:
                out.append("  real:    <end of output>")
            for line, n in extra.items():
                out.append(f"  real:    {line}" + (f"  (×{n})" if n > 1 else ""))
            return "\n".join(out)
        pos += len(group)
    if pos < len(real):
        return f"first difference at line {pos + 1}:\n  tasklab: <end of output>\n  real:    {real[pos]}"
    return None


def _char_width(c: str) -> int:
    """Terminal columns of one character: 2 for wide (Korean, most emoji), 0 for combining marks."""
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns and padded to them (wide characters count two)."""
    out, used = [], 0
    for c in text:
        # U+FE0F asks for the emoji form of the character before it, two columns wide (➡️).
        w = 1 if c == "\ufe0f" and out and _char_width(out[-1]) == 1 else _char_width(c)
        if used + w > width:
            break
        out.append(c)
        used += w
    return "".join(out) + " " * (width - used)


def side_by_side(timed: Timed, real: list[str], limit: int = 60, left_title: str = "tasklab") -> str:
    """Both outputs in two columns, the left with its virtual instants; `≠` marks a row that differs."""
    rows = [f"  #  {fit(left_title + ' (virtual time)', 56)}   real swift"]
    for i in range(max(len(timed), len(real))):
        if i >= limit:
            rows.append(f"  … {max(len(timed), len(real)) - limit} more lines")
            break
        left = f"[{fmt_t(timed[i][0]).strip()}] {timed[i][2]}" if i < len(timed) else ""
        right = real[i] if i < len(real) else ""
        same = i < len(timed) and i < len(real) and timed[i][2] == real[i]
        rows.append(f"{i + 1:3}  {fit(left, 56)} {'|' if same else '≠'} {right}")
    return "\n".join(rows)


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    return errors[0] if errors else (lines[-1] if lines else "")


def _is_trap(status: int, err: str) -> bool:
    """A tasklab runtime error (exit status 4) that is one of Swift's traps (overflow, a failed
    conversion, force-unwrapping nil, …), not an API tasklab does not model."""
    return status == 4 and "not supported" not in err and "cannot find" not in err


def _crashed(returncode: int) -> bool:
    """The real program died by a signal (a Swift trap is SIGILL or SIGTRAP), directly or as
    the shell's 128 + signal."""
    return returncode < 0 or returncode > 128


def ending_difference(status: int, err: str, real_status: int, real_err: str, who: str = "tasklab") -> str | None:
    """None when a real run that ended with `real_status` ends as tasklab's run (or outcome) that
    ended with `status` and `err`: both exit 0 or both not, and a trap meets a crash."""
    width = max(len(who) + 1, 8)
    both = (f"  {who + ':':<{width}} exit status {status} {_last_line(err)}\n"
            f"  {'real:':<{width}} exit status {real_status} {_last_line(real_err)}")
    if _is_trap(status, err) and not _crashed(real_status):
        return f"{who} stopped at a trap, but the real run did not crash:\n{both}"
    if (status == 0) != (real_status == 0):
        return f"same lines, but they end differently:\n{both}"
    return None


@dataclass
class Outcome:
    """One outcome of `tasklab explore --json`, its lines split as `tasklab run --print-only` prints them."""
    number: int               # 1, 2, …: as `tasklab explore` numbers it; 1 is tasklab's own order
    lines: list[str]
    state: str                # "finished", "uncaught_error", "runtime_error", …
    status: int               # the exit status `tasklab run` gives a run that ends so
    end: str                  # the run's end message and its stderr text
    runs: int                 # explored orders that end here
    divergence: str | None    # the first choice that departs from tasklab's own order

    def label(self) -> str:
        orders = f"{self.runs} order{'s' if self.runs != 1 else ''}"
        return orders + ", " + (self.divergence or "tasklab's own order")


@dataclass
class Exploration:
    """What `tasklab explore FILE --json` found."""
    outcomes: list[Outcome]
    runs: int                 # orders explored
    pruned: int               # preemption points pruned as equivalent
    complete: bool            # False: --max-runs or --max-steps stopped the search first

    def summary(self) -> str:
        return f"explored {self.runs} order{'s' if self.runs != 1 else ''}, {'complete' if self.complete else 'not complete'}"


def parse_exploration(text: str) -> Exploration:
    """Reads `tasklab explore --json`'s output (ValueError, KeyError or TypeError when it is not)."""
    data = json.loads(text)
    outcomes = []
    for k, o in enumerate(data["outcomes"], 1):
        # `run --print-only` prints each output line and a newline; a line may hold several.
        printed = "".join(str(line) + "\n" for line in o["lines"]).splitlines()
        diverges = o.get("diverges_at")
        outcomes.append(Outcome(k, printed, str(o["state"]), int(o["exit"]), str(o.get("end", "")),
                                int(o.get("runs", 1)), str(diverges["text"]) if diverges else None))
    return Exploration(outcomes, int(data["runs"]), int(data.get("pruned", 0)), bool(data["complete"]))


EXPLORE_STOPPED = 4  # `tasklab explore`'s exit status when a bound stopped the search


def run_explore(tasklab: str, path: str, extra: list[str] | None = None) -> tuple[Exploration | None, str]:
    """The exploration, or None and why there is none."""
    try:
        done = subprocess.run([tasklab, "explore", path, "--json", *(extra or [])], capture_output=True,
                              timeout=TASKLAB_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"tasklab explore timed out after {TASKLAB_TIMEOUT_S} s"
    err = done.stderr.decode("utf-8", errors="replace")
    if done.returncode not in (0, EXPLORE_STOPPED):
        return None, f"tasklab explore did not run it (exit status {done.returncode}): {_last_line(err)}"
    try:
        return parse_exploration(done.stdout.decode("utf-8", errors="replace")), ""
    except (ValueError, KeyError, TypeError) as e:
        return None, f"tasklab explore --json gave no result ({e.__class__.__name__}: {e}): {_last_line(err)}"


def closest_outcome(outcomes: list[Outcome], real: list[str]) -> Outcome:
    """The outcome whose lines are most like the real ones (the lowest number on a tie)."""
    def likeness(o: Outcome) -> tuple[float, int]:
        return SequenceMatcher(None, o.lines, real, autojunk=False).ratio(), -o.number
    return max(outcomes, key=likeness)


def line_difference(name: str, theirs: list[str], real: list[str], other: str = "real") -> str:
    """`first difference at line N:` with both lines (or `<end of output>`)."""
    i = 0
    while i < len(theirs) and i < len(real) and theirs[i] == real[i]:
        i += 1
    width = max(len(name), len(other)) + 1
    left = theirs[i] if i < len(theirs) else "<end of output>"
    right = real[i] if i < len(real) else "<end of output>"
    return f"first difference at line {i + 1}:\n  {name + ':':<{width}} {left}\n  {other + ':':<{width}} {right}"


@dataclass
class Verdict:
    """How a real run compares with tasklab's outcomes."""
    ok: bool
    rule: str                  # "membership": one explored outcome exactly; "same-instant": the older rule
    matched: Outcome | None    # the outcome the real run is (membership)
    closest: Outcome | None    # on a failure by membership: the outcome nearest the real run
    difference: str | None     # on a failure: what differs
    note: str = ""             # why the same-instant rule decided


def judge(exploration: Exploration, timed: Timed, tasklab_status: int, tasklab_err: str,
          real: list[str], real_status: int, real_err: str, check_status: bool = True) -> Verdict:
    """The comparison rule (README.md): the real lines must be exactly one explored outcome's,
    ending as it ends; when the exploration is not complete and the real run is none of the
    outcomes found, the same-instant rule against tasklab's own run decides."""
    own = [line for _, _, line in timed]
    if exploration.outcomes and exploration.outcomes[0].lines != own:
        first = exploration.outcomes[0]
        return Verdict(False, "membership", None, first,
                       "tasklab explore's outcome 1 (tasklab's own order) is not what tasklab run printed: " +
                       line_difference("outcome 1", first.lines, own, "tasklab run"))
    same_lines = [o for o in exploration.outcomes if o.lines == real]
    for o in same_lines:
        if not check_status or ending_difference(o.status, o.end, real_status, real_err) is None:
            return Verdict(True, "membership", o, None, None)
    if exploration.complete and exploration.outcomes:
        if same_lines:
            o = same_lines[0]
            return Verdict(False, "membership", None, o,
                           ending_difference(o.status, o.end, real_status, real_err, f"outcome {o.number}"))
        o = closest_outcome(exploration.outcomes, real)
        n = len(exploration.outcomes)
        return Verdict(False, "membership", None, o,
                       ("the real output is not the one explored outcome" if n == 1 else
                        f"the real output is none of the {n} explored outcomes") +
                       f" ({exploration.summary()}); the closest is outcome {o.number} ({o.label()}): " +
                       line_difference(f"outcome {o.number}", o.lines, real))
    note = f"{exploration.summary()}: same-instant rule"
    difference = first_difference(timed, real)
    if difference is None and check_status:
        difference = ending_difference(tasklab_status, tasklab_err, real_status, real_err)
    return Verdict(difference is None, "same-instant", None, None, difference, note)


def compare_one(path: str, tasklab: str, swiftc: str, cache: str | None, check_status: bool, show: bool,
                out: list[str] | None = None, attempts: int = 1, explore_args: list[str] | None = None) -> bool:
    """Prints PASS/FAIL for one file (or appends the text to `out`); True when it passed.

    With attempts > 1 the real program runs up to that many times and one agreeing run passes:
    on a loaded machine a real run may reorder events that lie only milliseconds apart (the
    lessons keep ≥ 100 ms margins where they can; the narration says where they cannot)."""
    if out is None:
        lines: list[str] = []
        ok = compare_one(path, tasklab, swiftc, cache, check_status, show, lines, attempts, explore_args)
        print("\n".join(lines), flush=True)
        return ok
    emit = out.append
    timed, tasklab_status, tasklab_err, last_t = run_tasklab(tasklab, path)
    # A trap (exit status 4: overflow, a failed conversion, force-unwrapping nil, …) is the
    # program's own end, as the real program's crash is: compared like an uncaught error.
    if tasklab_status not in (0, 1) and not _is_trap(tasklab_status, tasklab_err):
        emit(f"FAIL {path}: tasklab did not run it (exit status {tasklab_status}): {_last_line(tasklab_err)}")
        return False
    exploration, why = run_explore(tasklab, path, explore_args)
    if exploration is None:
        emit(f"FAIL {path}: {why}")
        return False
    try:
        binary = oracle.build(path, swiftc, cache)
    except oracle.OracleError as e:
        emit(f"FAIL {path}: {e}")
        return False
    for attempt in range(1, max(attempts, 1) + 1):
        done = oracle.run(binary, last_t / 1e9 + REAL_SLACK_S)
        real = done.stdout.decode("utf-8", errors="replace").splitlines()
        real_err = done.stderr.decode("utf-8", errors="replace")
        verdict = judge(exploration, timed, tasklab_status, tasklab_err, real, done.returncode, real_err, check_status)
        if verdict.ok:
            break
        if attempt < attempts:
            first_line = (verdict.difference or "").splitlines()[0]
            emit(f"note {path}: real run {attempt} of {attempts} differed ({first_line}); running it again")

    def outcome_timed(o: Outcome) -> Timed:
        if o.number == 1:
            return timed
        their, _, _, _ = run_tasklab(tasklab, path, o.number)
        return their if [line for _, _, line in their] == o.lines else [(None, None, line) for line in o.lines]

    n = len(exploration.outcomes)
    if verdict.ok and verdict.matched:
        o = verdict.matched
        found = "" if exploration.complete else " found"
        emit(f"PASS {path}: outcome {o.number} of {n}{found} ({o.label()}) · {exploration.summary()} · {len(real)} line{'s' if len(real) != 1 else ''}")
        if show:
            emit(side_by_side(outcome_timed(o), real, left_title=f"outcome {o.number}"))
        return True
    if verdict.ok:
        emit(f"PASS {path}: {verdict.note} ({len(real)} lines, {len(instants(timed))} virtual instants)")
        if show:
            emit(side_by_side(timed, real))
        return True
    emit(f"FAIL {path}: {verdict.difference}")
    if done.returncode != 0:
        emit(f"  (real exit status {done.returncode}: {_last_line(real_err)})")
    if verdict.closest is not None:
        emit(side_by_side(outcome_timed(verdict.closest), real, left_title=f"outcome {verdict.closest.number}"))
    else:
        emit(f"  ({verdict.note}; tasklab's own run on the left)")
        emit(side_by_side(timed, real))
    return False


def main(argv: list[str]) -> int:
    files: list[str] = []
    tasklab_arg = None
    cache = None
    check_status = True
    show = False
    attempts = 1
    explore_args: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--tasklab", "--cache") and i + 1 < len(argv):
            if a == "--tasklab":
                tasklab_arg = argv[i + 1]
            else:
                cache = argv[i + 1]
            i += 2
            continue
        if a == "--preemptions" and i + 1 < len(argv) and argv[i + 1].isdigit():
            explore_args = ["--preemptions", argv[i + 1]]
            i += 2
            continue
        if a == "--attempts" and i + 1 < len(argv) and argv[i + 1].isdigit():
            attempts = max(1, int(argv[i + 1]))
            i += 2
            continue
        if a == "--ignore-status":
            check_status = False
        elif a == "--show":
            show = True
        elif a.startswith("-"):
            print(f"compare.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        print("usage: compare.py FILE.swift... [--tasklab PATH] [--cache DIR] [--ignore-status] [--show] [--attempts N] "
              "[--preemptions K]", file=sys.stderr)
        return 2
    swiftc = oracle.find_swiftc()
    if swiftc is None:
        why = ("$TASKLAB_SWIFTC is not an executable file" if os.environ.get("TASKLAB_SWIFTC")
               else "no `swiftc` on PATH and $TASKLAB_SWIFTC is unset")
        if oracle.swift_required():
            print(f"FAIL: TASKLAB_REQUIRE_SWIFT is set, but there is no Swift toolchain: {why}")
            return 1
        for path in files:
            print(f"SKIP {path}: not checked against the real Swift runtime: {why} "
                  "(install Swift, or set TASKLAB_SWIFTC to its swiftc)")
        return EXIT_SKIP
    tasklab = find_tasklab(tasklab_arg)
    if tasklab is None:
        print("compare.py: no tasklab binary found; pass --tasklab PATH or set TASKLAB", file=sys.stderr)
        return 2
    ok = True
    for path in files:
        ok = compare_one(path, tasklab, swiftc, cache, check_status, show, attempts=attempts, explore_args=explore_args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
