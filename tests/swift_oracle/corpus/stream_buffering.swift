// Buffering policies: bufferingNewest keeps the last values, bufferingOldest the first.
let newest = AsyncStream<Int>(bufferingPolicy: .bufferingNewest(2)) { continuation in
    for n in 1...4 { print("newest yield \(n): \(continuation.yield(n))") }
    continuation.finish()
}
for await n in newest { print("newest got \(n)") }

let oldest = AsyncStream<Int>(bufferingPolicy: .bufferingOldest(2)) { continuation in
    for n in 1...4 { print("oldest yield \(n): \(continuation.yield(n))") }
    continuation.finish()
}
for await n in oldest { print("oldest got \(n)") }

let unbounded = AsyncStream<String> { continuation in
    print(continuation.yield("a"))
    continuation.finish()
}
for await s in unbounded { print(s) }
