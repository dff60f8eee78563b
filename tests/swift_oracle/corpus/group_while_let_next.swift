// The most common group loop upstream: `while let x = try await group.next()`.
func fetch(_ n: Int) async throws -> Int {
    try await Task.sleep(for: .milliseconds(200 * n))
    return n * n
}

let total = try await withThrowingTaskGroup(of: Int.self) { group in
    for n in 1...4 {
        group.addTask { try await fetch(n) }
    }
    var sum = 0
    while let value = try await group.next() {
        print("got \(value)")
        sum += value
    }
    return sum
}
print("total \(total)")
