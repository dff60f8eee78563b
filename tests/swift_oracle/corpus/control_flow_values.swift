// `if`/`switch` used as values, `repeat … while`, `for case`, `for … where`, `if case`,
// `guard case` and a labelled `continue`, around a polling loop.
enum Reading { case value(Int), missing }

func poll(_ attempt: Int) async -> Reading {
    try? await Task.sleep(for: .milliseconds(100))
    return attempt % 3 == 0 ? .missing : .value(attempt * 7)
}

var readings: [Reading] = []
var attempt = 0
repeat {
    attempt += 1
    readings.append(await poll(attempt))
} while attempt < 5
print("polled \(attempt) times")

for case .value(let v) in readings where v > 10 { print("high \(v)") }

let total = readings.reduce(0) { sum, r in
    if case .value(let v) = r { return sum + v }
    return sum
}
let verdict = if total > 50 { "busy" } else { "quiet" }
let first = switch readings.first {
case .value(let v)?: "first \(v)"
case .missing?: "first missing"
case nil: "none"
}
print(total, verdict, first)

func describe(_ r: Reading) -> String {
    guard case .value(let v) = r else { return "gap" }
    return "\(v)"
}
print(readings.map(describe))

rows: for row in 0..<3 {
    for col in 0..<3 {
        if col > row { continue rows }
        print("(\(row), \(col))", terminator: " ")
    }
}
print()
