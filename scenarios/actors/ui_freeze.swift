// tasklab: title The UI freeze — a blocking call inside a main-actor Task {}
//
// "Why did my UI freeze?" Top-level code that awaits runs on the main actor, and a Task {}
// created there inherits it: the task is main-actor code, however far from the UI it looks.
// A blocking call inside it (sleep, a synchronous download, a long loop) holds the main
// thread, and everything else that needs the main actor waits until it returns.

import Foundation  // usleep()

// tasklab: note The ticker stands for the UI: it wants the main actor every 0.2 s to redraw.
let ticker = Task {
    for tick in 1...5 {
        try? await Task.sleep(for: .milliseconds(200))
        print("UI tick \(tick)")
    }
}

// tasklab: note Task {} in main-actor code inherits the main actor: this export runs on the main thread.
let export = Task {
    print("export: start")
    // tasklab: note usleep blocks the thread and keeps the main actor for 0.9 s: the ticker's wake-up at 0.2 s waits in the actor's queue.
    usleep(900_000)
    print("export: done")
}

await ticker.value
await export.value

// tasklab: note The fix: Task.detached does not inherit the main actor, so the blocking work holds a pool thread instead.
let ticker2 = Task {
    for tick in 1...5 {
        try? await Task.sleep(for: .milliseconds(200))
        print("UI tick \(tick)")
    }
}

let export2 = Task.detached {
    print("detached export: start")
    usleep(900_000)
    print("detached export: done")
}

await ticker2.value
await export2.value
print("all done")

// tasklab: expect export: start
// tasklab: expect export: done
// tasklab: expect UI tick 1
// tasklab: expect UI tick 2
// tasklab: expect UI tick 3
// tasklab: expect UI tick 4
// tasklab: expect UI tick 5
// tasklab: expect detached export: start
// tasklab: expect UI tick 1
// tasklab: expect UI tick 2
// tasklab: expect UI tick 3
// tasklab: expect UI tick 4
// tasklab: expect detached export: done
// tasklab: expect UI tick 5
// tasklab: expect all done
