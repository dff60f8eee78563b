// Code as people write it: a generic helper whose group carries (index, value) pairs typed by
// its generic parameter, [T?](repeating:count:), a static method calling another unqualified,
// and effects on the line after the parameters.
struct Loader {
    static func delay(for index: Int) -> Int { (3 - index) * 150 }

    static func load(
        _ index: Int
    )
        async throws -> String
    {
        try await Task.sleep(for: .milliseconds(delay(for: index)))
        print("loaded \(index)")
        return "item\(index)"
    }
}

func collect<Element: Sendable>(_ count: Int, _ make: @escaping @Sendable (Int) async throws -> Element) async throws -> [Element] {
    try await withThrowingTaskGroup(of: (Int, Element).self) { group in
        for i in 0..<count {
            group.addTask { (i, try await make(i)) }
        }
        var slots = [Element?](repeating: nil, count: count)
        for try await (i, value) in group {
            slots[i] = value
        }
        return slots.compactMap { $0 }
    }
}

let items = try await collect(3) { try await Loader.load($0) }
print(items)
