// tasklab: title 암시적 취소 — a failing child cancels its siblings (withThrowingTaskGroup)
// tasklab: latency URLSession.data 2s
//
// Seed 003, "암시적 취소 전파": three children download in a throwing task group; the middle
// one fails after 1 s. The parent's `for try await` receives the error and the group cancels
// the two downloads still in flight, which notice at their network call.
import Foundation

// Stand-in for UIKit's UIImage, so the file also builds on Linux.
struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}

let url = "https://picsum.photos/200/300"

func downloadImage(from url: String) async throws -> UIImage {
    do {
        try Task.checkCancellation()  // 👈 네트워크 전에 취소 상태 확인
        let url = URL(string: url)!
        // tasklab: note The download waits 2 s on the network: a cancellable suspension point.
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let image = UIImage(data: data) else {
            throw URLError(.cannotDecodeContentData)
        }
        return image
    } catch {
        // tasklab: note Cancelled: URLSession threw URLError(.cancelled) the moment the group cancelled this child.
        print("🟡 작업이 취소되었습니다.")
        throw error
    }
}

func faileDownloadImage() async throws -> UIImage {
    try await Task.sleep(for: .seconds(1))
    // tasklab: note 1️⃣ This child throws after 1 s.
    throw CancellationError()
}

func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in
        group.addTask {
            try await downloadImage(from: url)
        }
        group.addTask {
            try await faileDownloadImage() // 2️⃣ 예외 발생 및 상위 작업으로 throw
        }
        group.addTask { // 3️⃣ (실행 중인) 하위 작업에 취소 전파
            try await downloadImage(from: url)
        }

        var images: [UIImage] = []
        // tasklab: note The parent waits here for results. At 1 s it receives the failing child's error and rethrows it: an error leaving the body cancels the group (2️⃣).
        for try await image in group { // 1️⃣ 하위 작업이 던진 예외 받음
            images.append(image)
        }
        return images
    }
}

Task { try? await downloadImages() }

// tasklab: note A script ends when its top-level code returns; an app would keep running. Wait 3 s so the tasks can finish.
try await Task.sleep(for: .seconds(3))

// tasklab: expect 🟡 작업이 취소되었습니다.
// tasklab: expect 🟡 작업이 취소되었습니다.
