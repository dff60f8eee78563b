// tasklab: title A cancelled task waiting for a busy actor keeps waiting
//
// Calling an actor's method from outside is a hop: the caller waits until the actor is free.
// Cancelling the caller does not interrupt that wait. Cancellation is only a flag (F1): the
// task still gets the actor when the holder lets go, runs the method, and only code that
// checks the flag notices.

import Foundation  // sleep()

actor Printer {
    func printReport() {
        print("printer: printing the report")
        // tasklab: note sleep(1) blocks the thread and keeps the printer actor busy for a second.
        sleep(1)
        print("printer: report done")
    }

    func printReceipt() throws {
        print("printer: receipt job starts, isCancelled = \(Task.isCancelled)")
        // tasklab: note Only a check of the flag stops the cancelled job, once it finally runs.
        try Task.checkCancellation()
        print("printer: receipt printed")
    }
}

let printer = Printer()
let report = Task.detached {
    await printer.printReport()
}

try await Task.sleep(for: .milliseconds(200))
let receipt = Task.detached {
    print("receipt: waiting for the printer")
    do {
        // tasklab: note The hop waits in the printer's queue: the actor is busy with the report.
        try await printer.printReceipt()
    } catch {
        print("receipt: \(error)")
    }
}

try await Task.sleep(for: .milliseconds(300))
print("main: cancelling the receipt")
// tasklab: note cancel() sets the flag; the receipt task stays in the printer's queue.
receipt.cancel()

await receipt.value
await report.value
print("main: done")

// tasklab: expect printer: printing the report
// tasklab: expect receipt: waiting for the printer
// tasklab: expect main: cancelling the receipt
// tasklab: expect printer: report done
// tasklab: expect printer: receipt job starts, isCancelled = true
// tasklab: expect receipt: CancellationError()
// tasklab: expect main: done
