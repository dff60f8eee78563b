// asyncAfter on a global queue, cancelled through its work item.
import Foundation

let item = DispatchWorkItem { print("late item ran") }
DispatchQueue.global().asyncAfter(deadline: .now() + 0.5, execute: item)
DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
    print("early block ran")
    item.cancel()
}
sleep(1)
print("main: done")
