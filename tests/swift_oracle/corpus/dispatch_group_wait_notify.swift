// DispatchGroup: async(group:) and enter/leave count the work; wait(timeout:) gives up at its
// deadline, notify runs when the count drops to zero, wait() returns then.
import Foundation

let group = DispatchGroup()
let queue = DispatchQueue.global()
queue.async(group: group) {
    Thread.sleep(forTimeInterval: 0.2)
    print("task 1: done")
}
queue.async(group: group) {
    Thread.sleep(forTimeInterval: 0.4)
    print("task 2: done")
}
group.enter()
queue.asyncAfter(deadline: .now() + 0.6) {
    print("manual: leave")
    group.leave()
}
group.notify(queue: queue) {
    print("notify: all done")
}
if group.wait(timeout: .now() + 0.3) == .timedOut {
    print("main: timed out at 0.3 s")
}
group.wait()
print("main: wait() returned")
Thread.sleep(forTimeInterval: 0.2)
print("main: end")
