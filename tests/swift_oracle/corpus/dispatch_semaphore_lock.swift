// DispatchSemaphore(value: 1) as a lock around a slow section: a wait(timeout:) that gives up,
// then a wait() that blocks until the worker holding it signals; signal() returns non-zero
// when it woke a waiting thread. One waiter at a time: GCD does not promise which of several
// waiters a signal wakes.
import Foundation

let semaphore = DispatchSemaphore(value: 1)
let queue = DispatchQueue.global()
queue.async {
    semaphore.wait()
    print("worker A: in")
    Thread.sleep(forTimeInterval: 0.4)
    print("worker A: out")
    semaphore.signal()
}
Thread.sleep(forTimeInterval: 0.1)
queue.async {
    semaphore.wait()
    print("worker B: in")
    Thread.sleep(forTimeInterval: 0.3)
    let woke = semaphore.signal()
    print("worker B: out, woke a waiter: \(woke != 0)")
}
Thread.sleep(forTimeInterval: 0.1)
let result = semaphore.wait(timeout: .now() + 0.1)
print("main: first try \(result == .timedOut ? "timed out" : "succeeded")")
Thread.sleep(forTimeInterval: 0.2)
semaphore.wait()
print("main: in")
let woke = semaphore.signal()
print("main: out, woke a waiter: \(woke != 0)")
Thread.sleep(forTimeInterval: 0.2)  // worker B prints after its signal: let it finish
print("main: end")
