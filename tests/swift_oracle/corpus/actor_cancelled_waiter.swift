// Cancelling a task that waits for a busy actor does not cut the wait short: it gets the
// actor when the holder lets go, and runs the method with its cancelled flag set.
import Foundation

actor Printer {
    func busy() {
        print("busy: start")
        usleep(500_000)
        print("busy: end")
    }
    func job() {
        print("job: runs, isCancelled = \(Task.isCancelled)")
    }
    nonisolated func status() -> String { "status needs no actor" }
}

let printer = Printer()
let holder = Task.detached { await printer.busy() }
try await Task.sleep(for: .milliseconds(100))
let waiter = Task.detached {
    print("waiter: calling job()")
    await printer.job()
    print("waiter: back, isCancelled = \(Task.isCancelled)")
}
try await Task.sleep(for: .milliseconds(100))
print(printer.status())
waiter.cancel()
print("main: cancelled the waiter")
await waiter.value
await holder.value

// tasklab: expect busy: start
// tasklab: expect waiter: calling job()
// tasklab: expect status needs no actor
// tasklab: expect main: cancelled the waiter
// tasklab: expect busy: end
// tasklab: expect job: runs, isCancelled = true
// tasklab: expect waiter: back, isCancelled = true
