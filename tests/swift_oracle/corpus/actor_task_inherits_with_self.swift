// A Task {} made in an actor method runs on the actor only when its closure uses the actor
// (self or a member): without it, it runs beside the actor's other callers.
import Foundation

actor Store {
    var items = 0
    func add(_ who: String) {
        items += 1
        print("\(who): added, items = \(items)")
    }
    func startWithoutSelf() {
        Task {
            print("without self: blocking")
            usleep(400_000)
            print("without self: done")
        }
    }
    func startWithSelf() {
        Task {
            print("with self: blocking")
            usleep(400_000)
            items += 10
            print("with self: done, items = \(items)")
        }
    }
}

let store = Store()
await store.startWithoutSelf()
try await Task.sleep(for: .milliseconds(150))
await store.add("main at 0.15 s")
try await Task.sleep(for: .milliseconds(450))
await store.startWithSelf()
try await Task.sleep(for: .milliseconds(150))
await store.add("main after the task")
try await Task.sleep(for: .milliseconds(300))
print("main: done")

// tasklab: expect without self: blocking
// tasklab: expect main at 0.15 s: added, items = 1
// tasklab: expect without self: done
// tasklab: expect with self: blocking
// tasklab: expect with self: done, items = 11
// tasklab: expect main after the task: added, items = 12
// tasklab: expect main: done
