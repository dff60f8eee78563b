// Not yet: Swift's Set is not modelled (a hundred callers of one actor counter).
actor Counter {
  private var value = 0
  func next() -> Int {
    let current = value
    value += 1
    return current
  }
}

let counter = Counter()
await withTaskGroup(of: Int.self) { group in
  for _ in 0..<100 {
    group.addTask { await counter.next() }
  }
  var seen = Set<Int>()
  for await v in group { seen.insert(v) }
  print("distinct values: \(seen.count), max \(seen.max()!)")
}
print("next is \(await counter.next())")
