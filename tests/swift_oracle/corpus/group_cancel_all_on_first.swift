// First result wins: take one value, cancel the rest.
let winner = await withTaskGroup(of: String.self) { group in
    for (name, ms) in [("slow", 900), ("fast", 200), ("medium", 500)] {
        group.addTask {
            do {
                try await Task.sleep(for: .milliseconds(ms))
                return name
            } catch {
                print("\(name) cancelled")
                return "\(name) (cancelled)"
            }
        }
    }
    let first = await group.next()!
    group.cancelAll()
    return first
}
print("winner: \(winner)")
