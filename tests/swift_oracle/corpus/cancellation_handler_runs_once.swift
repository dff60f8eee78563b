// A cancellation handler runs once, however many times the task is cancelled; the
// operation goes on to its end (its sleeps are try?).
let ms: UInt64 = 1_000_000

func handlerRunsOnce() async {
  let task = Task.detached { () -> Bool in
    await withTaskCancellationHandler {
      try? await Task.sleep(nanoseconds: 200 * ms)
      try? await Task.sleep(nanoseconds: 200 * ms)
      print("operation done")
      return Task.isCancelled
    } onCancel: {
      print("onCancel")
    }
  }
  try? await Task.sleep(nanoseconds: 100 * ms)
  print("cancelling three times")
  task.cancel()
  task.cancel()
  task.cancel()
  print("was cancelled: \(await task.value)")
}

@main struct Main {
  static func main() async {
    await handlerRunsOnce()
  }
}
