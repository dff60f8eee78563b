#!/usr/bin/env python3
"""code_size.py DIR... [--max-file N] [--max-function N] [--list]  |  code_size.py --selftest

Checks that no C++ source file under DIR is longer than --max-file lines and that no
function body is longer than --max-function lines, and prints every one that is, longest
first (exit status 1 if any). With --list it prints the ten longest files and functions even
when all are within the limits.

A function body is counted from the line of its opening brace to the line of its closing
brace. Comments, string and character literals are blanked first, so braces inside them do
not count. A brace opens a function body when the text before it (since the last `;`, `{`
or `}`) ends in a parameter list, optionally followed by qualifiers, a trailing return type
or a constructor's member initialisers; lambdas and blocks inside a function count as part of
that function. Namespaces, classes, structs, unions, enums and `extern "C"` are walked into.
"""
import argparse
import os
import re
import sys

SOURCE_EXTS = (".cpp", ".hpp", ".h", ".cc", ".inc")
SCOPE_RE = re.compile(r'\b(namespace|class|struct|union|enum)\b|extern\s*"C"')


def blank(text: str) -> str:
    """Replaces comments and literals by spaces, keeping every newline."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path: str):
    """Yields (name, first_line, lines) for each function body in the file."""
    with open(path, encoding="utf-8") as f:
        text = blank(f.read())
    stack = []  # entries: ("scope"|"fn"|"block", start_line, name)
    header_start = 0
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == "{":
            header = text[header_start:i]
            if any(kind == "fn" for kind, _, _ in stack):
                stack.append(("block", line, ""))
            elif re.search(r"\)\s*:", header) and re.search(r"[\w>]\s*$", header) and not re.search(r"\)\s*$", header):
                stack.append(("init", line, ""))  # a member initialiser in braces: m_b{a}
                continue
            elif SCOPE_RE.search(header) and "(" not in header.split("=")[0]:
                stack.append(("scope", line, ""))
            elif re.search(r"\)[^()]*$", header) or re.search(r"\)\s*:[\s\S]*$", header):
                names = re.findall(r"([~\w:]+(?:operator\s*\S+?)?)\s*\(", header)
                stack.append(("fn", line, names[0] if names else "?"))
            else:
                stack.append(("block", line, ""))
            header_start = i + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "fn":
                    yield name, start, line - start + 1
                if kind == "init":
                    continue
            header_start = i + 1
        elif c == ";":
            header_start = i + 1


def sources(dirs):
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in sorted(files):
                if name.endswith(SOURCE_EXTS):
                    yield os.path.join(root, name)


SELFTEST_SOURCE = r"""// a comment with { braces }
namespace outer {
struct Point {
    int x() const {
        return 1;
    }
};
int Point2::y(int a)
    const {
    auto f = [](int b) {
        return b + '{';
    };
    const char* s = "}}}";
    return f(a);
}
}  // namespace outer
Thing::Thing(int a) : m_a(a), m_b{a} {
    if (a) {
        m_a = 1'000;
    }
}
const int table[] = {1, 2, 3};
auto raw = R"x(} not a brace {)x";
"""


def selftest() -> int:
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sample.cpp")
        with open(path, "w", encoding="utf-8") as f:
            f.write(SELFTEST_SOURCE)
        got = [(name, start, n) for name, start, n in functions(path)]
    want = [("x", 4, 3), ("Point2::y", 9, 7), ("Thing::Thing", 17, 5)]
    if got != want:
        print(f"code_size.py selftest: found {got}, expected {want}", file=sys.stderr)
        return 1
    print(f"code_size.py selftest: {len(want)} functions found as expected")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--selftest"]:
        return selftest()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--max-file", type=int, default=600)
    ap.add_argument("--max-function", type=int, default=100)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    file_sizes, fn_sizes = [], []
    for path in sorted(sources(args.dirs)):
        with open(path, encoding="utf-8") as f:
            file_sizes.append((sum(1 for _ in f), path))
        for name, start, n in functions(path):
            fn_sizes.append((n, f"{path}:{start}: {name}"))
    file_sizes.sort(reverse=True)
    fn_sizes.sort(reverse=True)
    long_files = [x for x in file_sizes if x[0] > args.max_file]
    long_fns = [x for x in fn_sizes if x[0] > args.max_function]
    for n, what in long_files:
        print(f"{what}: {n} lines (at most {args.max_file})")
    for n, what in long_fns:
        print(f"{what}: {n} lines (at most {args.max_function})")
    if args.list:
        print(f"{len(file_sizes)} files, {len(fn_sizes)} functions")
        print("longest files:", ", ".join(f"{p} {n}" for n, p in file_sizes[:10]))
        print("longest functions:", ", ".join(f"{w} {n}" for n, w in fn_sizes[:10]))
    if long_files or long_fns:
        print(f"{len(long_files)} file(s) and {len(long_fns)} function(s) over the limits", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
