// AsyncStream: a producer yields, finish() ends the consumer's loop; onTermination runs in finish().
import Foundation

let numbers = AsyncStream<Int> { continuation in
    continuation.onTermination = { reason in
        print("onTermination: \(reason)")
    }
    Task {
        for n in 1...3 {
            try? await Task.sleep(for: .milliseconds(150))
            print("yield \(n)")
            continuation.yield(n)
        }
        print("finish")
        continuation.finish()
        print("after finish: \(continuation.yield(4))")
    }
}

var total = 0
for await n in numbers {
    print("got \(n)")
    total += n
}
print("total \(total)")
