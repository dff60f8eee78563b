// tasklab: title cancelAll() after 10 images — a version that keeps them
// tasklab: latency URLSession.data 1s..3s
// tasklab: seed 3
//
// The corrected form of seed 003's cancelAll() example. Each child turns its own failure into
// nil (`try?`), so no error reaches the group body; after the tenth image the body cancels the
// rest and leaves the loop. When the body returns, the group waits for the cancelled children
// to finish (they stop at once) and returns the ten images.
import Foundation

struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}

let url = "https://picsum.photos/200/300"

func downloadImage(from url: String) async throws -> UIImage {
    try Task.checkCancellation()
    let url = URL(string: url)!
    let (data, _) = try await URLSession.shared.data(from: url)
    guard let image = UIImage(data: data) else {
        throw URLError(.cannotDecodeContentData)
    }
    return image
}

func downloadImages() async -> [UIImage] {
    await withTaskGroup(of: UIImage?.self) { group in
        for _ in 0..<1_000 {
            group.addTask {
                try? await downloadImage(from: url)
            }
        }

        var images: [UIImage] = []
        for await image in group {
            guard let image else { continue }
            images.append(image)
            if images.count == 10 {
                // tasklab: note Cancel the rest and stop consuming: returning from the body waits for the cancelled children.
                group.cancelAll()
                break
            }
        }
        return images
    }
}

Task {
    let images = await downloadImages()
    print("downloadImages() → \(images.count) images")
}

try await Task.sleep(for: .seconds(5))

// tasklab: expect downloadImages() → 10 images
