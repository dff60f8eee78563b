// F25 on the real runtime: unawaited `async let` bindings are torn down one at a time, last
// declared first, on a returning exit and on a throwing one. Each cancelled binding takes
// 300 ms to finish (the old non-throwing Task.sleep ignores cancellation), so the order shows.
func work(_ name: String) async -> String {
    do {
        try await Task.sleep(for: .seconds(10))
    } catch {
        print("\(name) cancelled")
        await Task.sleep(300_000_000)
        print("\(name) done")
    }
    return name
}

func returning() async {
    async let a = work("a")
    async let b = work("b")
    async let c = work("c")
    try? await Task.sleep(for: .milliseconds(200))
    print("leaving the scope")
}

func throwing() async throws {
    async let a = work("a")
    async let b = work("b")
    try await Task.sleep(for: .milliseconds(200))
    print("throwing")
    throw CancellationError()
}

await returning()
print("returning() returned")
try? await throwing()
print("throwing() returned")
