// A loop that calls Task.checkCancellation() between steps. The cancel comes at 750 ms, 150 ms
// clear of the steps' ends (300, 600, 900 ms): the sleeps of a loop add up their delays on a busy machine.
func process(_ items: [Int]) async throws -> Int {
    var done = 0
    for item in items {
        try Task.checkCancellation()
        try await Task.sleep(for: .milliseconds(300))
        print("processed \(item)")
        done += 1
    }
    return done
}

let t = Task { try await process(Array(1...10)) }
try await Task.sleep(for: .milliseconds(750))
t.cancel()
do {
    let n = try await t.value
    print("finished \(n)")
} catch {
    print("stopped: \(error)")
}
