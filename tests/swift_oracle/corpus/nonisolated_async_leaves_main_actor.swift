// Top-level code that awaits runs on the main actor. A nonisolated async function it calls
// runs off the main actor (SE-0338), so its blocking call leaves the main actor free; a
// synchronous function runs on the caller's actor and blocks it.
import Foundation

func blockingAsync() async {
    print("async function: blocking 0.5 s")
    usleep(500_000)
    print("async function: done")
}

func blockingSync() {
    print("sync function: blocking 0.5 s")
    usleep(500_000)
    print("sync function: done")
}

let first = Task {
    try? await Task.sleep(for: .milliseconds(200))
    print("main-actor task: ran at 0.2 s")
}
await blockingAsync()
await first.value

let second = Task {
    try? await Task.sleep(for: .milliseconds(200))
    print("main-actor task: waited for the main actor")
}
try await Task.sleep(for: .milliseconds(100))
blockingSync()
await second.value
print("main: done")

// tasklab: expect async function: blocking 0.5 s
// tasklab: expect main-actor task: ran at 0.2 s
// tasklab: expect async function: done
// tasklab: expect sync function: blocking 0.5 s
// tasklab: expect sync function: done
// tasklab: expect main-actor task: waited for the main actor
// tasklab: expect main: done
