// Task.detached and Task {} are not children: cancelling the creator does not reach them.
let outer = Task {
    let inner = Task.detached {
        try? await Task.sleep(for: .milliseconds(300))
        print("detached: isCancelled = \(Task.isCancelled)")
    }
    try? await Task.sleep(for: .seconds(1))
    print("outer: isCancelled = \(Task.isCancelled)")
    await inner.value
}
try await Task.sleep(for: .milliseconds(100))
outer.cancel()
await outer.value
