// tasklab: title Actor reentrancy — the balance changed across an await
//
// An actor runs one task at a time, but only between suspension points: at every `await`
// inside an actor method the actor is free again, and another caller's code runs in between.
// A check made before the await (is the balance enough?) may be stale after it. This is the
// classic check-then-await bug; the fix is to change the state before suspending.

actor BankAccount {
    var balance = 100

    func withdraw(_ amount: Int, by who: String) async -> Bool {
        guard balance >= amount else {
            print("\(who): declined, balance \(balance)")
            return false
        }
        print("\(who): balance \(balance) is enough for \(amount)")
        // tasklab: note The await lets go of the actor: the other withdrawal runs its check now, and sees the old balance.
        try? await Task.sleep(for: .milliseconds(300))  // asking the bank
        balance -= amount
        print("\(who): withdrew \(amount), balance \(balance)")
        return true
    }
}

actor FixedAccount {
    var balance = 100

    func withdraw(_ amount: Int, by who: String) async -> Bool {
        guard balance >= amount else {
            print("\(who): declined, balance \(balance)")
            return false
        }
        // tasklab: note The fix: take the money before the await, so no other caller can see the old balance.
        balance -= amount
        print("\(who): reserved \(amount), balance \(balance)")
        try? await Task.sleep(for: .milliseconds(300))  // asking the bank
        print("\(who): withdrew \(amount)")
        return true
    }
}

let account = BankAccount()
// tasklab: note Both tasks run on the main actor and hop to the account's actor for withdraw().
let alice = Task { await account.withdraw(80, by: "alice") }
try await Task.sleep(for: .milliseconds(100))
let bob = Task { await account.withdraw(80, by: "bob") }
_ = await alice.value
_ = await bob.value
print("balance after both: \(await account.balance)")

let fixed = FixedAccount()
let carol = Task { await fixed.withdraw(80, by: "carol") }
try await Task.sleep(for: .milliseconds(100))
let dave = Task { await fixed.withdraw(80, by: "dave") }
_ = await carol.value
_ = await dave.value
print("fixed balance after both: \(await fixed.balance)")

// tasklab: expect alice: balance 100 is enough for 80
// tasklab: expect bob: balance 100 is enough for 80
// tasklab: expect alice: withdrew 80, balance 20
// tasklab: expect bob: withdrew 80, balance -60
// tasklab: expect balance after both: -60
// tasklab: expect carol: reserved 80, balance 20
// tasklab: expect dave: declined, balance 20
// tasklab: expect carol: withdrew 80
// tasklab: expect fixed balance after both: 20
