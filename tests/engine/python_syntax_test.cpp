// The Python syntax beyond the first subset, run through the whole pipeline: set displays
// and comprehensions, assignment expressions, chained assignment, comparison chains with
// computed operands, parameters with `/`, `*`, `*args` and `**kwargs`. Each program's expected
// lines are what CPython 3.11 prints for it.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {
using Lines = std::vector<std::string>;

struct Ran {
    Lines lines;
    RunStatus status;
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) r.lines.push_back(l.text);
    r.status = c.status();
    if (r.status.diagnostic) MESSAGE(render(*file, *r.status.diagnostic));
    return r;
}
}  // namespace

TEST_SUITE("python interpreter: newer syntax") {

TEST_CASE("set displays and set comprehensions compare, test membership and refuse unhashable members as CPython does") {
    const Ran r = run(R"py(eg = ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
kinds = {type(e) for e in eg.exceptions}
print(kinds == {ValueError, TypeError}, len(kinds), ValueError in kinds, KeyError in kinds)
print(sorted({3, 1, 2, 3}), {"a"}, {1} == {1.0}, {(1, 2), (1, 2)})
print(sorted({n % 3 for n in range(10) if n > 2}))
try:
    s = {[1], 2}
except TypeError as e:
    print("TypeError:", e)
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"True 2 True False", "[1, 2, 3] {'a'} True {(1, 2)}", "[0, 1, 2]", "TypeError: unhashable type: 'list'"});
}

TEST_CASE("an assignment expression binds where CPython binds it, also from inside a comprehension") {
    const Ran r = run(R"py(xs = [4, 7, 1, 9]
if (n := len(xs)) > 3:
    print("long", n)
big = [y for x in xs if (y := x * 10) > 50]
print(big, y)
def inner():
    found = [last := x for x in range(3)]
    return found, last
print(inner())
k = 0
while (k := k + 1) < 3:
    print("k", k)
print(max(m := 5, 2), m)
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"long 4", "[70, 90] 90", "([0, 1, 2], 2)", "k 1", "k 2", "5 5"});
}

TEST_CASE("a chained assignment evaluates the value once and assigns the targets from left to right") {
    const Ran r = run(R"py(a = b = []
a.append(1)
print(a, b, a is b)
xs = [0, 0, 0]
i, j = 0, 2
xs[i] = xs[j] = 5
print(xs)
class P:
    pass
p, q = P(), P()
p.a = q.b = "v"
print(p.a, q.b)
order = []
def t(name):
    order.append(name)
    return name
d = {}
d[t("first")] = d[t("second")] = t("value")
print(order, d)
x, y = z = 1, 2
print(x, y, z)
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"[1] [1] True", "[5, 0, 5]", "v v", "['value', 'first', 'second'] {'first': 'value', 'second': 'value'}", "1 2 (1, 2)"});
}

TEST_CASE("a comparison chain evaluates each operand once and stops at the first false link") {
    const Ran r = run(R"py(calls = []
def f(v):
    calls.append(v)
    return v
t0, t1 = 0, 10
print(t0 <= f(5) <= t1, calls)
calls.clear()
print(t0 <= f(50) <= t1 <= f(99), calls)
calls.clear()
print(f(3) > f(2) > f(1), calls)
print(1 < 2 < 3 < 4, 1 < 3 < 2)
x, y = None, 1
print(x is not None is not y, x is None is not y)
print(1 in [1] in [[1]], 2 in [1] in [[1]])
print(f(1) == f(1) != f(2))
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"True [5]", "False [50]", "True [3, 2, 1]", "True False", "False True", "True False", "True"});
}

TEST_CASE("keyword-only, positional-only, *args and **kwargs parameters bind and fail with CPython's messages") {
    const Ran r = run(R"py(def report(fn, *args, **kwargs):
    try:
        print(fn(*args, **kwargs))
    except TypeError as e:
        print("TypeError:", e)
def kw_only(a, *, b):
    return a, b
def rest(*args, sep="-"):
    return sep.join(args)
def options(name, **opts):
    return name, sorted(opts.items())
def pos_only(a, b=2, /, c=3):
    return a, b, c
report(kw_only, 1, b=2)
report(kw_only, 1)
report(kw_only, 1, 2)
report(kw_only, 1, b=2, c=3)
report(rest, "a", "b", sep="+")
report(rest)
report(options, "x", z=1, a=2)
report(pos_only, 1, c=4)
report(pos_only, a=1)
report(pos_only, 1, 2, 3, 4)
report(lambda *xs, **kw: (xs, kw), 1, k=2)
class Box:
    def put(self, item, *, at=0):
        return item, at
report(Box().put, "x", at=3)
report(Box().put, "x", 3)
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"(1, 2)", "TypeError: kw_only() missing 1 required keyword-only argument: 'b'", "TypeError: kw_only() takes 1 positional argument but 2 were given", "TypeError: kw_only() got an unexpected keyword argument 'c'", "a+b", "", "('x', [('a', 2), ('z', 1)])", "(1, 2, 4)", "TypeError: pos_only() got some positional-only arguments passed as keyword arguments: 'a'", "TypeError: pos_only() takes from 1 to 3 positional arguments but 4 were given", "((1,), {'k': 2})", "('x', 3)", "TypeError: Box.put() takes 2 positional arguments but 3 were given"});
}

TEST_CASE("an async comparison chain, set display and assignment expression await their operands once") {
    const Ran r = run(R"py(import asyncio

async def value(v):
    await asyncio.sleep(0.1)
    return v

async def main():
    print(1 <= await value(2) < await value(3), 1 < await value(0) < await value(5))
    print({await value(1), await value(1), await value(2)} == {1, 2})
    if (n := await value(4)) > 3:
        print("n", n)

asyncio.run(main())
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"True False", "True", "n 4"});
}

TEST_CASE("an assignment expression at module level inside a comprehension binds a global") {
    const Ran r = run("found = [w for w in ['a', 'bb'] if (longest := w)]\nprint(longest, found)\n");
    CHECK(r.lines == Lines{"bb ['a', 'bb']"});
}

TEST_CASE("bytes: literals, repr, indexing, slicing, concatenation, encode and decode with CPython's errors") {
    const Ran r = run(R"py(print(repr(b'a\'b'), repr(b'a"b'), repr(b'\'"'), repr(b'\x00\x7f\x80\t\n\r\\'))
try:
    b'\xff'.decode()
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
try:
    'é'.encode('ascii')
except UnicodeError as e:
    print(type(e).__name__, e)
for f in [lambda: b'a' + 'b', lambda: 'b' + b'a', lambda: 'a' in b'abc', lambda: 300 in b'abc', lambda: bytes('x'), lambda: bytes([256])]:
    try:
        f()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(bytes(3), bytes([65, 66]), bytes('hé', 'utf-8'), b'ab' * 2, b'abc'[1], b'abc'[-1:], b'ab'.hex(), list(b'ab'))
print(b'abc' == 'abc', b'' == b'', str(b'x'), f'{b"x"}', 'x'.encode() == b'x', b'caf\xc3\xa9'.decode('utf-8'))
print(len(b'abc'), b'ab' + b'cd', 98 in b'abc', b'bc' in b'abc', bool(b''), type(b'').__name__, isinstance(b'', bytes))
print({b'k': 1}[b'k'], {b'a', b'a'}, b'hello'.startswith(b'he'), rb'\x41', Rb'\n' == b'\\n', b'ab' b'cd')
print('caf\N{LATIN SMALL LETTER E WITH ACUTE} \N{EM DASH} \N{rightwards arrow}', '\N{HANGUL SYLLABLE HAN}'.encode())
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"b\"a'b\" b'a\"b' b'\\'\"' b'\\x00\\x7f\\x80\\t\\n\\r\\\\'", "UnicodeDecodeError 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte", "UnicodeEncodeError 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)", "TypeError can't concat str to bytes", "TypeError can only concatenate str (not \"bytes\") to str", "TypeError a bytes-like object is required, not 'str'", "ValueError byte must be in range(0, 256)", "TypeError string argument without an encoding", "ValueError bytes must be in range(0, 256)", "b'\\x00\\x00\\x00' b'AB' b'h\\xc3\\xa9' b'abab' 98 b'c' 6162 [97, 98]", "False True b'x' b'x' True café", "3 b'abcd' True True False bytes True", "1 {b'a'} True b'\\\\x41' True b'abcd'", "café — → b'\\xed\\x95\\x9c'"});
}

TEST_CASE("sys.exc_info() names the exception being handled; the loop and tasks keep attributes set on them") {
    const Ran r = run(R"py(import sys, asyncio
print(sys.exc_info())
try:
    raise KeyError("k")
except KeyError:
    t, v, tb = sys.exc_info()
    print(t, repr(v), t is type(v))
    try:
        raise ValueError("inner")
    except ValueError:
        print(sys.exc_info()[0].__name__)
    print(sys.exc_info()[1])
print(sys.exc_info())
async def worker():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("cancelled:", sys.exc_info()[0].__name__)
        raise
async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(sys.exc_info()[0] is asyncio.CancelledError)
    loop = asyncio.get_running_loop()
    print(loop.slow_callback_duration, loop.get_debug())
    loop.slow_callback_duration = 0.25
    loop.set_debug(True)
    print(loop.slow_callback_duration, loop.get_debug())
    t.tag = "worker"
    print(t.tag)
asyncio.run(main())
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"(None, None, None)", "<class 'KeyError'> KeyError('k') True", "ValueError", "'k'", "(None, None, None)", "cancelled: CancelledError", "True", "0.1 False", "0.25 True", "worker"});
}

TEST_CASE("star unpacking spreads displays and fills a starred target with a list, as CPython does") {
    const Ran r = run(R"py(xs = [1, 2, 3, 4, 5]
first, *rest = xs
print(first, rest)
*init, last = xs
print(init, last)
a, *mid, b = xs
print(a, mid, b)
a, *mid, b = [1, 2]
print(a, mid, b)
(p, *q), r = [1, 2, 3], 4
print(p, q, r)
for h, *t in [(1, 2, 3), (4,)]:
    print(h, t)
print([*xs, *"ab"], (*xs[:2], 0), {*xs[:2], 2})
*everything, = range(3)
print(everything)
try:
    a, *b, c = [1]
except ValueError as e:
    print(e)
print(sorted({*[3, 1], *(2,)}))
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"1 [2, 3, 4, 5]", "[1, 2, 3, 4] 5", "1 [2, 3, 4] 5", "1 [] 2", "1 [2, 3] 4", "1 [2, 3]", "4 []", "[1, 2, 3, 4, 5, 'a', 'b'] (1, 2, 0) {1, 2}", "[0, 1, 2]", "not enough values to unpack (expected at least 2, got 1)", "[1, 2, 3]"});
}

TEST_CASE("slices with a step follow CPython's index rules, backwards too") {
    const Ran r = run(R"py(xs = list(range(10))
print(xs[::2], xs[::-1], xs[1:8:3], xs[8:1:-2], xs[-1:-5:-1], xs[::-3], xs[100::-1], xs[:-100:-1], xs[5:5:1])
print("héllo"[::-1], (1, 2, 3)[::2], b"abcd"[::-1], xs[::9223372036854775807], xs[::-9223372036854775807])
try:
    xs[::0]
except ValueError as e:
    print(e)
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"[0, 2, 4, 6, 8] [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] [1, 4, 7] [8, 6, 4, 2] [9, 8, 7, 6] [9, 6, 3, 0] [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] []", "olléh (1, 3) b'dcba' [0] [9]", "slice step cannot be zero"});
}

TEST_CASE("a comprehension with several for clauses runs them as nested loops, left to right") {
    const Ran r = run(R"py(pairs = [(x, y) for x in range(3) for y in range(x) if (x + y) % 2]
print(pairs)
print(sorted({(a, b) for a in "ab" if a != "c" for b in "xy" if b == "y"}))
print({k: v for k, vs in {"a": [1, 2], "b": [3]}.items() for v in vs})
m = [[1, 2], [3], []]
print([v for row in m for v in row], sum(v for row in m for v in row))
print([(i, j, k) for i in range(2) for j in range(2) for k in range(i + j)])
)py");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"[(1, 0), (2, 1)]", "[('a', 'y'), ('b', 'y')]", "{'a': 2, 'b': 3}", "[1, 2, 3] 6", "[(0, 1, 0), (1, 0, 0), (1, 1, 0), (1, 1, 1)]"});
}

TEST_CASE("await and async for in list, set and dict comprehensions run as CPython's asynchronous comprehensions") {
    const Ran r = run(
        "import asyncio\n"
        "async def double(k):\n"
        "    await asyncio.sleep(0.5)\n"
        "    return 2 * k\n"
        "async def odd(k):\n"
        "    await asyncio.sleep(0)\n"
        "    return k % 2 == 1\n"
        "async def agen(n):\n"
        "    for i in range(n):\n"
        "        await asyncio.sleep(1)\n"
        "        yield i\n"
        "async def main():\n"
        "    q = asyncio.Queue()\n"
        "    for x in 'abc':\n"
        "        q.put_nowait(x)\n"
        "    print([await q.get() for _ in range(3)])\n"
        "    print({k: await double(k) for k in (2, 1)})\n"
        "    print({await double(k) for k in [1, 1, 2]} == {2, 4})\n"
        "    print([k for k in range(6) if await odd(k)])\n"
        "    print([(a, b) for a in range(2) for b in [a, await double(a)]])\n"
        "    print([i * i async for i in agen(4) if i])\n"
        "    print(k, asyncio.get_running_loop().time())\n"
        "    xs = [1]\n"
        "    try:\n"
        "        [x async for x in xs]\n"
        "    except TypeError as e:\n"
        "        print(e)\n"
        "k = 'module'\n"
        "asyncio.run(main())\n");
    CHECK(r.status.exit_code == 0);
    CHECK(r.lines == Lines{"['a', 'b', 'c']", "{2: 4, 1: 2}", "True", "[1, 3, 5]", "[(0, 0), (0, 0), (1, 1), (1, 2)]",
                           "[1, 4, 9]", "module 7.5", "'async for' requires an object with __aiter__ method, got list"});
}

}  // TEST_SUITE
