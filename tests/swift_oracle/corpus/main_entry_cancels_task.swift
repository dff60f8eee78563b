// An `@main` type's `static func main() async throws` is the program: there is no top-level
// code. It starts a slow task, cancels it, and reads how the task ended.
struct Ticker {
    let label: String
    func run() async -> Int {
        var ticks = 0
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                print("\(label): sleep cancelled after \(ticks) ticks")
                break
            }
            ticks += 1
            print("\(label): tick \(ticks)")
        }
        return ticks
    }
}

@main
struct App {
    static let ticker = Ticker(label: "ticker")

    static func main() async throws {
        print("entered \(#function)")
        let task = Task { await ticker.run() }
        try await Task.sleep(for: .milliseconds(700))
        task.cancel()
        let ticks = await task.value
        report(ticks)
    }

    static func report(_ ticks: Int) {
        print("the task ticked \(ticks) times")
    }
}
