// tasklab: title GCD — cancelling outerItem never reaches innerItem
//
// Seed 003, the DispatchWorkItem example: outerItem checks its own flag once per second; a
// cancel arrives after 3 s. The cancel stops the outer loop (cooperatively) but nothing
// propagates: innerItem, dispatched afterwards from inside outerItem, runs in full.
//
// Two changes from the seed, both required by the Swift compiler: outerItem is declared
// before it is assigned (a closure cannot read a variable inside its own initial value), and
// the script sleeps at the end so the process stays alive while the queue works.
import Foundation

let globalQueue = DispatchQueue.global()

var outerItem: DispatchWorkItem!
outerItem = DispatchWorkItem {
    for i in 0...10 {
        // tasklab: note The work item polls its own flag: GCD cancellation is only a flag.
        if outerItem.isCancelled { break }
        sleep(1)
        print("➡️ 외부 작업 수행 완료: \(i)")
    }

    // tasklab: note A new item: no parent, no inherited flag. outerItem's cancel does not reach it.
    let innerItem = DispatchWorkItem {
        for j in 0...10 {
            print("✨ 내부 작업 수행 완료: \(j)")
        }
    }
    globalQueue.async(execute: innerItem)
}
globalQueue.async(execute: outerItem)

globalQueue.asyncAfter(deadline: .now() + 3) {
    // tasklab: note At 3 s the cancel and the end of outerItem's third sleep(1) fall on the same instant. In a real run that is a race; tasklab fires timers in the order they were armed, so the cancel lands first and the loop prints 2 before it stops.
    outerItem.cancel()
}

sleep(5)

// tasklab: expect ➡️ 외부 작업 수행 완료: 0
// tasklab: expect ➡️ 외부 작업 수행 완료: 1
// tasklab: expect ➡️ 외부 작업 수행 완료: 2
// tasklab: expect ✨ 내부 작업 수행 완료: 0
// tasklab: expect ✨ 내부 작업 수행 완료: 1
// tasklab: expect ✨ 내부 작업 수행 완료: 2
// tasklab: expect ✨ 내부 작업 수행 완료: 3
// tasklab: expect ✨ 내부 작업 수행 완료: 4
// tasklab: expect ✨ 내부 작업 수행 완료: 5
// tasklab: expect ✨ 내부 작업 수행 완료: 6
// tasklab: expect ✨ 내부 작업 수행 완료: 7
// tasklab: expect ✨ 내부 작업 수행 완료: 8
// tasklab: expect ✨ 내부 작업 수행 완료: 9
// tasklab: expect ✨ 내부 작업 수행 완료: 10
