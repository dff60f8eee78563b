// Converting a negative Int to UInt64 traps (Swift checks the conversion at run time).
func remaining(deadline: Int, now: Int) -> UInt64 {
    UInt64(deadline - now)
}
print(remaining(deadline: 500, now: 200))
print(UInt64(exactly: 200 - 500) as Any)
print(remaining(deadline: 200, now: 500))
print("never printed")
