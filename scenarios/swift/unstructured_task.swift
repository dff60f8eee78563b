// tasklab: title 구조화되지 않은 작업 — Task {} inside a Task does not inherit cancellation
//
// Seed 003, "구조화되지 않은 동시성": task1 is cancelled at once, notices after its blocking
// sleep(1), and then creates task2 with `Task { }`. task2 is not a child: it is not born
// cancelled, so it runs to completion.

import Foundation  // sleep()

// The tasks are created inside a nonisolated function, as background code in an app would
// create them. Created directly in a script's top-level code they would inherit the main
// actor, and their blocking sleep(1) would hold the main thread (tasklab does not model actors).
func startTasks() {
    let task1 = Task {
        // tasklab: note sleep(1) blocks this task's thread: it cannot notice the cancel until it returns.
        sleep(1)

        if Task.isCancelled {
            print("🟡 Task1: 작업이 취소되었습니다.")
        }

        // tasklab: note Task {} is unstructured: it has no parent, so task1's cancellation does not reach it.
        let task2 = Task {
            if Task.isCancelled {
                print("🟡 Task2: 작업이 취소되었습니다.")
                return
            }

            print("➡️ Task2 작업이 완료되었습니다.")
        }
    }
    // tasklab: note cancel() only sets task1's flag and returns at once.
    task1.cancel()
}

startTasks()

// Keep the process alive while the tasks run (a script exits when its top-level code returns).
sleep(2)

// tasklab: expect 🟡 Task1: 작업이 취소되었습니다.
// tasklab: expect ➡️ Task2 작업이 완료되었습니다.
