// Already cancelled: Task.sleep throws at once, without suspending.
let t = Task {
    print("started, isCancelled = \(Task.isCancelled)")
    do {
        try await Task.sleep(for: .seconds(2))
        print("slept")
    } catch {
        print("threw at once: \(error)")
    }
}
t.cancel()
await t.value
