// libdispatch: a work item cancelled before its queue reaches it never runs its body.
import Foundation

let queue = DispatchQueue(label: "serial")
queue.async {
    print("first: start")
    Thread.sleep(forTimeInterval: 0.5)
    print("first: end")
}
let second = DispatchWorkItem { print("second: body") }
queue.async(execute: second)
Thread.sleep(forTimeInterval: 0.2)
second.cancel()
print("cancelled second: \(second.isCancelled)")
Thread.sleep(forTimeInterval: 0.6)
print("main: done")
