// `switch` directly on `await group.next()`: `.some`, `x?` and `nil` patterns.
let order = await withTaskGroup(of: Int.self) { group in
    for n in [3, 1, 2] {
        group.addTask {
            try? await Task.sleep(for: .milliseconds(100 * n))
            return n
        }
    }
    var seen: [Int] = []
    loop: while true {
        switch await group.next() {
        case .some(let n) where n == 2:
            print("two arrived")
            seen.append(n)
        case let n?:
            print("got \(n)")
            seen.append(n)
        case nil:
            print("group empty")
            break loop
        }
    }
    return seen
}
print(order)
