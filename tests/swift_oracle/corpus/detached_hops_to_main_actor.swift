// A detached task does its work off the main actor, then hops there with MainActor.run
// to touch a @MainActor class.
@MainActor final class Screen {
  var shown: [String] = []
  func show(_ s: String) { shown.append(s); print("shown: \(shown)") }
}

func background() async -> String {
  try? await Task.sleep(nanoseconds: 100_000_000)
  return "loaded"
}

let screen = Screen()
let task = Task.detached {
  let text = await background()
  await MainActor.run {
    screen.show(text)
  }
}
await task.value
print("done")
