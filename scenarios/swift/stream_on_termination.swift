// tasklab: title AsyncStream — onTermination stops the producer when the consumer is cancelled
//
// A stream does not own the task that feeds it. When the task reading the stream is cancelled,
// the stream ends: its next() returns nil, so the `for await` loop simply stops, and the stream
// calls onTermination(.cancelled) inside cancel(). That closure is the one place that hears of
// the cancel, so it must cancel the producer: otherwise the producer runs on, yielding into a
// stream nobody reads (each yield returns .terminated). The producer and the consumer both
// react at the cancel instant; a real run may print their two lines in either order.

let readings = AsyncStream<Int> { continuation in
    let producer = Task {
        var n = 0
        while true {
            do {
                try await Task.sleep(for: .milliseconds(300))
            } catch {
                // tasklab: note The producer's sleep throws at the cancel instant: it stops.
                print("producer: sleep threw \(error), stopping")
                return
            }
            n += 1
            print("producer: yield \(n)")
            continuation.yield(n)
        }
    }
    continuation.onTermination = { reason in
        // tasklab: note onTermination runs inside the consumer's cancel(), before it returns.
        print("onTermination(\(reason)): cancelling the producer")
        producer.cancel()
    }
}

let consumer = Task {
    // tasklab: note The consumer waits in next() between readings.
    for await value in readings {
        print("consumer: got \(value)")
    }
    // tasklab: note A cancelled consumer is not thrown at: next() returns nil and the loop ends.
    print("consumer: the loop ended, isCancelled = \(Task.isCancelled)")
}

try await Task.sleep(for: .milliseconds(1000))
print("main: cancelling the consumer")
consumer.cancel()
print("main: cancel() returned")
await consumer.value
try await Task.sleep(for: .milliseconds(500))
print("main: done")

// tasklab: expect producer: yield 1
// tasklab: expect consumer: got 1
// tasklab: expect producer: yield 2
// tasklab: expect consumer: got 2
// tasklab: expect producer: yield 3
// tasklab: expect consumer: got 3
// tasklab: expect main: cancelling the consumer
// tasklab: expect onTermination(cancelled): cancelling the producer
// tasklab: expect main: cancel() returned
// tasklab: expect producer: sleep threw CancellationError(), stopping
// tasklab: expect consumer: the loop ended, isCancelled = true
// tasklab: expect main: done
