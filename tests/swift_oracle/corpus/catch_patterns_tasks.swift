// `catch` clauses with enum payload patterns, `where`, and several patterns at once, on errors
// that come back from tasks.
enum FetchError: Error {
    case http(status: Int)
    case offline
    case timeout
}

func fetch(_ id: Int) async throws -> String {
    try await Task.sleep(for: .milliseconds(100 * id))
    switch id {
    case 1: return "page 1"
    case 2: throw FetchError.http(status: 503)
    case 3: throw FetchError.http(status: 404)
    case 4: throw FetchError.timeout
    default: throw FetchError.offline
    }
}

for id in 1...5 {
    let task = Task { try await fetch(id) }
    do {
        print(try await task.value)
    } catch FetchError.http(let status) where status >= 500 {
        print("\(id): server error \(status), retry later")
    } catch FetchError.http(let status) {
        print("\(id): client error \(status)")
    } catch FetchError.offline, FetchError.timeout {
        print("\(id): no connection")
    }
}

let cancelled = Task {
    try await Task.sleep(for: .seconds(1))
}
cancelled.cancel()
do {
    try await cancelled.value
} catch is CancellationError {
    print("cancelled")
}
