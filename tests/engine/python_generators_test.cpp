// Generators, async generators and contextlib in the Python interpreter, driven through real
// Python source. Expected lines are what CPython 3.11 prints for the same program
// (tests/asyncio_oracle/run_oracle.py), asyncio times in virtual time.
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
    std::string diagnostic;
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
    if (r.status.state == RunState::runtime_error && r.status.diagnostic) r.diagnostic = render(*file, *r.status.diagnostic);
    INFO(r.diagnostic);
    return r;
}
}  // namespace

TEST_SUITE("python interpreter: generators") {

TEST_CASE("a generator runs lazily: list(), comprehensions, unpacking, sum and a for loop pull its values") {
    const Ran r = run(R"py(def count(n):
    i = 0
    while i < n:
        print("make", i)
        yield i
        i += 1

g = count(2)
print("nothing ran yet")
print(list(g))
print([x * 10 for x in count(3)])
a, b = count(2)
print(a, b, sum(count(4)), sorted(count(3), reverse=True))
for x in count(3):
    print("loop", x)
)py");
    CHECK(r.diagnostic.empty());
    CHECK(r.lines == Lines{"nothing ran yet", "make 0", "make 1", "[0, 1]", "make 0", "make 1", "make 2", "[0, 10, 20]", "make 0", "make 1",
                           "make 0", "make 1", "make 2", "make 3", "make 0", "make 1", "make 2", "0 1 6 [2, 1, 0]", "make 0", "loop 0",
                           "make 1", "loop 1", "make 2", "loop 2"});
}

TEST_CASE("an endless generator with break in the loop stops after the items it was asked for") {
    const Ran r = run(R"py(def naturals():
    n = 0
    try:
        while True:
            yield n
            n += 1
    finally:
        print("naturals closed at", n)

for n in naturals():
    if n == 3:
        break
    print(n)
print("after the loop")
)py");
    CHECK(r.lines == Lines{"0", "1", "2", "naturals closed at 3", "after the loop"});
}

TEST_CASE("next, send, the return value in StopIteration, and next with a default") {
    const Ran r = run(R"py(def echo():
    total = 0
    while total < 10:
        got = yield total
        print("got", got)
        total += got
    return "total " + str(total)

g = echo()
print(next(g), g.send(4), g.send(5))
try:
    g.send(3)
except StopIteration as e:
    print("stop", repr(e), e.value)
print(next(g, "default"))
try:
    echo().send(1)
except TypeError as e:
    print("TypeError:", e)
print(type(g).__name__, iter(g) is g)
it = iter([1, 2, 3])
print(next(it), list(it), next(it, "empty"))
)py");
    CHECK(r.lines == Lines{"got 4", "got 5", "0 4 9", "got 3", "stop StopIteration('total 12') total 12", "default",
                           "TypeError: can't send non-None value to a just-started generator", "generator True", "1 [2, 3] empty"});
}

TEST_CASE("yield from delegates values, sends and the return value of the inner generator") {
    const Ran r = run(R"py(def inner():
    x = yield 1
    print("inner got", x)
    yield 2
    return "inner result"

def outer():
    r = yield from inner()
    print("outer got", r)
    yield from [10, 20]

print(list(outer()))
o = outer()
print(next(o))
print(o.send("S"))
print(next(o))
)py");
    CHECK(r.lines == Lines{"inner got None", "outer got inner result", "[1, 2, 10, 20]", "1", "inner got S", "2", "outer got inner result",
                           "10"});
}

TEST_CASE("throw and close raise inside the generator at its yield; a generator that yields again is a RuntimeError") {
    const Ran r = run(R"py(def guarded():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("caught inside:", e)
        yield "recovered"
    finally:
        print("finally")

g = guarded()
next(g)
print(g.throw(ValueError("boom")))
g.close()
print("closed; close again:", g.close())
h = guarded()
next(h)
try:
    h.throw(KeyError("k"))
except KeyError as e:
    print("thrown back", repr(e))

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2

s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)

def raises_stop():
    raise StopIteration(5)
    yield

try:
    next(raises_stop())
except RuntimeError as e:
    print("RuntimeError:", e, repr(e.__cause__))
)py");
    CHECK(r.lines == Lines{"caught inside: boom", "recovered", "finally", "closed; close again: None", "finally",
                           "thrown back KeyError('k')", "RuntimeError: generator ignored GeneratorExit",
                           "RuntimeError: generator raised StopIteration StopIteration(5)"});
}

TEST_CASE("a generator that resumes itself is already executing, and a repr names it with an address") {
    const Ran r = run(R"py(def selfish():
    yield next(me)

me = selfish()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)
def g():
    yield
print(repr(g()).startswith("<generator object g at 0x"), repr(g()).endswith(">"))
)py");
    CHECK(r.lines == Lines{"ValueError: generator already executing", "True True"});
}

TEST_CASE("enumerate, zip, map and filter over a generator pull lazily, so endless generators work") {
    const Ran r = run(R"py(def naturals():
    n = 0
    while True:
        yield n
        n += 1

for i, n in enumerate(naturals(), 1):
    if i > 2:
        break
    print("enum", i, n)
for a, b in zip("xy", naturals()):
    print("zip", a, b)
evens = filter(lambda v: v % 2 == 0, naturals())
squares = map(lambda v: v * v, evens)
print(next(squares), next(squares), next(squares))
def f():
    xs = [i * 2 for i in (yield "ask")]
    yield xs
g = f()
print(next(g), g.send([1, 2]))
)py");
    CHECK(r.lines == Lines{"enum 1 0", "enum 2 1", "zip x 0", "zip y 1", "0 4 16", "ask [2, 4]"});
}

TEST_CASE("a class whose __iter__ is a generator, an endless one with break, an iterator class, and a @contextmanager method") {
    const Ran r = run(R"py(from contextlib import contextmanager


class Tree:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        for x in self.items:
            yield x

    @contextmanager
    def opened(self, label):
        print("open", label, len(self.items))
        yield self
        print("close", label)


class Forever:
    def __iter__(self):
        n = 0
        while True:
            yield n
            n += 1


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


t = Tree([3, 1, 2])
print(list(t), sorted(t), [x + 1 for x in t])
with t.opened("x") as same:
    print(same is t)
for n in Forever():
    if n > 2:
        break
    print("forever", n)
for k in Countdown(3):
    print("count", k)
print(list(Countdown(2)))
)py");
    CHECK(r.lines == Lines{"[3, 1, 2] [1, 2, 3] [4, 2, 3]", "open x 3", "True", "close x", "forever 0", "forever 1", "forever 2", "count 2", "count 1", "count 0", "[1, 0]"});
}

TEST_CASE("a suspended generator dropped by its last reference is closed: its finally runs before the next statement") {
    const Ran r = run(R"py(def guarded():
    try:
        yield 1
    finally:
        print("guarded finally")

g = guarded()
next(g)
g = None
print("after drop")
)py");
    CHECK(r.lines == Lines{"guarded finally", "after drop"});
}

TEST_CASE("a generator dropped when a loop breaks or a function returns from inside its loop is closed before the caller goes on") {
    const Ran r = run(R"py(def guarded(name):
    try:
        yield 1
        yield 2
    finally:
        print(name, "finally")


def first():
    for x in guarded("first"):
        return x


print("got", first())
for x in guarded("loop"):
    break
print("after loop")
g = guarded("rebound")
next(g)
g = guarded("second")
print("rebound")
next(g)
del_me = [guarded("in list")]
next(del_me[0])
del_me.clear()
print("cleared")
)py");
    CHECK(r.lines == Lines{"first finally", "got 1", "loop finally", "after loop", "rebound finally", "rebound", "in list finally", "cleared"});
}

}  // TEST_SUITE

TEST_SUITE("python interpreter: async generators") {

TEST_CASE("async for pulls from an async generator that awaits between items") {
    const Ran r = run(R"py(import asyncio

async def ticker(n):
    try:
        for i in range(n):
            await asyncio.sleep(0.5)
            yield i
    finally:
        print("ticker finally")

async def main():
    loop = asyncio.get_running_loop()
    async for i in ticker(3):
        print("tick", i, loop.time())
    ag = ticker(5)
    print(await ag.__anext__(), await anext(ag))
    await ag.aclose()
    print(await anext(ticker(0), "empty"))
    print(type(ag).__name__)

asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"tick 0 0.5", "tick 1 1.0", "tick 2 1.5", "ticker finally", "0 1", "ticker finally", "ticker finally", "empty",
                           "async_generator"});
}

TEST_CASE("asend and athrow resume an async generator with a value or an exception") {
    const Ran r = run(R"py(import asyncio

async def acc():
    total = 0
    while True:
        try:
            x = yield total
        except ValueError as e:
            print("reset on", e)
            total = 0
            continue
        await asyncio.sleep(0.1)
        total += x

async def main():
    a = acc()
    print(await a.asend(None))
    print(await a.asend(3))
    print(await a.asend(4))
    print(await a.athrow(ValueError("bad")))
    await a.aclose()
    try:
        await anext(a)
    except StopAsyncIteration as e:
        print("exhausted", repr(e))

asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"0", "3", "7", "reset on bad", "0", "exhausted StopAsyncIteration()"});
}

TEST_CASE("cancelling the consumer raises CancelledError inside the async generator at its await") {
    const Ran r = run(R"py(import asyncio

async def slow():
    try:
        yield 1
        await asyncio.sleep(10)
        yield 2
    finally:
        print("slow finally")
        await asyncio.sleep(0.5)
        print("slow cleanup done")

async def consume():
    async for x in slow():
        print("got", x)

async def main():
    t = asyncio.create_task(consume())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("consumer cancelled at", asyncio.get_running_loop().time())

asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"got 1", "slow finally", "slow cleanup done", "consumer cancelled at 1.5"});
}

TEST_CASE("a second __anext__ while one is in flight is refused, as CPython does") {
    const Ran r = run(R"py(import asyncio

async def ag():
    yield 1
    await asyncio.sleep(1)
    yield 2

async def main():
    a = ag()
    print(await a.__anext__())
    t = asyncio.ensure_future(a.__anext__())
    await asyncio.sleep(0)
    try:
        await a.__anext__()
    except RuntimeError as e:
        print(e)
    try:
        await a.aclose()
    except RuntimeError as e:
        print(e)
    print(await t)

asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"1", "anext(): asynchronous generator is already running", "aclose(): asynchronous generator is already running",
                           "2"});
}

TEST_CASE("a dropped async generator is aclosed in a new task, and asyncio.run acloses the ones left suspended") {
    const Ran r = run(R"py(import asyncio


async def agen(name):
    try:
        yield 1
        yield 2
    finally:
        print(name, "finally")
        await asyncio.sleep(0.1)
        print(name, "cleanup done")


async def main():
    kept = agen("kept")
    print(await anext(kept))
    dropped = agen("dropped")
    print(await anext(dropped))
    dropped = None
    print("dropped it")
    await asyncio.sleep(0)
    print("main after sleep(0)")
    await asyncio.sleep(1)
    print("main ends")


asyncio.run(main())
print("after run")
)py");
    CHECK(r.lines == Lines{"1", "1", "dropped it", "main after sleep(0)", "dropped finally", "dropped cleanup done", "main ends", "kept finally", "after run"});
}

TEST_CASE("loop.shutdown_asyncgens at the end of asyncio.run lets a cleanup await") {
    const Ran r = run(R"py(import asyncio


async def agen(name):
    try:
        yield 1
        yield 2
    finally:
        print(name, "finally")
        await asyncio.sleep(0.1)
        print(name, "cleanup done")


def sgen():
    try:
        yield 1
    finally:
        print("sync finally")


holder = []


async def main():
    g = agen("global")
    holder.append(g)
    print(await anext(g))
    print("main ends")


s = sgen()
next(s)
asyncio.run(main())
print("after run")
)py");
    CHECK(r.lines == Lines{"1", "main ends", "global finally", "global cleanup done", "after run"});
}

TEST_CASE("athrow with an await in the handler, into a generator that swallows it, yielding a tuple; aclose twice and after exhaustion; cancelled waiters finalize") {
    const Ran r = run(R"py(import asyncio


class Oops(Exception):
    pass


async def stages(log):
    try:
        await asyncio.sleep(0.01)
        try:
            got = yield "first"
        except Oops:
            log.append("Oops inside")
            await asyncio.sleep(0.02)
            got = "default"
        yield got + "!"
        await asyncio.sleep(0.01)
    finally:
        await asyncio.sleep(0.01)
        log.append("stages finally")


async def swallow_all():
    try:
        yield
    except BaseException:
        pass
    print("swallow_all: after the except")


async def pair():
    try:
        yield 1
    except ZeroDivisionError:
        yield (2, "tuple")


async def waiter(delay, log):
    try:
        await asyncio.sleep(delay)
        yield 1
    finally:
        await asyncio.sleep(0)
        log.append("waiter finalized")


async def two():
    yield 1
    yield 2


async def main():
    log = []
    g = stages(log)
    print(await g.asend(None))
    print(await g.athrow(Oops))
    try:
        await g.asend(None)
    except StopAsyncIteration:
        print("stages done:", log)
    s = swallow_all()
    await s.asend(None)
    try:
        await s.athrow(ValueError)
    except StopAsyncIteration:
        print("athrow into a swallowing generator: StopAsyncIteration")
    p = pair()
    print(await p.asend(None), await p.athrow(ZeroDivisionError))
    try:
        await p.asend(None)
    except StopAsyncIteration:
        print("pair exhausted")
    wlog = []

    async def wait():
        async for _ in waiter(1, wlog):
            pass

    t1 = asyncio.create_task(wait())
    t2 = asyncio.create_task(wait())
    await asyncio.sleep(0.1)
    t1.cancel()
    t2.cancel()
    for t in (t1, t2):
        try:
            await t
        except asyncio.CancelledError:
            pass
    print("waiters:", wlog)
    it = two()
    await it.aclose()
    await it.aclose()
    it2 = two()
    async for x in it2:
        print("two", x)
    await it2.aclose()
    async for x in two():
        break
    print("main done")


asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"first", "default!", "stages done: ['Oops inside', 'stages finally']", "swallow_all: after the except", "athrow into a swallowing generator: StopAsyncIteration", "1 (2, 'tuple')", "pair exhausted", "waiters: ['waiter finalized', 'waiter finalized']", "two 1", "two 2", "main done"});
}

}  // TEST_SUITE

TEST_SUITE("python interpreter: contextlib") {

TEST_CASE("contextmanager: the yield is the with body; an exception is thrown in there, and not re-raising suppresses it") {
    const Ran r = run(R"py(from contextlib import contextmanager

@contextmanager
def tag(name):
    print("enter", name)
    try:
        yield name.upper()
    except KeyError as e:
        print("swallowed", repr(e))
    finally:
        print("exit", name)

with tag("a") as v:
    print("body", v)
with tag("b"):
    raise KeyError("k")
try:
    with tag("c"):
        raise ValueError("v")
except ValueError as e:
    print("propagated", e)

@contextmanager
def no_yield():
    if False:
        yield

try:
    with no_yield():
        pass
except RuntimeError as e:
    print("RuntimeError:", e)
)py");
    CHECK(r.lines == Lines{"enter a", "body A", "exit a", "enter b", "swallowed KeyError('k')", "exit b", "enter c", "exit c", "propagated v",
                           "RuntimeError: generator didn't yield"});
}

TEST_CASE("suppress, closing, nullcontext and ExitStack unwinding last in first out") {
    const Ran r = run(R"py(from contextlib import contextmanager, suppress, ExitStack, closing, nullcontext

@contextmanager
def tag(name):
    print("enter", name)
    yield
    print("exit", name)

with suppress(ZeroDivisionError, KeyError):
    1 / 0
print("suppressed")
class Thing:
    def close(self):
        print("Thing.close")
with closing(Thing()) as t:
    print(type(t).__name__)
with nullcontext(5) as five:
    print(five)
with ExitStack() as stack:
    stack.callback(print, "callback 1")
    stack.enter_context(tag("s"))
    stack.callback(print, "callback 2")
    print("in stack")
def suppressor(typ, val, tb):
    print("suppressor saw", typ.__name__)
    return True
with ExitStack() as stack:
    stack.push(suppressor)
    stack.callback(print, "runs first")
    raise ValueError("x")
print("ExitStack suppressed it")
)py");
    CHECK(r.lines == Lines{"suppressed", "Thing", "Thing.close", "5", "enter s", "in stack", "callback 2", "exit s", "callback 1", "runs first",
                           "suppressor saw ValueError", "ExitStack suppressed it"});
}

TEST_CASE("asynccontextmanager and AsyncExitStack clean up in reverse order, awaiting in the cleanup, also under cancel") {
    const Ran r = run(R"py(import asyncio
from contextlib import asynccontextmanager, AsyncExitStack, aclosing

@asynccontextmanager
async def resource(name):
    print("open", name)
    try:
        yield name
    except asyncio.CancelledError:
        print(name, "sees CancelledError")
        raise
    finally:
        await asyncio.sleep(0.1)
        print("close", name)

async def ticks():
    try:
        for i in range(5):
            yield i
    finally:
        print("ticks closed")

async def job():
    async with resource("outer"):
        async with resource("inner"):
            await asyncio.sleep(10)

async def main():
    async with AsyncExitStack() as stack:
        r1 = await stack.enter_async_context(resource("r1"))
        async def later(x):
            print("async callback", x)
        stack.push_async_callback(later, r1)
        await stack.enter_async_context(resource("r2"))
    async with aclosing(ticks()) as t:
        async for i in t:
            print("tick", i)
            break
    task = asyncio.create_task(job())
    await asyncio.sleep(1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("job cancelled at", asyncio.get_running_loop().time())

asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"open r1", "open r2", "close r2", "async callback r1", "close r1", "tick 0", "ticks closed", "open outer",
                           "open inner", "inner sees CancelledError", "close inner", "outer sees CancelledError", "close outer",
                           "job cancelled at 1.4"});
}

TEST_CASE("contextmanager converting an exception, ExitStack chaining a failing exit to the body's error, pop_all, and early aclose/athrow") {
    const Ran r = run(R"py(import asyncio
from contextlib import asynccontextmanager, contextmanager, ExitStack, AsyncExitStack, suppress


@contextmanager
def converting():
    try:
        yield
    except KeyError as e:
        raise ValueError("converted") from e


@contextmanager
def reraising():
    try:
        yield "r"
    except Exception:
        print("reraising sees it")
        raise


try:
    with converting():
        raise KeyError("k")
except ValueError as e:
    print("got", repr(e), "cause", repr(e.__cause__))
try:
    with reraising() as r:
        raise IndexError(r)
except IndexError as e:
    print("original came out:", repr(e))


def failing_exit():
    raise RuntimeError("exit failed")


try:
    with ExitStack() as st:
        st.callback(print, "outer callback still runs")
        st.push(lambda t, v, tb: print("pushed exit sees", t.__name__ if t else None))
        st.callback(failing_exit)
        raise KeyError("body")
except RuntimeError as e:
    print("from the stack:", repr(e), "context:", repr(e.__context__))

with ExitStack() as st:
    st.callback(print, "moved")
    moved = st.pop_all()
print("after first stack")
moved.close()


@asynccontextmanager
async def timed(name):
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        yield
    finally:
        print(name, "took", round(loop.time() - start, 3))


async def agen():
    yield 1


async def main():
    async with timed("block"):
        await asyncio.sleep(0.25)
    g = agen()
    await g.aclose()
    try:
        await anext(g)
    except StopAsyncIteration:
        print("closed before start: exhausted")
    g2 = agen()
    try:
        await g2.athrow(ValueError("early"))
    except ValueError as e:
        print("athrow before start raises", repr(e))
    async with AsyncExitStack() as st:
        async def boom():
            raise KeyError("cb")
        st.push_async_callback(boom)
        st.callback(print, "sync callback first")
        with suppress(KeyError):
            pass
    print("unreachable?")


try:
    asyncio.run(main())
except KeyError as e:
    print("main raised", repr(e))
)py");
    CHECK(r.lines == Lines{"got ValueError('converted') cause KeyError('k')", "reraising sees it", "original came out: IndexError('r')", "pushed exit sees RuntimeError", "outer callback still runs", "from the stack: RuntimeError('exit failed') context: KeyError('body')", "after first stack", "moved", "block took 0.25", "closed before start: exhausted", "athrow before start raises ValueError('early')", "sync callback first", "main raised KeyError('cb')"});
}

TEST_CASE("a manager that yields twice, a plain manager in async with, a replaced exception, and the protocol errors of the exit stacks") {
    const Ran r = run(R"py(import asyncio
from contextlib import asynccontextmanager, contextmanager, ExitStack, AsyncExitStack


@contextmanager
def twice():
    yield 1
    yield 2


@contextmanager
def plain():
    yield


@asynccontextmanager
async def atwice():
    yield 1
    yield 2


@asynccontextmanager
async def replacing():
    try:
        yield
    except ZeroDivisionError:
        raise KeyError("replaced")


@asynccontextmanager
async def swallowing():
    try:
        yield "s"
    except Exception as e:
        print("swallowing", type(e).__name__)


async def main():
    try:
        with twice():
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        async with atwice():
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        with plain():
            raise StopIteration("inside")
    except StopIteration as e:
        print("StopIteration passes through:", e)
    try:
        async with plain():
            pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        async with replacing():
            1 / 0
    except KeyError as e:
        print("replaced:", repr(e), "context:", type(e.__context__).__name__)
    async with swallowing() as s:
        raise ValueError(s)
    print("after swallowing")
    try:
        with ExitStack() as st:
            st.enter_context(42)
    except TypeError as e:
        print("TypeError:", e)
    try:
        async with AsyncExitStack() as st:
            await st.enter_async_context(plain())
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"RuntimeError: generator didn't stop", "RuntimeError: generator didn't stop", "StopIteration passes through: inside", "TypeError: '_GeneratorContextManager' object does not support the asynchronous context manager protocol", "replaced: KeyError('replaced') context: ZeroDivisionError", "swallowing ValueError", "after swallowing", "TypeError: 'builtins.int' object does not support the context manager protocol", "TypeError: 'contextlib._GeneratorContextManager' object does not support the asynchronous context manager protocol"});
}

}  // TEST_SUITE
