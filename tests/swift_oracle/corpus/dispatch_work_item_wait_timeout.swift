// item.wait(timeout:) gives up at its deadline (.timedOut) while the item still runs; a
// second wait on another item with a later deadline sees it finish (.success).
import Foundation

let slow = DispatchWorkItem {
    print("slow: start")
    Thread.sleep(forTimeInterval: 0.6)
    print("slow: end")
}
let quick = DispatchWorkItem {
    Thread.sleep(forTimeInterval: 0.2)
    print("quick: end")
}
DispatchQueue.global().async(execute: slow)
DispatchQueue.global().async(execute: quick)
let first = slow.wait(timeout: .now() + 0.3)
print("main: slow.wait -> \(first)")
let second = quick.wait(timeout: .now() + 1)
print("main: quick.wait -> \(second == .success ? "success" : "timedOut")")
Thread.sleep(forTimeInterval: 0.5)
print("main: end")
