// AsyncSequence.contains on a task group: it takes the children in the order they finish until
// one matches (the rest stay in the group), and a child's error comes out of contains.
struct Flaky: Error {}

func work(_ n: Int) async -> Int {
    try? await Task.sleep(for: .milliseconds(100 * n))
    print("child \(n) done")
    return n * 10
}

let found = await withTaskGroup(of: Int.self) { group in
    for n in [3, 1, 2, 4] { group.addTask { await work(n) } }
    let has20 = await group.contains(20)
    print("contains 20: \(has20)")
    let big = await group.contains { $0 > 35 }
    print("contains > 35: \(big)")
    let none = await group.contains(99)
    print("contains 99: \(none)")
    return has20 && big && !none
}
print("found: \(found)")

do {
    let r = try await withThrowingTaskGroup(of: Int.self) { group in
        group.addTask { try await Task.sleep(for: .milliseconds(100)); throw Flaky() }
        group.addTask { try await Task.sleep(for: .milliseconds(300)); return 7 }
        return try await group.contains(7)
    }
    print("throwing group: \(r)")
} catch {
    print("caught \(error)")
}
