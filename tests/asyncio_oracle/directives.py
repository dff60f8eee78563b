"""Reads the `# tasklab: …` directives of a Python scenario that matter to the oracle.

The syntax is tasklab's own (scenarios/directives.cpp, docs/language.md section 11); this
reader follows it for the directives that change a run: `latency`, `signal`, `limit time`
and `expect`/`expect-repeat`/`expect-error` (for --check). `title`, `note`, `note-at` and `seed` are
accepted and ignored. A latency range (`200ms..800ms`) needs tasklab's seeded generator, so
the oracle refuses it.
"""

from __future__ import annotations

import io
import re
import signal
import tokenize
from dataclasses import dataclass, field

_UNITS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
_DURATION = re.compile(r"^(\d+)(?:\.(\d+))?(s|ms|us|ns)$")
KNOWN = ("title", "seed", "note", "note-at", "expect", "expect-repeat", "expect-error", "latency", "signal", "limit")


class DirectiveError(Exception):
    """A malformed directive: `file:line: message`."""


@dataclass
class Directives:
    """What the oracle takes from a scenario's directives."""

    latencies: dict[str, int] = field(default_factory=dict)  # api -> ns
    signals: list[tuple[int, int]] = field(default_factory=list)  # (signum, at ns), file order
    time_limit_ns: int | None = None
    expect: list[str] = field(default_factory=list)
    expect_error: str | None = None
    title: str | None = None


def parse_duration(text: str) -> int | None:
    """`2s`, `1.5s`, `500ms`, `250us`, `10ns` -> nanoseconds; None when malformed or finer than 1 ns."""
    m = _DURATION.match(text)
    if not m:
        return None
    whole, frac, unit = m.group(1), m.group(2) or "", m.group(3)
    scale = _UNITS[unit]
    numerator = int(whole + frac) * scale
    denominator = 10 ** len(frac)
    if numerator % denominator:
        return None
    return numerator // denominator


def _comments(source: str):
    """(line, text after '#') for every comment token, so '#' inside strings is not a comment."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string[1:]
    except (tokenize.TokenError, SyntaxError):
        # Fall back to a line scan; Python itself will report the syntax error when it runs.
        for number, line in enumerate(source.splitlines(), 1):
            stripped = line.lstrip()
            if stripped.startswith("#"):
                yield number, stripped[1:]


def parse(path: str, source: str) -> Directives:
    """Collects the directives of one file; raises DirectiveError on a malformed one."""
    out = Directives()
    for line, body in _comments(source):
        text = body.lstrip(" ")
        if not text.startswith("tasklab:"):
            continue
        rest = text[len("tasklab:"):].lstrip(" ")
        name, _, args = rest.partition(" ")
        name = name.strip()

        def fail(message: str) -> None:
            raise DirectiveError(f"{path}:{line}: {message}")

        if name not in KNOWN:
            fail(f"unknown directive `{name}`")
        words = args.split()
        if name == "title":
            out.title = args.strip()
        elif name == "expect":
            out.expect.append(args)
        elif name == "expect-repeat":
            count, _, line_text = args.partition(" ")
            if not count.isdigit() or not 1 <= int(count) <= 1_000_000:
                fail("`expect-repeat` needs a count from 1 to 1000000, then the line")
            out.expect.extend([line_text] * int(count))
        elif name == "expect-error":
            out.expect_error = args.strip()
        elif name == "latency":
            if len(words) != 2:
                fail("`latency` needs an API name and a duration")
            if ".." in words[1]:
                fail("latency ranges need tasklab's seeded generator; the oracle takes a fixed duration only")
            ns = parse_duration(words[1])
            if ns is None:
                fail(f"invalid duration `{words[1]}`")
            out.latencies[words[0]] = ns
        elif name == "signal":
            if len(words) != 3 or words[1] != "at":
                fail("`signal` needs a signal name, `at` and a time")
            signum = getattr(signal, words[0], None)
            if not words[0].startswith("SIG") or not isinstance(signum, signal.Signals):
                fail(f"`{words[0]}` is not a signal name such as `SIGINT`")
            ns = parse_duration(words[2])
            if ns is None:
                fail(f"invalid duration `{words[2]}`")
            out.signals.append((int(signum), ns))
        elif name == "limit":
            if len(words) != 2 or words[0] not in ("steps", "time"):
                fail("`limit` needs `steps <n>` or `time <duration>`")
            if words[0] == "time":
                ns = parse_duration(words[1])
                if not ns:
                    fail(f"invalid duration `{words[1]}`")
                out.time_limit_ns = ns
    return out
