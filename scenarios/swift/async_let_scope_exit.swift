// tasklab: title async let — unawaited bindings are cancelled when the scope exits
//
// An `async let` that was never awaited is cancelled and then awaited when its scope ends,
// whether the scope returns or throws. The runtime tears the bindings down one at a time in
// reverse declaration order: cancel b, wait for b, then cancel a, wait for a (checked on the
// real Swift 6.3 runtime). Each cancelled binding cleans up for half a second, with the old
// `Task.sleep(_:)` that takes bare nanoseconds and ignores cancellation, so the waits show:
// a is cancelled only once b has finished.

func work(_ name: String, seconds: Int) async -> String {
    do {
        try await Task.sleep(for: .seconds(seconds))
        print("\(name): finished")
    } catch {
        print("\(name): cancelled at scope exit")
        await Task.sleep(500_000_000)  // cleanup that ignores cancellation
        print("\(name): cleaned up")
    }
    return name
}

func demo() async {
    async let a = work("a", seconds: 2)
    async let b = work("b", seconds: 3)
    async let c = work("c", seconds: 1)
    let first = await c
    // tasklab: note Leaving the function: b is cancelled and awaited first, then a (reverse declaration order).
    print("awaited \(first); leaving the scope without awaiting a or b")
}

await demo()
print("demo() returned")

// tasklab: expect c: finished
// tasklab: expect awaited c; leaving the scope without awaiting a or b
// tasklab: expect b: cancelled at scope exit
// tasklab: expect b: cleaned up
// tasklab: expect a: cancelled at scope exit
// tasklab: expect a: cleaned up
// tasklab: expect demo() returned
