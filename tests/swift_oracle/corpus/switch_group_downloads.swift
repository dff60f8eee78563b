// A task group whose children report an enum outcome with associated values; the parent
// switches over each result as it arrives (`while let` + `switch`).
enum DownloadError: Error { case notFound, server(code: Int) }

enum Outcome {
    case finished(name: String, bytes: Int)
    case failed(name: String, error: DownloadError)
}

func download(_ name: String, after ms: Int) async -> Outcome {
    try? await Task.sleep(for: .milliseconds(ms))
    switch name {
    case "missing.png": return .failed(name: name, error: .notFound)
    case let n where n.hasSuffix(".zip"): return .failed(name: n, error: .server(code: 503))
    default: return .finished(name: name, bytes: ms * 10)
    }
}

let files = [("cat.png", 300), ("missing.png", 100), ("big.zip", 500), ("dog.png", 200)]
let total = await withTaskGroup(of: Outcome.self) { group in
    for (name, ms) in files {
        group.addTask { await download(name, after: ms) }
    }
    var bytes = 0
    while let outcome = await group.next() {
        switch outcome {
        case .finished(let name, let size):
            print("\(name): \(size) bytes")
            bytes += size
        case .failed(let name, .notFound):
            print("\(name): not found")
        case .failed(let name, .server(let code)) where code >= 500:
            print("\(name): server error \(code)")
        case .failed(let name, let error):
            print("\(name): \(error)")
        }
    }
    return bytes
}
print("total \(total) bytes")
print(Outcome.failed(name: "x", error: .server(code: 500)))
