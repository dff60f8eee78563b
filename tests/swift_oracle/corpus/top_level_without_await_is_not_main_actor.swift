// In Swift 5 mode top-level code that never awaits is not on the main actor: the tasks it
// makes run on the pool while the main thread blocks.
import Foundation

let worker = Task {
    print("worker: start")
    usleep(500_000)
    print("worker: end")
}
let other = Task {
    try? await Task.sleep(for: .milliseconds(200))
    print("other: ran while the main thread slept")
}
print("main: sleeping")
sleep(1)
print("main: done")

// tasklab: expect main: sleeping
// tasklab: expect worker: start
// tasklab: expect other: ran while the main thread slept
// tasklab: expect worker: end
// tasklab: expect main: done
