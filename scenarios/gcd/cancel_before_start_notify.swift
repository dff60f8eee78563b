// tasklab: title GCD — an item cancelled before it starts still "executes", and notify fires then
//
// `item` waits on a serial queue behind a 2-second item. It is cancelled at 1 s. Cancel only
// sets a flag: when the queue reaches the item at 2 s, its body is skipped, but the item still
// counts as executed, so its notify block fires at 2 s — at its queue slot, not at the cancel.
import Foundation

let serial = DispatchQueue(label: "serial")

let blocker = DispatchWorkItem {
    print("blocker: working for 2 s")
    sleep(2)
    print("blocker: done")
}

let item = DispatchWorkItem {
    print("item: body runs")
}

item.notify(queue: DispatchQueue.global()) {
    // tasklab: note The body was skipped, but the item counts as executed: notify fires at its slot.
    print("notify: item has executed, isCancelled = \(item.isCancelled)")
}

serial.async(execute: blocker)
serial.async(execute: item)

sleep(1)
print("main: cancelling item while it waits behind blocker")
// tasklab: note cancel() sets the flag; the item has not started, so its body will be skipped.
item.cancel()
print("main: item.isCancelled = \(item.isCancelled)")
sleep(3)

// tasklab: expect blocker: working for 2 s
// tasklab: expect main: cancelling item while it waits behind blocker
// tasklab: expect main: item.isCancelled = true
// tasklab: expect blocker: done
// tasklab: expect notify: item has executed, isCancelled = true
