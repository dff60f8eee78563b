// F19: a throwing group whose body returns without consuming a child's error does not throw.
struct Failure: Error {}

let result = try await withThrowingTaskGroup(of: Int.self) { group in
    group.addTask {
        try await Task.sleep(for: .milliseconds(300))
        print("child throws")
        throw Failure()
    }
    print("body returns without calling next()")
    return 7
}
print("group returned \(result)")
