// F27: awaiting t.value from a cancelled task does not cancel t.
let inner = Task {
    try? await Task.sleep(for: .milliseconds(500))
    print("inner: isCancelled = \(Task.isCancelled)")
    return 1
}
let outer = Task {
    let v = await inner.value
    print("outer: got \(v), isCancelled = \(Task.isCancelled)")
}
try await Task.sleep(for: .milliseconds(100))
outer.cancel()
await outer.value
