// tasklab: title Data race — two tasks add to one class's counter (what an actor prevents)
//
// Two child tasks of a group each add 1 to a counter: read the value, then write it back plus
// one. The tasks of a group run in parallel on the cooperative thread pool, so with a plain
// class nothing stops the second task from reading between the first one's read and write:
// both read 0, both write 1, and an increment is lost. That is a data race, and the class
// only compiles because it promises `@unchecked Sendable` ("I make this safe myself").
//
// An actor is the fix the language offers: its methods run one call at a time, so the read
// and the write of one `increment()` can never be split by another task's. The same two
// tasks on the actor always give 2.
//
// `tasklab explore` shows both: the class prints `class counter: 2` or `class counter: 1`
// depending on which thread's statement comes first; the actor always prints 2. tasklab's
// own order (below) runs each task to its end, so it prints 2, like most real runs.

final class UnsafeCounter: @unchecked Sendable {
    var value = 0
}

actor SafeCounter {
    var value = 0

    func increment() {
        let v = value
        value = v + 1
    }
}

let unsafe = UnsafeCounter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<2 {
        group.addTask {
            // tasklab: note A data race: another task may read the value between this read and the write below; then both write 1 and one increment is lost (`tasklab explore` shows 2 and 1).
            let v = unsafe.value
            unsafe.value = v + 1
        }
    }
}
print("class counter: \(unsafe.value)")

let safe = SafeCounter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<2 {
        group.addTask {
            // tasklab: note On the actor the read and the write are one call: no other task's call comes between them, so there is no race here.
            await safe.increment()
        }
    }
}
print("actor counter: \(await safe.value)")

// tasklab: expect class counter: 2
// tasklab: expect actor counter: 2
