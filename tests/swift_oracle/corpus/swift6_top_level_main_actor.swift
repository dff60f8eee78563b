// tasklab: swift-version 6
// In Swift 6 mode top-level code runs on the main actor even when it never awaits. Tasks it
// makes inherit the main actor, and the main thread is blocked until the program ends: they
// never run.
import Foundation

let task = Task {
    print("never printed")
}
print("main: blocking the main thread")
sleep(1)
print("main: done")

// tasklab: expect main: blocking the main thread
// tasklab: expect main: done
