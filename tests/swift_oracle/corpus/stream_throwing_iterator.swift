// AsyncThrowingStream: buffered values first, then the error of finish(throwing:); an iterator's next().
import Foundation

struct Broken: Error {}

let stream = AsyncThrowingStream<Int, Error> { continuation in
    continuation.onTermination = { _ in print("terminated") }
    continuation.yield(1)
    continuation.yield(2)
    continuation.finish(throwing: Broken())
}

var iterator = stream.makeAsyncIterator()
print(try await iterator.next() as Any)
do {
    while let x = try await iterator.next() {
        print("next \(x)")
    }
} catch {
    print("caught \(error)")
}
print(try await iterator.next() as Any)
