// `try await (a, b)` awaits a first: b's error comes out only after a returns, and nothing
// is left to cancel at the end of the scope.
struct Boom: Error {}

func slow(_ label: String, _ ms: UInt64) async throws -> String {
  do {
    try await Task.sleep(nanoseconds: ms * 1_000_000)
  } catch {
    print("\(label) cancelled")
    throw error
  }
  return label
}

func failing() async throws -> String {
  try await Task.sleep(nanoseconds: 100_000_000)
  throw Boom()
}

do {
  async let a = slow("a", 500)
  async let b = failing()
  let (x, y) = try await (a, b)
  print(x, y)
} catch {
  print("caught \(error)")
}
