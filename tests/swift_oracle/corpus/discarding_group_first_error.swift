// F22: in a throwing discarding group the first child to throw cancels the others.
struct Failure: Error {}

do {
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
            try await Task.sleep(for: .milliseconds(200))
            print("failing child throws")
            throw Failure()
        }
        group.addTask {
            do {
                try await Task.sleep(for: .seconds(2))
                print("slow child finished")
            } catch {
                print("slow child cancelled")
            }
        }
    }
} catch {
    print("group threw \(error)")
}
