// A serial queue runs one block at a time: sync waits for the async block submitted before it.
import Foundation

let queue = DispatchQueue(label: "serial")
queue.async {
    print("async block: start")
    Thread.sleep(forTimeInterval: 0.5)
    print("async block: end")
}
Thread.sleep(forTimeInterval: 0.1)
queue.sync {
    print("sync block")
}
print("main: sync returned")
