// `while let x = await group.next()` in a group that does not throw, stopping early with a
// second condition; waitForAll() then waits for the children left. A plain `while let` pops
// an array.
func work(_ n: Int) async -> Int {
    try? await Task.sleep(for: .milliseconds(200 * n))
    print("child \(n): done")
    return n * 10
}

await withTaskGroup(of: Int.self) { group in
    for n in 1...4 {
        group.addTask { await work(n) }
    }
    var seen = 0
    while seen < 2, let value = await group.next() {
        print("got \(value)")
        seen += 1
    }
    print("stopped after \(seen)")
    await group.waitForAll()
    print("waitForAll returned")
}
var stack = [1, 2, 3]
while let top = stack.popLast() {
    if top == 2 { continue }
    print("popped \(top)")
}
