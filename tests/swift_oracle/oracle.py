"""The Swift oracle's shared code: find `swiftc`, build a scenario with its stand-ins, run it.

A bundled `.swift` scenario is compiled unchanged, as `main.swift`, together with the stand-ins
it needs from standins/ (declarations of the module shadow Foundation's): `url_session.swift`
when it calls URLSession, `ui_image.swift` when it uses UIImage without declaring it, and a
generated `tasklab_latency.swift` holding the scenario's `// tasklab: latency URLSession.data`.
`// tasklab: swift-version N` picks the language mode (`-swift-version N`); without it, swiftc's
default. Binaries are cached by a hash of the compiler's version, the flags and every source,
so a rerun only compiles what changed.

The compiler is $TASKLAB_SWIFTC if set, else `swiftc` on PATH.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STANDINS = os.path.join(HERE, "standins")
DEFAULT_LATENCY_NS = 1_000_000_000  # tasklab's default for URLSession.data
COMPILE_TIMEOUT_S = 600

_UNITS = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ns|us|ms|s|m)$")


class OracleError(Exception):
    """A scenario the oracle cannot build or run; the message says why."""


def parse_duration(text: str) -> int | None:
    m = _DURATION.match(text)
    if not m:
        return None
    return round(float(m.group(1)) * _UNITS[m.group(2)])


@dataclass
class Directives:
    latency_ns: tuple[int, int] = (DEFAULT_LATENCY_NS, DEFAULT_LATENCY_NS)
    swift_version: str | None = None
    problems: list[str] = field(default_factory=list)


def read_directives(path: str, source: str) -> Directives:
    """The `// tasklab:` directives the real build needs: URLSession.data's latency, swift-version."""
    found = Directives()
    for number, line in enumerate(source.splitlines(), 1):
        m = re.match(r"\s*//\s*tasklab:\s*(\S+)\s*(.*)$", line)
        if not m:
            continue
        name, args = m.group(1), m.group(2).split()
        if name == "latency" and len(args) == 2 and args[0] == "URLSession.data":
            ends = args[1].split("..")
            values = [parse_duration(e) for e in ends]
            if len(values) not in (1, 2) or any(v is None for v in values):
                found.problems.append(f"{path}:{number}: invalid latency `{args[1]}`")
                continue
            found.latency_ns = (values[0], values[-1])
        elif name == "swift-version":
            if len(args) != 1 or not re.fullmatch(r"\d+(\.\d+)?", args[0]):
                found.problems.append(f"{path}:{number}: `swift-version` needs a language mode such as 6")
                continue
            found.swift_version = args[0]
    return found


def find_swiftc() -> str | None:
    """$TASKLAB_SWIFTC, else `swiftc` on PATH, else None."""
    explicit = os.environ.get("TASKLAB_SWIFTC")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("swiftc")


def swift_required() -> bool:
    return os.environ.get("TASKLAB_REQUIRE_SWIFT", "") not in ("", "0")


_identity_cache: dict[str, str] = {}


def swiftc_identity(swiftc: str) -> str:
    """`swiftc --version`: part of the cache key, so a new toolchain rebuilds everything."""
    if swiftc not in _identity_cache:
        out = subprocess.run([swiftc, "--version"], capture_output=True, text=True, timeout=60)
        _identity_cache[swiftc] = out.stdout + out.stderr
    return _identity_cache[swiftc]


def _declares(source: str, name: str) -> bool:
    return re.search(rf"\b(struct|class|enum|actor|typealias)\s+{name}\b", source) is not None


def sources_for(path: str) -> tuple[dict[str, bytes], list[str]]:
    """The files of the real build ({name: content}) and the swiftc flags for the scenario."""
    with open(path, "rb") as f:
        main = f.read()
    text = main.decode("utf-8", errors="replace")
    found = read_directives(path, text)
    if found.problems:
        raise OracleError("; ".join(found.problems))
    files = {"main.swift": main}
    if re.search(r"\bURLSession\b", text) and not _declares(text, "URLSession"):
        with open(os.path.join(STANDINS, "url_session.swift"), "rb") as f:
            files["url_session.swift"] = f.read()
        lo, hi = found.latency_ns
        files["tasklab_latency.swift"] = (
            "// Written by the Swift oracle from the scenario's `// tasklab: latency URLSession.data`.\n"
            f"let tasklabLatencyNanoseconds: ClosedRange<UInt64> = {lo}...{hi}\n"
        ).encode()
    if re.search(r"\bUIImage\b", text) and not _declares(text, "UIImage"):
        with open(os.path.join(STANDINS, "ui_image.swift"), "rb") as f:
            files["ui_image.swift"] = f.read()
    # The module is `main`, as tasklab names it (`main.Counter`, `#fileID` is "main/main.swift").
    flags = ["-Onone", "-module-name", "main"]
    if re.search(r"^\s*@main\b", text, re.MULTILINE):
        flags.append("-parse-as-library")  # an `@main` type is the entry point: no top-level code
    if found.swift_version:
        flags += ["-swift-version", found.swift_version]
    return files, flags


def default_cache_dir() -> str:
    return os.environ.get("TASKLAB_SWIFT_ORACLE_CACHE") or os.path.join(REPO, "build", "swift_oracle_cache")


def build(path: str, swiftc: str, cache_dir: str | None = None) -> str:
    """Compiles the scenario (or finds it in the cache); returns the binary's path."""
    files, flags = sources_for(path)
    key = hashlib.sha256()
    key.update(swiftc_identity(swiftc).encode())
    key.update("\0".join(flags).encode() + b"\0")
    for name in sorted(files):
        key.update(name.encode() + b"\0" + files[name] + b"\0")
    cache_dir = cache_dir or default_cache_dir()
    os.makedirs(cache_dir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(path))[0]
    binary = os.path.join(cache_dir, f"{stem}-{key.hexdigest()[:16]}")
    if os.access(binary, os.X_OK):
        return binary
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=f".{stem}-") as work:
        for name, content in files.items():
            with open(os.path.join(work, name), "wb") as f:
                f.write(content)
        out = os.path.join(work, "program")
        # main.swift first, so compiler messages point at the scenario's own lines.
        names = ["main.swift"] + sorted(n for n in files if n != "main.swift")
        try:
            done = subprocess.run([swiftc, *flags, *names, "-o", out], cwd=work, capture_output=True,
                                  text=True, timeout=COMPILE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise OracleError(f"swiftc took more than {COMPILE_TIMEOUT_S} s") from None
        if done.returncode != 0:
            message = (done.stdout + done.stderr).replace(os.path.join(work, "main.swift"), path)
            message = message.replace("main.swift:", f"{path}:")
            raise OracleError(f"swiftc refused {path}:\n{message.rstrip()}")
        os.replace(out, binary)  # atomic: parallel tests never see half a binary
    return binary


def run(binary: str, timeout_s: float) -> subprocess.CompletedProcess:
    """Runs a built scenario; stdout line-buffered (stdbuf) so a killed run keeps its lines."""
    argv = [binary]
    stdbuf = shutil.which("stdbuf")
    if stdbuf:
        argv = [stdbuf, "-oL", binary]
    try:
        return subprocess.run(argv, capture_output=True, timeout=timeout_s)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(argv, -1, e.stdout or b"",
                                           (e.stderr or b"") + f"\ntimed out after {timeout_s:g} s".encode())
