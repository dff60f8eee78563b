// A loop that calls Task.checkCancellation() between steps.
func process(_ items: [Int]) async throws -> Int {
    var done = 0
    for item in items {
        try Task.checkCancellation()
        try await Task.sleep(for: .milliseconds(200))
        print("processed \(item)")
        done += 1
    }
    return done
}

let t = Task { try await process(Array(1...10)) }
try await Task.sleep(for: .milliseconds(700))
t.cancel()
do {
    let n = try await t.value
    print("finished \(n)")
} catch {
    print("stopped: \(error)")
}
