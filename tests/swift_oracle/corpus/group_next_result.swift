// ThrowingTaskGroup.nextResult(), an iterator over the group, isEmpty and waitForAll().
struct Failed: Error {}

try await withThrowingTaskGroup(of: Int.self) { group in
    group.addTask {
        try await Task.sleep(for: .milliseconds(100))
        throw Failed()
    }
    group.addTask {
        try await Task.sleep(for: .milliseconds(300))
        return 2
    }
    while let result = await group.nextResult() {
        do {
            print("success \(try result.get())")
        } catch {
            print("failure \(error)")
        }
    }
    print("empty: \(group.isEmpty)")
}

await withTaskGroup(of: Int.self) { group in
    for n in 1...3 {
        group.addTask {
            try? await Task.sleep(for: .milliseconds(100 * (4 - n)))
            return n
        }
    }
    var iterator = group.makeAsyncIterator()
    while let n = await iterator.next() {
        print("iterator \(n)")
    }
    group.addTask { 9 }
    print("isEmpty before waitForAll: \(group.isEmpty)")
    await group.waitForAll()
    print("isEmpty after: \(group.isEmpty)")
}
