// UInt64 where teachers meet it: nanosecond arithmetic for Task.sleep and DispatchTime.
// The value past Int64.max prints in full, and the elapsed time is checked, not printed.
import Foundation

func pause(seconds: Double) async throws {
    try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
}

func nanoseconds(_ ns: UInt64) -> String { "\(ns / 1_000_000) ms" }

let start = DispatchTime.now().uptimeNanoseconds
try await pause(seconds: 0.3)
let elapsed = DispatchTime.now().uptimeNanoseconds - start
print("slept at least 300 ms: \(elapsed >= 300_000_000)")
print(nanoseconds(1_500_000_000))

let big = UInt64(Int64.max) + 1
print(big, UInt64.max, UInt64.max - big)
print(type(of: big), type(of: elapsed))
let jitter = UInt64.random(in: 1...5_000_000)
print("jitter in range: \((1...5_000_000).contains(jitter))")
try await Task.sleep(nanoseconds: jitter)
print("done")
