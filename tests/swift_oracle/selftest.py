#!/usr/bin/env python3
"""Checks the Swift oracle's own logic, without a Swift toolchain: the comparison rule, the
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
