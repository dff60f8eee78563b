// Doubling a string forty times asks for a terabyte: the allocation that would pass the
// memory limit is refused before it is made.
// tasklab: limit memory 64MB
var s = "ab"
for _ in 0..<40 { s += s }
print(s.count)
