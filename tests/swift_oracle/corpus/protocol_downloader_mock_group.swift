// A protocol with a mock conformance, used in a task group: the default implementation in the
// protocol extension calls the conforming type's requirement.
protocol Downloader {
    var name: String { get }
    func download(_ id: Int) async throws -> String
}

extension Downloader {
    func downloadAll(_ ids: [Int]) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for id in ids {
                group.addTask { try await download(id) }
            }
            var files: [String] = []
            for try await file in group {
                print("\(name) finished \(file)")
                files.append(file)
            }
            return files
        }
    }
}

struct MockDownloader: Downloader {
    let name = "mock"
    func download(_ id: Int) async throws -> String {
        try await Task.sleep(for: .milliseconds(150 * id))
        return "file\(id)"
    }
}

struct FailingDownloader: Downloader {
    var name: String { "failing" }
    func download(_ id: Int) async throws -> String {
        try await Task.sleep(for: .milliseconds(200 * id))
        throw DownloadError(id: id)
    }
}

struct DownloadError: Error {
    let id: Int
}

let downloaders: [any Downloader] = [MockDownloader(), FailingDownloader()]
for d in downloaders {
    do {
        let files = try await d.downloadAll([3, 1, 2])
        print("\(d.name): \(files)")
    } catch {
        print("\(d.name) failed: \(error)")
    }
}
