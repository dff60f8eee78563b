// A task cancelled before its group starts: every child throws at checkCancellation(), and
// `for await … where` counts none.
struct Photo { let name: String }

func add(_ name: String) async throws -> Photo {
  try Task.checkCancellation()
  try await Task.sleep(nanoseconds: 100_000_000)
  return Photo(name: name)
}

let task = Task {
  await withTaskGroup(of: Optional<Photo>.self) { group in
    for name in ["a", "b", "c"] {
      group.addTask { try? await add(name) }
    }
    var n = 0
    for await p in group where p != nil { n += 1 }
    return n
  }
}
task.cancel()
print("photos added:", await task.value)
