// `exit(0)` ends the process at once: a task still sleeping never prints, and a `defer` of the
// code that called exit does not run. `#function` and `#line` name where a line comes from.
import Foundation

func log(_ message: String, line: Int = #line) {
    print("[line \(line)] \(message)")
}

func finish() {
    defer { print("never printed: exit does not unwind") }
    print("finishing in \(#function)")
    exit(0)
}

Task {
    try await Task.sleep(for: .seconds(2))
    print("never printed: the process is gone")
}
log("started a slow task")
try await Task.sleep(for: .milliseconds(300))
log("exiting with \(#fileID) at the top level of \(#function)")
finish()
