// Resuming a checked continuation twice traps: the program stops at the second resume.
import Foundation

func twice() async -> Int {
    await withCheckedContinuation { continuation in
        continuation.resume(returning: 1)
        print("resumed once")
        continuation.resume(returning: 2)
        print("never printed")
    }
}

print("start")
let v = await twice()
print("never printed either: \(v)")
// tasklab: expect start
// tasklab: expect resumed once
