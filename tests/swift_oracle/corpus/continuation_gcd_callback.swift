// A callback API bridged to async code: the continuation is resumed from a GCD block.
import Foundation

func fetchScore(for name: String, completion: @escaping (Int) -> Void) {
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
        print("callback for \(name)")
        completion(name.count * 10)
    }
}

func score(for name: String) async -> Int {
    await withCheckedContinuation { continuation in
        fetchScore(for: name) { value in
            continuation.resume(returning: value)
        }
        print("body returned, \(name) waits")
    }
}

let a = await score(for: "ada")
print("ada: \(a)")
let b = await score(for: "grace")
print("grace: \(b)")
