// Task.sleep(nanoseconds:) and Task.sleep(for:) with a cancel in between.
let t = Task {
    try await Task.sleep(nanoseconds: 200_000_000)
    print("first sleep done")
    do {
        try await Task.sleep(nanoseconds: 2_000_000_000)
    } catch {
        print("second sleep: \(error)")
        throw error
    }
}
try await Task.sleep(for: .milliseconds(500))
t.cancel()
do {
    try await t.value
} catch {
    print("t.value threw \(type(of: error))")
}
