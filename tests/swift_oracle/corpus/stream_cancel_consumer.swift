// Cancelling the consuming task: onTermination(.cancelled) runs inside cancel(), the waiting
// next() returns nil and the loop ends; later yields report .terminated.
import Foundation

let (ticks, continuation) = AsyncStream.makeStream(of: Int.self)
continuation.onTermination = { reason in
    print("onTermination: \(reason)")
}

let consumer = Task {
    for await t in ticks {
        print("tick \(t)")
    }
    print("loop ended, isCancelled = \(Task.isCancelled)")
}

for t in 1...2 {
    try await Task.sleep(for: .milliseconds(200))
    continuation.yield(t)
}
try await Task.sleep(for: .milliseconds(200))
print("main: cancel")
consumer.cancel()
print("main: cancel returned")
await consumer.value
print("yield after cancel: \(continuation.yield(3))")
