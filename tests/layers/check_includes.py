#!/usr/bin/env python3
"""The floors' include rules, read from the sources (docs/architecture.md, "Floors").

scenarios/ (text -> AST), engine/ (runs the AST, records the trace) and viz/ (everything a
person sees) depend downwards only. The include roots (cmake/layers.cmake) stop a rooted
include of a higher floor at compile time; this script reads every #include of scenarios/ and
engine/ and refuses, in any of their .cpp, .hpp, .h and .inc files:

- a quoted include that climbs out of its folder (`#include "../trace.hpp"`): a relative path
  reaches any floor whatever the include roots say;
- a header of a higher floor: viz/ for both, engine/ for scenarios/;
- a header of engine/platform from outside it (its headers are its own);
- an angle include that is not a header of the C++ standard library (POSIX headers such as
  <unistd.h>, <sys/mman.h>, <ucontext.h>, <pthread.h>, <dlfcn.h>, <signal.h>, <fcntl.h>, or
  any library's), and <csignal>/<csetjmp>, which are signals and stack jumps in standard
  clothing. engine/platform is the one folder allowed OS headers.

Exits 0 and prints how many files and includes it read when every include keeps the rules,
else prints each offence as file:line: rule and exits 1. `--selftest` checks the checker on a
made-up tree with one offence of each kind.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile

# The headers of the C++20 standard library (ISO/IEC 14882:2020 [headers]), the C library's as
# <cname> and as <name.h>, and <version>. Everything else in angle brackets is the OS's or a
# library's.
CXX_HEADERS = {
    "algorithm", "any", "array", "atomic", "barrier", "bit", "bitset", "charconv", "chrono",
    "codecvt", "compare", "complex", "concepts", "condition_variable", "coroutine", "deque",
    "exception", "execution", "filesystem", "format", "forward_list", "fstream", "functional",
    "future", "initializer_list", "iomanip", "ios", "iosfwd", "iostream", "istream", "iterator",
    "latch", "limits", "list", "locale", "map", "memory", "memory_resource", "mutex", "new",
    "numbers", "numeric", "optional", "ostream", "queue", "random", "ranges", "ratio", "regex",
    "scoped_allocator", "semaphore", "set", "shared_mutex", "source_location", "span",
    "sstream", "stack", "stdexcept", "stop_token", "streambuf", "string", "string_view",
    "strstream", "syncstream", "system_error", "thread", "tuple", "type_traits", "typeindex",
    "typeinfo", "unordered_map", "unordered_set", "utility", "valarray", "variant", "vector",
    "version",
}
C_LIBRARY = ["assert", "ctype", "errno", "fenv", "float", "inttypes", "limits", "locale", "math",
             "stdarg", "stddef", "stdint", "stdio", "stdlib", "string", "time", "uchar", "wchar",
             "wctype"]
STANDARD = CXX_HEADERS | {"c" + name for name in C_LIBRARY} | {name + ".h" for name in C_LIBRARY}

# Exceptions that still stand, each to be removed when its include goes: (file, header).
# The check fails when one no longer matches an include, so the list cannot go stale.
KNOWN_EXCEPTIONS: set = set()

FLOORS = ("scenarios", "engine")
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".inc")
INCLUDE = re.compile(r'^\s*#\s*(?:include|include_next|import)\s*([<"])([^>"]+)[>"]')


def sources(repo: str):
    for floor in FLOORS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(repo, floor)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.relpath(os.path.join(dirpath, name), repo).replace(os.sep, "/")


def offences_of(repo: str, rel: str, line_no: int, kind: str, header: str) -> list[str]:
    """The rules `#include <header>` or `#include "header"` at rel:line_no breaks."""
    floor = rel.split("/")[0]
    in_platform = rel.startswith("engine/platform/")
    where = f"{rel}:{line_no}"
    found = []
    if kind == "<":
        if header in STANDARD and header not in ("csignal", "csetjmp"):
            return []
        if in_platform or (rel, header) in KNOWN_EXCEPTIONS:
            return []
        found.append(f"{where}: <{header}> is not a header of the C++ standard library: "
                     f"{floor}/ uses the standard library only (the OS lives in engine/platform)")
        return found
    parts = header.split("/")
    if ".." in parts:
        found.append(f'{where}: "{header}" climbs out of its folder: include by the rooted path '
                     f'("engine/…", "scenarios/…")')
        return found
    # The path as the compiler finds it: next to the including file, else from an include root.
    beside = os.path.normpath(os.path.join(os.path.dirname(rel), header)).replace(os.sep, "/")
    target = beside if os.path.exists(os.path.join(repo, beside)) else header
    target_floor = target.split("/")[0]
    allowed = {"scenarios": {"scenarios"}, "engine": {"scenarios", "engine"}}[floor]
    if target_floor not in allowed:
        found.append(f'{where}: "{header}" is a header of {target_floor}/, which {floor}/ must not see')
    elif target.startswith("engine/platform/") and not in_platform:
        found.append(f'{where}: "{header}" is internal to engine/platform: include engine/big_stack.hpp '
                     f'or engine/fiber.hpp')
    return found


def check(repo: str) -> tuple[list[str], int, int]:
    offences: list[str] = []
    used_exceptions = set()
    files = includes = 0
    for rel in sources(repo):
        files += 1
        with open(os.path.join(repo, rel), encoding="utf-8", errors="replace") as f:
            for line_no, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                includes += 1
                kind, header = m.group(1), m.group(2).strip()
                if kind == "<" and (rel, header) in KNOWN_EXCEPTIONS:
                    used_exceptions.add((rel, header))
                offences += offences_of(repo, rel, line_no, kind, header)
    for rel, header in sorted(KNOWN_EXCEPTIONS - used_exceptions):
        offences.append(f"{rel}: no longer includes <{header}>: remove it from KNOWN_EXCEPTIONS in "
                        f"tests/layers/check_includes.py (and fence it in cmake/layers.cmake)")
    return offences, files, includes


def selftest() -> int:
    """The checker finds one offence of each kind in a made-up tree and none in its good files."""
    global KNOWN_EXCEPTIONS
    saved = KNOWN_EXCEPTIONS
    KNOWN_EXCEPTIONS = set()
    try:
        with tempfile.TemporaryDirectory() as repo:
            files = {
                "scenarios/ast.hpp": '#include <vector>\n#include "source.hpp"\n',
                "scenarios/source.hpp": "#include <string_view>\n#include <cstdint>\n#include <math.h>\n",
                "scenarios/bad.cpp": '#include "engine/trace.hpp"\n#include "../viz/app.hpp"\n',
                "engine/trace.hpp": '#include "scenarios/ast.hpp"\n#include <memory>\n',
                "engine/cancel/swift.hpp": '#include "engine/trace.hpp"\n#include "../trace.hpp"\n',
                "engine/good.cpp": '#include "trace.hpp"\n#include "cancel/swift.hpp"\n#include "engine/big_stack.hpp"\n',
                "engine/big_stack.hpp": "#include <functional>\n",
                "engine/posix.cpp": "#include <unistd.h>\n  #  include <sys/mman.h>\n#include <csignal>\n#include <imgui.h>\n",
                "engine/sees_viz.cpp": '#include "viz/text/event_log.hpp"\n',
                "engine/platform_inside.cpp": '#include "engine/platform/context_switch.hpp"\n',
                "engine/platform/context_switch.hpp": "#include <ucontext.h>\n",
                "engine/platform/fiber.cpp": '#include <sys/mman.h>\n#include "context_switch.hpp"\n#include "engine/fiber.hpp"\n',
                "viz/app.hpp": '#include <GLFW/glfw3.h>\n',
                "viz/text/event_log.hpp": "",
            }
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(repo, rel)), exist_ok=True)
                with open(os.path.join(repo, rel), "w", encoding="utf-8") as f:
                    f.write(text)
            offences, n_files, _ = check(repo)
            expected = [
                ("engine/cancel/swift.hpp:2", "climbs out"),
                ("engine/platform_inside.cpp:1", "internal to engine/platform"),
                ("engine/posix.cpp:1", "<unistd.h>"),
                ("engine/posix.cpp:2", "<sys/mman.h>"),
                ("engine/posix.cpp:3", "<csignal>"),
                ("engine/posix.cpp:4", "<imgui.h>"),
                ("engine/sees_viz.cpp:1", "header of viz/"),
                ("scenarios/bad.cpp:1", "header of engine/"),
                ("scenarios/bad.cpp:2", "climbs out"),
            ]
            problems = []
            if n_files != 12:
                problems.append(f"read {n_files} files of scenarios/ and engine/, expected 12")
            for where, words in expected:
                if not any(o.startswith(where + ":") and words in o for o in offences):
                    problems.append(f"missed: {where} ({words})")
            if len(offences) != len(expected):
                problems.append(f"{len(offences)} offences, expected {len(expected)}:\n  " + "\n  ".join(offences))
            # A known exception that no longer matches an include is itself reported.
            KNOWN_EXCEPTIONS = {("engine/good.cpp", "sys/resource.h")}
            stale, _, _ = check(repo)
            if not any("no longer includes <sys/resource.h>" in o for o in stale):
                problems.append("a stale known exception was not reported")
            if problems:
                print("check_includes selftest FAILED:\n" + "\n".join(problems))
                return 1
            print(f"check_includes selftest: {len(expected)} offences found, good files pass, stale exceptions reported")
            return 0
    finally:
        KNOWN_EXCEPTIONS = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--selftest", action="store_true")
    args = parser.parse_args()
    if args.selftest:
        return selftest()
    offences, files, includes = check(args.repo)
    if files == 0 or includes == 0:
        print(f"no sources read under {args.repo}: wrong --repo?")
        return 1
    if offences:
        print("\n".join(offences))
        print(f"{len(offences)} include(s) break the floors' rules (docs/architecture.md, \"Floors\")")
        return 1
    print(f"{files} files of scenarios/ and engine/, {includes} includes: every one keeps the floors' rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
