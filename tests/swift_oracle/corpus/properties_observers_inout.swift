// Computed properties with get/set, observers with newValue/oldValue, lazy and static
// members, mutating methods, inout arguments and variadic parameters, in one progress tracker.
struct Progress {
    var done = 0 {
        willSet { print("  done will become \(newValue)") }
        didSet { if done > oldValue { steps += 1 } }
    }
    var steps = 0
    let total: Int
    var fraction: Double {
        get { Double(done) / Double(total) }
        set { done = Int(newValue * Double(total)) }
    }
    static var made = 0
    static var summary: String { "\(made) trackers" }

    init(total: Int) {
        self.total = total
        self.done = 0  // observers do not run in an initialiser
        Progress.made += 1
    }

    mutating func advance(by n: Int = 1) { done += n }
}

final class Report {
    lazy var header: String = {
        print("  building the header")
        return "REPORT"
    }()
    var lines: [String] = [] {
        didSet { print("  report has \(lines.count) lines") }
    }
}

func record(_ values: Int..., into total: inout Int) {
    for v in values { total += v }
}

var p = Progress(total: 4)
p.advance()
p.advance(by: 2)
p.fraction = 0.5
print("done \(p.done), steps \(p.steps), fraction \(p.fraction)")

let report = Report()
print("report made")
print(report.header, report.header)
report.lines.append("first")
report.lines += ["second", "third"]

var sum = 0
record(1, 2, 3, into: &sum)
var counts = [0, 10]
record(5, into: &counts[1])
print(sum, counts, Progress.summary)
