// A million small arrays: the message counts the arrays alive, not the list that holds them.
// tasklab: limit memory 64MB
var xs: [[Int]] = []
for i in 0..<1_000_000 { xs.append([i, i, i]) }
print(xs.count)
