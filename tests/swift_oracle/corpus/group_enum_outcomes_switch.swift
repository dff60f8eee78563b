// A group of enum outcomes with payloads, switched over as they arrive.
enum Outcome {
  case value(Int)
  case failed(String)
}

func work(_ n: Int) async -> Outcome {
  try? await Task.sleep(nanoseconds: UInt64(n) * 100_000_000)
  return n % 2 == 0 ? .value(n * 10) : .failed("odd \(n)")
}

let total = await withTaskGroup(of: Outcome.self) { group in
  for n in 1...4 {
    group.addTask { await work(n) }
  }
  var sum = 0
  for await outcome in group {
    switch outcome {
    case .value(let v):
      print("value \(v)")
      sum += v
    case .failed(let why):
      print("failed: \(why)")
    }
  }
  return sum
}
print("total \(total)")
