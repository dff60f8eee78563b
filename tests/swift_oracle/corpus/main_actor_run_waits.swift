// MainActor.run hops to the main actor: a detached task waits there while the top-level code
// (on the main actor) blocks its thread.
import Foundation

let worker = Task.detached {
    print("worker: computing off the main actor")
    try? await Task.sleep(for: .milliseconds(200))
    print("worker: asking the main actor")
    await MainActor.run {
        print("worker: on the main actor")
    }
    print("worker: back")
}
try await Task.sleep(for: .milliseconds(100))
print("main: blocking the main actor for 0.5 s")
usleep(500_000)
print("main: unblocked")
await worker.value
print("main: done")

// tasklab: expect worker: computing off the main actor
// tasklab: expect main: blocking the main actor for 0.5 s
// tasklab: expect worker: asking the main actor
// tasklab: expect main: unblocked
// tasklab: expect worker: on the main actor
// tasklab: expect worker: back
// tasklab: expect main: done
