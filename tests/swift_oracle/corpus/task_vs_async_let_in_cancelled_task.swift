// Task {} created inside a cancelled task starts clean; an async let child starts cancelled.
let parent = Task {
    try? await Task.sleep(for: .milliseconds(300))
    async let child: Bool = Task.isCancelled
    let t = Task { Task.isCancelled }
    print("async let child: \(await child)")
    print("Task {}: \(await t.value)")
}
try await Task.sleep(for: .milliseconds(100))
parent.cancel()
await parent.value
