// withTaskCancellationHandler around a polling loop: the handler fires inside cancel().
let task = Task {
    await withTaskCancellationHandler {
        var n = 0
        while !Task.isCancelled {
            n += 1
            try? await Task.sleep(for: .milliseconds(200))
        }
        print("loop saw the cancel after \(n) turns")
    } onCancel: {
        print("onCancel")
    }
}
try await Task.sleep(for: .milliseconds(500))
print("cancelling")
task.cancel()
await task.value
print("done")
