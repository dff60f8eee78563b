// queue.sync waits behind every block submitted before it, returns its block's value, and
// holds the queue: a block submitted during the sync runs after it.
import Foundation

let queue = DispatchQueue(label: "serial")
queue.async {
    Thread.sleep(forTimeInterval: 0.3)
    print("first: done")
}
queue.async {
    Thread.sleep(forTimeInterval: 0.3)
    print("second: done")
}
let answer = queue.sync { () -> Int in
    print("sync block: start")
    Thread.sleep(forTimeInterval: 0.2)
    print("sync block: end")
    return 42
}
print("main: sync returned \(answer)")
queue.async {
    print("third: runs")
}
Thread.sleep(forTimeInterval: 0.2)
print("main: end")
