// tasklab: title cancelAll() after 10 images — what really happens
// tasklab: latency URLSession.data 1s..3s
// tasklab: seed 3
//
// Seed 003 starts 1,000 downloads and calls `group.cancelAll()` once 10 images have arrived,
// meaning to return the images received so far. That is not what the real runtime does: the
// cancelled children throw URLError(.cancelled), the next turn of `for try await` rethrows the
// first of those errors, and downloadImages() throws instead of returning. The `try?` in the
// caller turns that into nil: every image is lost. See cancel_all_fixed.swift for a version
// that returns what it received. The downloads end milliseconds apart, so a real run may let
// one or two more finish before the cancel: the number of cancelled downloads it prints is not
// promised, only that the cancelled ones print and that every image is lost.
import Foundation

struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}

let url = "https://picsum.photos/200/300"

func downloadImage(from url: String) async throws -> UIImage {
    do {
        try Task.checkCancellation()
        let url = URL(string: url)!
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let image = UIImage(data: data) else {
            throw URLError(.cannotDecodeContentData)
        }
        return image
    } catch {
        print("🟡 작업이 취소되었습니다.")
        throw error
    }
}

func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in
        for _ in 0..<1_000 {
            group.addTask {
                try await downloadImage(from: url)
            }
        }

        var images: [UIImage] = []

        // tasklab: note-at throw After cancelAll() the next child to finish is a cancelled one: `for try await` rethrows its URLError.
        for try await image in group {
            if images.count == 10 {
                // tasklab: note 1️⃣ cancelAll() cancels the 989 downloads still in flight; the group owner itself is not cancelled.
                group.cancelAll()  // 1️⃣ `cancelAll()` 호출 및 작업 취소 전파
            }

            images.append(image)
        }
        return images
    }
}

Task {
    if let images = try? await downloadImages() {
        print("downloadImages() → \(images.count) images")
    } else {
        // tasklab: note The error left the group body, so downloadImages() threw and try? turned it into nil: every image is lost.
        print("downloadImages() threw: every image is lost")
    }
}

try await Task.sleep(for: .seconds(5))

// tasklab: expect-repeat 989 🟡 작업이 취소되었습니다.
// tasklab: expect downloadImages() threw: every image is lost
