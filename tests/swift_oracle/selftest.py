#!/usr/bin/env python3
"""Checks the Swift oracle's own logic, without a Swift toolchain: the comparison rules (an
outcome of `tasklab explore`, fed here as made-up JSON, and the same-instant rule), the
directives it reads and the stand-ins it picks. Prints one line per failed check; exit 1 if any.

    python3 selftest.py
"""

from __future__ import annotations

import os
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import oracle  # noqa: E402

failures: list[str] = []


def check(name: str, condition: bool) -> None:
    if not condition:
        failures.append(name)
        print(f"FAIL {name}")


S = 1_000_000_000
# main (task 1) prints a, then at 1 s tasks 2 and 3 print b and c, task 2 then prints d; at 2 s main prints e.
TIMED = [(0, 1, "a"), (S, 2, "b"), (S, 3, "c"), (S, 2, "d"), (2 * S, 1, "e")]

check("the same lines in the same order agree", compare.first_difference(TIMED, ["a", "b", "c", "d", "e"]) is None)
check("lines of different tasks at one instant may change places",
      compare.first_difference(TIMED, ["a", "c", "b", "d", "e"]) is None)
check("lines of different tasks at one instant may change places (c last)",
      compare.first_difference(TIMED, ["a", "b", "d", "c", "e"]) is None)
check("lines of one task keep their order even at one instant",
      compare.first_difference(TIMED, ["a", "d", "c", "b", "e"]) is not None)
check("lines of different instants keep their order",
      compare.first_difference(TIMED, ["a", "b", "c", "e", "d"]) is not None)
check("a missing line is a difference", compare.first_difference(TIMED, ["a", "b", "c", "d"]) is not None)
check("an extra line is a difference", compare.first_difference(TIMED, ["a", "b", "c", "d", "e", "f"]) is not None)
check("a changed line is a difference", compare.first_difference(TIMED, ["a", "b", "c", "x", "e"]) is not None)
check("a repeated line counts", compare.first_difference(TIMED, ["a", "b", "b", "d", "e"]) is not None)

SAME = [(S, 2, "x"), (S, 2, "y"), (S, 3, "y"), (S, 3, "x")]
check("identical lines of two tasks: any order both tasks allow",
      compare.first_difference(SAME, ["y", "x", "x", "y"]) is None)
check("identical lines of two tasks: an order neither allows",
      compare.first_difference([(S, 2, "x"), (S, 2, "y"), (S, 3, "x"), (S, 3, "y")], ["y", "y", "x", "x"]) is not None)

UNTIMED = [(None, None, "a"), (None, None, "b")]
check("without instants the order is exact", compare.first_difference(UNTIMED, ["b", "a"]) is not None)
check("without instants the same order agrees", compare.first_difference(UNTIMED, ["a", "b"]) is None)

# The membership rule: `tasklab explore --json` as tasklab writes it (made up here), judged
# against made-up real runs. At 1 s tasks 2 and 3 print "b" and "c": the explorer found both orders.
import json  # noqa: E402


def exploration(outcomes: list[dict], complete: bool = True, runs: int = 4) -> compare.Exploration:
    full = []
    for o in outcomes:
        diverges = ({"choice": 0, "point": "pick", "event": 3, "time_ns": S, "text": o["why"]} if "why" in o else None)
        full.append({"lines": o["lines"], "state": o.get("state", "finished"), "exit": o.get("exit", 0),
                     "end": o.get("end", "the program finished"), "runs": o.get("runs", 2), "script": [0],
                     "diverges_at": diverges})
    return compare.parse_exploration(json.dumps({"runs": runs, "steps": 40, "pruned": 0, "choice_points": 1,
                                                 "complete": complete, "outcomes": full}))


OWN = [(0, 1, "a"), (S, 2, "b"), (S, 3, "c"), (2 * S, 1, "e")]
TWO = exploration([{"lines": ["a", "b", "c", "e"]},
                   {"lines": ["a", "c", "b", "e"], "why": "at 1.000s, `c` ran before `b`"}])


def judge(ex: compare.Exploration, real: list[str], status: int = 0, err: str = "", timed=OWN,
          own_status: int = 0, own_err: str = "", check_status: bool = True) -> compare.Verdict:
    return compare.judge(ex, timed, own_status, own_err, real, status, err, check_status)


v = judge(TWO, ["a", "b", "c", "e"])
check("a real run that is tasklab's own outcome matches outcome 1", v.ok and v.rule == "membership" and v.matched.number == 1)
v = judge(TWO, ["a", "c", "b", "e"])
check("a real run that is another explored outcome matches it", v.ok and v.matched.number == 2)
check("the matched outcome says where it diverges", v.ok and "`c` ran before `b`" in v.matched.label())
ONE = exploration([{"lines": ["a", "b", "c", "e"]}])
v = judge(ONE, ["a", "c", "b", "e"])
check("an order the same-instant rule allows but no explored outcome has fails when the search is complete",
      not v.ok and v.rule == "membership" and compare.first_difference(OWN, ["a", "c", "b", "e"]) is None)
check("the failure names the closest outcome and the first differing line",
      v.closest is not None and v.closest.number == 1 and "not the one explored outcome" in v.difference
      and "first difference at line 2" in v.difference)
v = judge(TWO, ["a", "b", "c"])
check("a missing line is none of the outcomes", not v.ok and "<end of output>" in v.difference)
v = judge(TWO, ["a", "b", "c", "e", "f"])
check("an extra line is none of the outcomes", not v.ok)
v = judge(TWO, ["a", "b", "x", "e"])
check("a changed line is none of the outcomes", not v.ok and "none of the 2 explored outcomes" in v.difference)
RACE = exploration([{"lines": ["value: 2"]}, {"lines": ["value: 1"], "why": "at 0.000s, `t2` ran between two statements of `t1`"}])
v = judge(RACE, ["value: 1"], timed=[(0, 1, "value: 2")])
check("a lost update the explorer found matches its outcome, where the same-instant rule would fail",
      v.ok and v.matched.number == 2 and compare.first_difference([(0, 1, "value: 2")], ["value: 1"]) is not None)
check("a closest outcome is the one most like the real lines",
      compare.closest_outcome(TWO.outcomes, ["a", "c", "b", "e", "x"]).number == 2)

# Endings: the status rule against the matched outcome.
v = judge(TWO, ["a", "b", "c", "e"], status=1, err="Fatal error: boom")
check("the same lines that end differently fail", not v.ok and "end differently" in v.difference)
v = judge(TWO, ["a", "b", "c", "e"], status=1, check_status=False)
check("--ignore-status skips the ending", v.ok)
ENDS = exploration([{"lines": ["a"]},
                    {"lines": ["a"], "state": "uncaught_error", "exit": 1, "end": "main.MyError()", "why": "at 0.000s, x"}])
v = judge(ENDS, ["a"], status=1, timed=[(0, 1, "a")])
check("of two outcomes with the same lines the one that ends as the real run matches", v.ok and v.matched.number == 2)
TRAP = exploration([{"lines": ["a"], "state": "runtime_error", "exit": 4, "end": "Fatal error: arithmetic overflow"}])
check("a trap meets a real run killed by a signal", judge(TRAP, ["a"], status=-4, timed=[(0, 1, "a")]).ok)
check("a trap does not meet a real run that exited 1",
      not judge(TRAP, ["a"], status=1, timed=[(0, 1, "a")]).ok)
v = judge(TWO, ["a", "x", "c", "e"], timed=[(0, 1, "a"), (S, 2, "x"), (S, 3, "c"), (2 * S, 1, "e")])
check("explore's outcome 1 must be what tasklab run printed", not v.ok and "tasklab run" in v.difference)

# A bound stopped the exploration: an outcome found still matches; else the same-instant rule.
PART = exploration([{"lines": ["a", "b", "c", "e"]}], complete=False, runs=2000)
v = judge(PART, ["a", "c", "b", "e"])
check("not complete: a same-instant reordering passes by the same-instant rule and says so",
      v.ok and v.rule == "same-instant" and "explored 2000 orders, not complete: same-instant rule" in v.note)
v = judge(PART, ["a", "b", "c", "e"])
check("not complete: an outcome found still matches by membership", v.ok and v.rule == "membership")
v = judge(PART, ["a", "e", "b", "c"])
check("not complete: lines of different instants still keep their order", not v.ok and v.rule == "same-instant")
v = judge(PART, ["a", "c", "b", "e"], status=1, err="boom")
check("not complete: the ending is still checked against tasklab's own run", not v.ok and "end differently" in v.difference)

check("wide characters take two columns in the side-by-side view", compare.fit("내부 ✨ x", 10) == "내부 ✨ x ")
check("an emoji variation selector makes its character two columns wide", compare.fit("➡️ a", 5) == "➡️ a ")
check("a long line is cut at the column width", compare.fit("외부 작업", 5) == "외부 ")
split = exploration([{"lines": ["x\ny", "z"]}])
check("an outcome's line holding a newline is two lines, as tasklab run prints it", split.outcomes[0].lines == ["x", "y", "z"])
check("a summary counts the orders", TWO.summary() == "explored 4 orders, complete")

found = oracle.read_directives("x.swift", "// tasklab: latency URLSession.data 200ms..1.5s\n// tasklab: swift-version 6\n")
check("a latency range is read in nanoseconds", found.latency_ns == (200_000_000, 1_500_000_000))
check("swift-version is read", found.swift_version == "6")
check("the default latency is one second", oracle.read_directives("x.swift", "").latency_ns == (S, S))
check("a bad latency is a problem", oracle.read_directives("x.swift", "// tasklab: latency URLSession.data 2x\n").problems != [])

with tempfile.TemporaryDirectory() as tmp:
    def sources(text: str) -> tuple[dict[str, bytes], list[str]]:
        path = os.path.join(tmp, "s.swift")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return oracle.sources_for(path)

    files, flags = sources("import Foundation\nstruct UIImage {}\nlet (d, _) = try await URLSession.shared.data(from: URL(string: \"a\")!)\n")
    check("URLSession gets its stand-in and the latency file", {"url_session.swift", "tasklab_latency.swift"} <= set(files))
    check("a scenario's own UIImage is not declared twice", "ui_image.swift" not in files)
    check("the default language mode passes no -swift-version", "-swift-version" not in flags)
    files, flags = sources("// tasklab: swift-version 6\nlet i = UIImage(data: Data())\n")
    check("UIImage used but not declared gets its stand-in", "ui_image.swift" in files and "url_session.swift" not in files)
    check("swift-version 6 compiles with -swift-version 6", flags[-2:] == ["-swift-version", "6"])
    check("top-level code is not parsed as a library", "-parse-as-library" not in flags)
    _, flags = sources("@available(macOS 13, *)\n@main struct App {\n    static func main() async {}\n}\n")
    check("an @main type is compiled with -parse-as-library", "-parse-as-library" in flags)
    _, flags = sources("@MainActor final class Screen {}\n// @main in a comment\nprint(1)\n")
    check("@MainActor and a commented @main are not an entry point", "-parse-as-library" not in flags)
    check("the scenario is compiled unchanged", files["main.swift"] == b"// tasklab: swift-version 6\nlet i = UIImage(data: Data())\n")
    files, flags = sources("@main\nstruct App {\n    static func main() { print(#fileID) }\n}\n")
    check("the module is named main", flags[1:3] == ["-module-name", "main"])
    files, flags = sources("print(\"@main is only text here\")\n")
    check("a file without an @main type is not", "-parse-as-library" not in flags)

print(f"{'FAIL' if failures else 'PASS'}: swift oracle selftest, {len(failures)} failed")
sys.exit(1 if failures else 0)
