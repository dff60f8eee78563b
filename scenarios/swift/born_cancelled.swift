// tasklab: title Born cancelled — what a cancelled task creates starts cancelled
//
// A task cancelled before it starts still runs its body (unlike a GCD item). Everything it
// creates in the task tree inherits the flag at birth: `async let` children, groups and
// their children. `addTaskUnlessCancelled` refuses to add. A `Task {}` is not part of the tree
// and starts clean.

let parent = Task {
    // tasklab: note Cancelled before it ever ran, and it runs anyway: Swift cancellation is cooperative.
    print("parent starts: isCancelled = \(Task.isCancelled)")

    async let child: Bool = Task.isCancelled
    let childWasCancelled = await child
    print("async let child born cancelled: \(childWasCancelled)")

    await withTaskGroup(of: Bool.self) { group in
        // tasklab: note A group created inside a cancelled task is cancelled from its first line.
        print("group.isCancelled at creation: \(group.isCancelled)")
        group.addTask { Task.isCancelled }
        let added = group.addTaskUnlessCancelled { Task.isCancelled }
        print("addTaskUnlessCancelled added a child: \(added)")
        for await bornCancelled in group {
            print("addTask child ran anyway, born cancelled: \(bornCancelled)")
        }
    }

    // tasklab: note Task {} has no parent: it does not inherit the flag.
    let unstructured = Task { Task.isCancelled }
    let unstructuredWasCancelled = await unstructured.value
    print("Task {} created inside: isCancelled = \(unstructuredWasCancelled)")
}
// tasklab: note Cancel before the task has had a chance to start.
parent.cancel()
await parent.value

// tasklab: expect parent starts: isCancelled = true
// tasklab: expect async let child born cancelled: true
// tasklab: expect group.isCancelled at creation: true
// tasklab: expect addTaskUnlessCancelled added a child: false
// tasklab: expect addTask child ran anyway, born cancelled: true
// tasklab: expect Task {} created inside: isCancelled = false
