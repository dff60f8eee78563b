# not yet: `ExceptionGroup.split`/`subgroup` are refused ("`BaseException.split` is not supported by tasklab yet").
# test_taskgroups.py / except* (the split the TaskGroup tests rely on): ExceptionGroup.split and subgroup keep the nesting.
import asyncio


async def fail(exc):
    await asyncio.sleep(0.1)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail(ValueError(1)))
            g.create_task(fail(KeyError(2)))
    except ExceptionGroup as eg:
        match, rest = eg.split(ValueError)
        print(repr(match))
        print(repr(rest))
        print(repr(eg.subgroup(KeyError)))
        print(eg.subgroup(TypeError))


asyncio.run(main())
