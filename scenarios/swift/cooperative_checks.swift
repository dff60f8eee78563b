// tasklab: title Cooperative cancellation — who notices, and when
//
// A cancel only sets a flag. Four tasks are cancelled at 2.5 s: one polls Task.isCancelled
// between steps of work, one calls Task.checkCancellation() between them, one is inside a
// cancellable Task.sleep, and one is inside thread-blocking sleep(5). Only the sleeping one is
// woken at once; the pollers notice at their next check; the blocking one cannot notice while
// sleep(5) holds its thread: it sees the flag only when it checks after the block, at 5 s, with
// all its work already done.
//
// A step of work is `Task.sleep(1_000_000_000)`, the old sleep that takes bare nanoseconds:
// it ignores cancellation, like work that never checks, but it does not hold a thread. Only
// the blocker holds one: the real runtime's pool has about one thread per CPU core, and tasks
// that block more threads than the machine has make everything else wait for them.
import Foundation  // sleep()

// The tasks are created inside a nonisolated async function, as background code in an app
// would create them: created directly in top-level code that awaits, they would inherit the
// main actor and the blocking sleep would hold the main thread.
func demo() async throws {
    let poller = Task {
        for step in 1...5 {
            if Task.isCancelled {
                print("poller: saw isCancelled before step \(step), stopping")
                return
            }
            await Task.sleep(1_000_000_000)  // a step of work that ignores cancellation
        }
        print("poller: finished all steps")
    }

    let checker = Task {
        do {
            for _ in 1...5 {
                try Task.checkCancellation()
                await Task.sleep(1_000_000_000)
            }
            print("checker: finished all steps")
        } catch {
            print("checker: checkCancellation() threw \(error)")
        }
    }

    let sleeper = Task {
        do {
            try await Task.sleep(for: .seconds(5))
            print("sleeper: slept 5 s")
        } catch {
            // tasklab: note Task.sleep is a cancellable suspension point: it throws at the cancel instant.
            print("sleeper: woken at once by the cancel: \(error)")
        }
    }

    let blocker = Task {
        // tasklab: note sleep(5) blocks the thread: no check happens until it returns.
        sleep(5)
        // tasklab: note-at observed At 5 s the blocker checks Task.isCancelled: true since 2.5 s, but its work is already done.
        print("blocker: sleep(5) ran to the end, isCancelled = \(Task.isCancelled)")
    }

    try await Task.sleep(for: .milliseconds(2500))
    // tasklab: note Four cancels at 2.5 s. Each sets a flag; only the sleeping task is woken. At 3 s the poller and the checker both wake and see their flags: their two lines race, and either may print first in a real run.
    poller.cancel()
    checker.cancel()
    sleeper.cancel()
    blocker.cancel()
    try await Task.sleep(for: .seconds(5))
}

try await demo()

// tasklab: expect sleeper: woken at once by the cancel: CancellationError()
// tasklab: expect poller: saw isCancelled before step 4, stopping
// tasklab: expect checker: checkCancellation() threw CancellationError()
// tasklab: expect blocker: sleep(5) ran to the end, isCancelled = true
