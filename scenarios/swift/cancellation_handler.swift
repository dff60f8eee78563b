// tasklab: title withTaskCancellationHandler — when onCancel runs
//
// The handler runs synchronously inside the canceller's cancel() call, before cancel()
// returns, while the operation is still suspended. It runs at most once, and it is removed
// when the operation returns. If the task is already cancelled when the operation starts, the
// handler runs first, and the operation still runs.

let task = Task {
    await withTaskCancellationHandler {
        print("operation: starts, then sleeps for 10 s")
        try? await Task.sleep(for: .seconds(10))
        print("operation: woke up, isCancelled = \(Task.isCancelled)")
    } onCancel: {
        // tasklab: note The handler runs now, on the canceller's side, before cancel() returns.
        print("onCancel: runs inside cancel(), before it returns")
    }
    print("after the operation: its handler is gone")
}

try await Task.sleep(for: .seconds(1))
print("main: calling cancel()")
task.cancel()
print("main: cancel() returned")
await task.value
// tasklab: note Cancelling again does nothing: the flag is already set and the handler was removed.
task.cancel()
print("main: cancelled again, no handler ran")

let early = Task {
    await withTaskCancellationHandler {
        print("early operation: runs anyway, isCancelled = \(Task.isCancelled)")
    } onCancel: {
        // tasklab: note Already cancelled on entry: the handler runs first, before the operation.
        print("early onCancel: the task was already cancelled, so it runs first")
    }
}
early.cancel()
await early.value

// tasklab: expect operation: starts, then sleeps for 10 s
// tasklab: expect main: calling cancel()
// tasklab: expect onCancel: runs inside cancel(), before it returns
// tasklab: expect main: cancel() returned
// tasklab: expect operation: woke up, isCancelled = true
// tasklab: expect after the operation: its handler is gone
// tasklab: expect main: cancelled again, no handler ran
// tasklab: expect early onCancel: the task was already cancelled, so it runs first
// tasklab: expect early operation: runs anyway, isCancelled = true
