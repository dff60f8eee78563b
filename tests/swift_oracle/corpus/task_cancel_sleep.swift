// Cancelling a sleeping task wakes it at once with CancellationError.
let task = Task {
    do {
        try await Task.sleep(for: .seconds(5))
        print("slept")
    } catch is CancellationError {
        print("sleep threw CancellationError")
    } catch {
        print("other error")
    }
}
try await Task.sleep(for: .milliseconds(300))
task.cancel()
print("cancel() returned")
await task.value
print("task ended")
