// SE-0304 style: collect results in completion order with `for await`.
let words = ["one", "three", "two"]
let delays = ["one": 100, "two": 300, "three": 500]

let collected = await withTaskGroup(of: String.self) { group in
    for word in words {
        group.addTask {
            try? await Task.sleep(for: .milliseconds(delays[word]!))
            return word
        }
    }
    var out: [String] = []
    for await word in group {
        print("finished: \(word)")
        out.append(word)
    }
    return out
}
print(collected.joined(separator: ", "))
