// FNV-1a hashing with UInt64 wrap-around multiplication, and other unsigned bookkeeping:
// a byte sum that stays in UInt8, squares summed as UInt32, seconds turned into nanoseconds.
import Foundation

func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 14695981039346656037
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 1099511628211
    }
    return hash
}

let h = fnv1a([104, 105])
print(h, String(h, radix: 16))
let counts: [UInt8] = [1, 2, 250]
print(counts.reduce(0, +), counts.map { Int($0) * 2 }, counts.reduce(0, &+))
var total: UInt32 = 0
for i in 1...5 { total += UInt32(i * i) }
print(total, total.isMultiple(of: 5), total << 28)
let seconds = 1.5
let ns = UInt64(seconds * 1_000_000_000)
print(ns, ns / 1_000_000, min(ns, 10), max(UInt8(3), 4))
