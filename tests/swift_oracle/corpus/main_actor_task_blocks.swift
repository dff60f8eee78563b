// Top-level code that awaits runs on the main actor, and Task {} created there inherits it:
// two such tasks that block take turns on the main thread.
import Foundation

let a = Task {
    print("a: start")
    Thread.sleep(forTimeInterval: 0.5)
    print("a: end")
}
let b = Task {
    print("b: start")
    Thread.sleep(forTimeInterval: 0.5)
    print("b: end")
}
await a.value
await b.value
print("main: done")
