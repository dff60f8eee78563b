// tasklab: title GCD race — the cancel at exactly 3 s
//
// Seed 003 as written: outerItem checks its own flag once per second, and a cancel is
// scheduled at 3 s, the very instant outerItem's third sleep(1) ends. Two threads of the
// global queue are due at the same moment, and GCD promises no order between them: this is a
// race, and both outcomes are real.
//
// - The cancel wins: outerItem wakes, prints 2, reads the flag as set and stops: the outer
//   lines end at 2.
// - outerItem wins: it wakes, prints 2 and reads the flag before the cancel sets it, so it
//   sleeps once more and prints 3, then reads the flag and stops: the outer lines end at 3.
//
// Either way innerItem runs in full: cancelling outerItem never reaches it.
// `tasklab explore` lists both outcomes. tasklab's own order (the `expect` lines below) fires
// the timer armed first, the cancel's (armed at 0 s; the sleep's at 2 s), so it stops at 2.
// gcd/nested_work_items.swift moves the cancel to 3.5 s, clear of the race.
import Foundation

let globalQueue = DispatchQueue.global()

var outerItem: DispatchWorkItem!
outerItem = DispatchWorkItem {
    for i in 0...10 {
        // tasklab: note A race at 3 s: if the cancel has already run, this check sees the flag and the outer lines end at 2; if not, the loop sleeps once more and prints 3.
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
    // tasklab: note At 3 s exactly, the same instant outerItem's third sleep ends: which thread goes first is a race.
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
