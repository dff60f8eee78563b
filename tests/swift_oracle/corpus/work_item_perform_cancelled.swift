// F32: perform() on a cancelled item skips the body, but the item counts as executed.
import Foundation

let item = DispatchWorkItem { print("body") }
item.notify(queue: DispatchQueue.global()) { print("notify ran") }
item.cancel()
item.perform()
print("perform returned, isCancelled = \(item.isCancelled)")
Thread.sleep(forTimeInterval: 0.3)
print("main: done")
