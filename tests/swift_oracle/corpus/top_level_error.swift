// An error that escapes top-level code ends the program with a failure, after what it printed.
struct Timeout: Error {}

func fetch() async throws -> String {
    try await Task.sleep(for: .milliseconds(200))
    throw Timeout()
}

print("fetching")
let body = try await fetch()
print("never printed: \(body)")
