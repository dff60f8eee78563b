// An @main entry point in the style of the runtime's own tests: cancelling a detached task
// reaches the async let child inside it, which sees Task.isCancelled after its sleep.
import Dispatch

let second: UInt64 = 1_000_000_000

@available(SwiftStdlib 5.5, *)
func detachedChildSeesCancel() async {
  let task: Task<Bool, Error> = Task.detached {
    async let inner: Bool = { () -> Bool in
      try? await Task.sleep(nanoseconds: 3 * second / 10)
      return Task.isCancelled
    }()
    let innerCancelled = await inner
    print("inner cancelled: \(innerCancelled)")
    return Task.isCancelled
  }
  try? await Task.sleep(nanoseconds: second / 10)
  task.cancel()
  print("cancel sent")
  let got = try! await task.value
  print("outer cancelled: \(got)")
}

@main struct Main {
  static func main() async {
    await detachedChildSeesCancel()
  }
}
