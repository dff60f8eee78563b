// F15: cancelAll() cancels the group's children, never the task that owns the group.
let owner = Task {
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            try? await Task.sleep(for: .seconds(2))
            print("child: isCancelled = \(Task.isCancelled)")
        }
        try? await Task.sleep(for: .milliseconds(200))
        group.cancelAll()
        print("body: group.isCancelled = \(group.isCancelled), Task.isCancelled = \(Task.isCancelled)")
    }
    print("owner: isCancelled = \(Task.isCancelled)")
}
await owner.value
