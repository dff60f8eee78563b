// A continuation that is never resumed: the runtime warns on stderr when it goes away,
// and the task waiting on it stays suspended for good (the program does not wait for it).
import Foundation

func forgetful() async -> Int {
    await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
        print("body forgets to resume")
    }
}

let task = Task {
    let v = await forgetful()
    print("never printed: \(v)")
}
try await Task.sleep(for: .milliseconds(300))
print("main: the task still waits, cancelling it")
task.cancel()
try await Task.sleep(for: .milliseconds(300))
print("main: the cancel did not resume it either")
