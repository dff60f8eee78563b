// Arithmetic on a UInt8 traps when the sum leaves 0...255: the run stops at the overflow.
var level: UInt8 = 250
for step in 1...10 {
    level += 2
    print("step \(step): \(level)")
}
print("never printed")
