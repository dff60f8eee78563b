// Stand-in for URLSession, compiled next to a scenario that uses `URLSession.shared.data(from:)`.
//
// Foundation on Linux keeps URLSession in FoundationNetworking, and the oracle never touches the
// network: this declaration (the module's own, so it shadows Foundation's) waits the scenario's
// `// tasklab: latency URLSession.data …` (tasklab_latency.swift, written by the oracle) and
// returns 1,024 bytes, as tasklab's model does. A cancel, before or during the wait, makes it
// throw `URLError(.cancelled)`.
import Foundation

final class URLResponse: Sendable {}

final class URLSession: Sendable {
    static let shared = URLSession()

    func data(from url: URL) async throws -> (Data, URLResponse) {
        let latency = UInt64.random(in: tasklabLatencyNanoseconds)
        do {
            try await Task.sleep(nanoseconds: latency)
        } catch {
            throw URLError(.cancelled)
        }
        return (Data(count: 1024), URLResponse())
    }
}
