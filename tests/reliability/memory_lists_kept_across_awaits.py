# Each step keeps another million-element list; the step budget never trips because the task
# awaits between them, so only the memory limit ends it.
# tasklab: limit memory 256MB
import asyncio

async def main():
    keep = []
    while True:
        keep.append([0] * 1_000_000)
        await asyncio.sleep(0)

asyncio.run(main())
