// An actor runs one caller at a time: three tasks call a method that blocks its thread, and
// each waits until the one before it has left the actor.
import Foundation

actor Counter {
    var value = 0
    func slowIncrement(_ who: String) {
        print("\(who): in")
        usleep(300_000)
        value += 1
        print("\(who): out, value = \(value)")
    }
}

let counter = Counter()
let first = Task.detached { await counter.slowIncrement("first") }
try await Task.sleep(for: .milliseconds(100))
let second = Task.detached { await counter.slowIncrement("second") }
try await Task.sleep(for: .milliseconds(100))
let third = Task.detached { await counter.slowIncrement("third") }
await first.value
await second.value
await third.value
print("value: \(await counter.value)")

// tasklab: expect first: in
// tasklab: expect first: out, value = 1
// tasklab: expect second: in
// tasklab: expect second: out, value = 2
// tasklab: expect third: in
// tasklab: expect third: out, value = 3
// tasklab: expect value: 3
