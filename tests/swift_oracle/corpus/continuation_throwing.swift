// withCheckedThrowingContinuation: resume(throwing:) from another task, resume(with:) a Result.
import Foundation

struct NotFound: Error {}

func lookup(_ key: String) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Task {
            try? await Task.sleep(for: .milliseconds(200))
            if key == "missing" {
                continuation.resume(throwing: NotFound())
            } else {
                continuation.resume(returning: key.uppercased())
            }
        }
    }
}

func lookupResult(_ ok: Bool) async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
        let result: Result<Int, Error> = ok ? .success(42) : .failure(NotFound())
        continuation.resume(with: result)
    }
}

print(try await lookup("swift"))
do {
    _ = try await lookup("missing")
} catch {
    print("caught \(error)")
}
print(try await lookupResult(true))
do {
    _ = try await lookupResult(false)
} catch {
    print("caught again \(error)")
}
let r: Result<Int, Error> = .success(7)
print(r, try r.get())
