// item.wait() blocks until the item has executed; notify runs afterwards.
import Foundation

let item = DispatchWorkItem {
    Thread.sleep(forTimeInterval: 0.3)
    print("item: done")
}
item.notify(queue: .global()) { print("notify") }
DispatchQueue.global().async(execute: item)
item.wait()
print("main: wait() returned")
sleep(1)
