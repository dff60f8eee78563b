// F21: receiving a child's error from next() cancels nothing; a body that catches it keeps an
// uncancelled group, and a child added afterwards is not born cancelled.
struct Failure: Error {}

let sum = await withThrowingTaskGroup(of: Int.self) { group in
    group.addTask {
        try await Task.sleep(for: .milliseconds(200))
        throw Failure()
    }
    group.addTask {
        try await Task.sleep(for: .milliseconds(600))
        print("sibling finished, isCancelled = \(Task.isCancelled)")
        return 1
    }
    do {
        _ = try await group.next()
    } catch {
        print("next() threw \(error), group.isCancelled = \(group.isCancelled)")
    }
    group.addTask {
        print("late child: isCancelled = \(Task.isCancelled)")
        return 2
    }
    var total = 0
    while true {
        do {
            guard let value = try await group.next() else { break }
            total += value
        } catch {
            print("unexpected \(error)")
        }
    }
    return total
}
print("sum \(sum)")
