// tasklab: title A group body that returns waits for its children — it does not cancel them
//
// Returning from a withTaskGroup body does not cancel the children still running: the group
// waits for every one of them, so the call takes as long as the slowest child. Only
// cancelAll(), a cancelled owner, or an error thrown out of a throwing group's body cancels
// them.

let first = await withTaskGroup(of: String.self) { group in
    group.addTask {
        try? await Task.sleep(for: .seconds(1))
        return "fast"
    }
    group.addTask {
        try? await Task.sleep(for: .seconds(5))
        print("slow child finished at 5 s, cancelled = \(Task.isCancelled)")
        return "slow"
    }
    let result = await group.next()!
    // tasklab: note The body returns at 1 s, but the group still waits for the slow child: nothing cancels it.
    print("first result: \(result), returning from the body")
    return result
}
print("withTaskGroup returned \(first) after the slow child finished")

let second = await withTaskGroup(of: String.self) { group in
    group.addTask {
        try? await Task.sleep(for: .seconds(1))
        return "fast"
    }
    group.addTask {
        try? await Task.sleep(for: .seconds(5))
        print("slow child finished early, cancelled = \(Task.isCancelled)")
        return "slow"
    }
    let result = await group.next()!
    // tasklab: note This time the body cancels the rest before returning: the slow child wakes at once. From here its line and the body's next line race: on the real pool either may print first (tasklab prints the body's first).
    group.cancelAll()
    print("first result: \(result), cancelAll(), returning from the body")
    return result
}
print("withTaskGroup returned \(second) without waiting 5 s")

// tasklab: expect first result: fast, returning from the body
// tasklab: expect slow child finished at 5 s, cancelled = false
// tasklab: expect withTaskGroup returned fast after the slow child finished
// tasklab: expect first result: fast, cancelAll(), returning from the body
// tasklab: expect slow child finished early, cancelled = true
// tasklab: expect withTaskGroup returned fast without waiting 5 s
