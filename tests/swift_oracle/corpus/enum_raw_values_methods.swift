// Enums with raw values, CaseIterable, a method that switches over self, and ==.
enum Priority: Int, CaseIterable {
    case low = 1, medium, high = 10

    func label() -> String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "HIGH"
        }
    }
}

enum Status: String {
    case queued
    case running = "in progress"
    case done
}

for p in Priority.allCases { print(p, p.rawValue, p.label()) }
print(Priority(rawValue: 2) as Any, Priority(rawValue: 3) as Any)
print(Status.running.rawValue, Status.done.rawValue, Status(rawValue: "queued") == .queued)
let statuses: [Status] = [.queued, .running]
print(statuses)
if let s = Status(rawValue: "in progress") {
    switch s {
    case .queued, .done: print("not running")
    case .running: print("running: \(s)")
    }
}
