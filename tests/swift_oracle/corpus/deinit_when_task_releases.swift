// A class's `deinit` runs when its last reference goes: at the end of a function's scope, when
// an Optional is set to nil, and, for an object a task captured, when that task ends.
final class Connection {
    let name: String
    init(name: String) {
        self.name = name
        print("open \(name)")
    }
    deinit { print("close \(name)") }

    func fetch() async -> String {
        try? await Task.sleep(for: .milliseconds(300))
        return "\(name) data"
    }
}

func quickLook() {
    let c = Connection(name: "scoped")
    print("looking through \(c.name)")
}

quickLook()
print("after quickLook")

var cached: Connection? = Connection(name: "cached")
cached = nil
print("after cached = nil")

func startFetch() -> Task<String, Never> {
    let c = Connection(name: "captured")
    return Task { await c.fetch() }
}

let task = startFetch()
print("startFetch returned; the task still holds the connection")
let data = await task.value
try await Task.sleep(for: .milliseconds(200))
print("got \(data)")
