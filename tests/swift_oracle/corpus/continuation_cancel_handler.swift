// A cancel does not resume a continuation; withTaskCancellationHandler around it can.
import Foundation

final class Pending: @unchecked Sendable {
    var continuation: CheckedContinuation<String, Never>?
}

let pending = Pending()
let lock = NSLock()

let waiter = Task {
    let answer = await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            lock.withLock { pending.continuation = continuation }
            print("waiter: suspended")
        }
    } onCancel: {
        print("onCancel: resuming the continuation")
        lock.withLock {
            pending.continuation?.resume(returning: "cancelled")
            pending.continuation = nil
        }
    }
    print("waiter got \(answer), isCancelled = \(Task.isCancelled)")
}
try await Task.sleep(for: .milliseconds(300))
print("main: cancel")
waiter.cancel()
await waiter.value
print("main: done")
