// Patterns on a nested enum, strings, tuples of enums and Optionals of enums; `if`/`switch`
// used as values around an `await`; a labelled `repeat`.
struct Job {
    enum State: Equatable { case waiting, running(Int), done(String) }
    var state: State
}
let jobs = [Job(state: .running(3)), Job(state: .done("ok")), Job(state: .waiting)]
for j in jobs {
    switch j.state {
    case .running(let n) where n > 2: print("busy \(n)")
    case .done(let s): print("done \(s)")
    default: print("idle")
    }
}
print(jobs[0].state == .running(3), jobs[2].state == Job.State.waiting)
let word = "swift"
switch word {
case "python", "ruby": print("scripting")
case let w where w.hasPrefix("sw"): print("apple \(w)")
default: print("?")
}
enum Light { case red, green }
switch (Light.red, Light.green) {
case (.red, .red): print("stop")
case (.red, _): print("mixed")
default: print("go")
}
let maybe: Job.State? = .running(1)
if case .some(.running(let v)) = maybe { print("nested \(v)") }
func slow(_ x: Int) async -> Int {
    try? await Task.sleep(for: .milliseconds(100))
    return x * 2
}
let flag = true
let value = if flag { await slow(21) } else { 0 }
print(value)
let kind = switch await slow(1) {
case 2: "two"
default: "other"
}
print(kind)
var tries = 0
attempts: repeat {
    tries += 1
    if tries == 3 { break attempts }
} while true
print("tries \(tries)")
