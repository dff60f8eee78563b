// A group body that returns still waits for every child (SE-0304): the call ends at 600 ms.
await withTaskGroup(of: Void.self) { group in
    group.addTask {
        try? await Task.sleep(for: .milliseconds(600))
        print("child done")
    }
    print("body returns")
}
print("group returned")
