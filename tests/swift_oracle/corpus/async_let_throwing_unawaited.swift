// F24: an unawaited throwing async let never makes the function throw; its error is dropped.
struct Failure: Error {}

func failsSoon() async throws -> Int {
    try await Task.sleep(for: .milliseconds(100))
    print("binding throws")
    throw Failure()
}

func caller() async throws -> String {
    async let value = failsSoon()
    try await Task.sleep(for: .milliseconds(400))
    return "returned normally"
}

do {
    print(try await caller())
} catch {
    print("caller threw \(error)")
}
