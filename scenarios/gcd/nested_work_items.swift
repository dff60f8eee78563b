// tasklab: title GCD — cancelling outerItem never reaches innerItem
//
// Seed 003, the DispatchWorkItem example: outerItem checks its own flag once per second; a
// cancel arrives at 3.5 s. The cancel stops the outer loop (cooperatively) but nothing
// propagates: innerItem, dispatched afterwards from inside outerItem, runs in full.
//
// Three changes from the seed. Two are required by the Swift compiler: outerItem is declared
// before it is assigned (a closure cannot read a variable inside its own initial value), and
// the script sleeps at the end so the process stays alive while the queue works. The third is
// for a real run: the seed cancels at 3 s, the very instant outerItem's third sleep(1) ends,
// a race whose winner changes from run to run; 3.5 s is half a second clear of both.
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

globalQueue.asyncAfter(deadline: .now() + 3.5) {
    // tasklab: note At 3.5 s the cancel sets the flag while outerItem sleeps: it prints 3 when it wakes, then reads the flag and stops.
    outerItem.cancel()
}

sleep(5)

// tasklab: expect ➡️ 외부 작업 수행 완료: 0
// tasklab: expect ➡️ 외부 작업 수행 완료: 1
// tasklab: expect ➡️ 외부 작업 수행 완료: 2
// tasklab: expect ➡️ 외부 작업 수행 완료: 3
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
