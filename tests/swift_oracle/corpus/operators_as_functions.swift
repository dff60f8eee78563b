// Operators passed where a function is expected, and a type's init as a function.
let scores = [7, 3, 9, 1]
print(scores.reduce(0, +), scores.reduce(1, *), scores.reduce(0, |))
print(scores.sorted(by: >), scores.sorted(by: <))
print(scores.max(by: <) as Any, scores.min(by: >) as Any)
print(scores.map(String.init).joined(separator: "-"))
print(zip(scores, [1, 1, 1, 1]).map(-))
print(["b", "a"].sorted(by: <), [true, false].reduce(true, { $0 && $1 }))
