// An actor lets go at every await: another caller runs in between, so a check made before
// the await may be stale after it.
actor Account {
    var balance = 100
    func withdraw(_ amount: Int, _ who: String) async {
        guard balance >= amount else {
            print("\(who): declined")
            return
        }
        print("\(who): \(balance) is enough")
        try? await Task.sleep(for: .milliseconds(300))
        balance -= amount
        print("\(who): withdrew \(amount), balance = \(balance)")
    }
}

let account = Account()
let a = Task { await account.withdraw(80, "a") }
try await Task.sleep(for: .milliseconds(100))
let b = Task { await account.withdraw(80, "b") }
await a.value
await b.value
print("final: \(await account.balance)")

// tasklab: expect a: 100 is enough
// tasklab: expect b: 100 is enough
// tasklab: expect a: withdrew 80, balance = 20
// tasklab: expect b: withdrew 80, balance = -60
// tasklab: expect final: -60
