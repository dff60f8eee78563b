// A worker with a labelled loop that leaves both loops when its task is cancelled.
let worker = Task {
    var rounds = 0
    work: while true {
        for step in 1...2 {
            if Task.isCancelled {
                print("cancelled at step \(step)")
                break work
            }
            try? await Task.sleep(for: .milliseconds(200))
            if step == 2 { rounds += 1 }
        }
        print("round \(rounds) done")
    }
    return rounds
}
try? await Task.sleep(for: .milliseconds(700))
worker.cancel()
print("worker finished \(await worker.value) rounds")
