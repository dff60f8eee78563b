// Mutex and NSLock guard shared state across tasks.
import Foundation
import Synchronization

final class Counter: Sendable {
    let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

let counter = Counter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<5 {
        group.addTask { _ = counter.increment() }
    }
}
print("counter: \(counter.value.withLock { $0 })")

let lock = NSLock()
var log: [String] = []
let writers = (1...3).map { n in
    Task {
        try? await Task.sleep(for: .milliseconds(100 * n))
        lock.lock()
        log.append("writer \(n)")
        lock.unlock()
    }
}
for w in writers { await w.value }
print(lock.withLock { log })
print(lock.try())
lock.unlock()
