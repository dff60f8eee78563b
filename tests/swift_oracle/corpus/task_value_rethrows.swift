// `value` rethrows what the task threw; a cancelled task that ignores its cancel returns normally.
struct Boom: Error {}

let failing = Task<Int, Error> {
    try await Task.sleep(for: .milliseconds(100))
    throw Boom()
}
do {
    _ = try await failing.value
} catch {
    print("value threw \(error)")
}

let stubborn = Task<Int, Never> {
    await Task.sleep(300_000_000)
    return 42
}
stubborn.cancel()
print("stubborn returned \(await stubborn.value)")

let sleeper = Task<Int, Error> {
    try await Task.sleep(for: .seconds(5))
    return 1
}
sleeper.cancel()
do {
    _ = try await sleeper.value
} catch {
    print("sleeper threw \(error)")
}
