// tasklab: title 명시적 취소 — task.cancel() reaches every async let child
// tasklab: latency URLSession.data 2s
//
// Seed 003, "명시적 취소 전파": three `async let` downloads inside a task that an outer Task
// cancels after 1 s. The cancel travels down the tree to all three children, which throw at
// their network call; the first error leaves downloadImages(), whose scope then cancels and
// awaits the other bindings.
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

func downloadImages() async throws -> [UIImage] {  // 2️⃣ 작업 취소 전파 수신 및 하위 작업에 다시 전파
    async let image1: UIImage = downloadImage(from: url)
    async let image2: UIImage = downloadImage(from: url)
    async let image3: UIImage = downloadImage(from: url)

    // tasklab: note-at end 3️⃣ Awaiting image1 rethrows its URLError; image2 and image3 are cancelled and awaited as the scope exits.
    return try await [image1, image2, image3] // 3️⃣ 작업 취소 및 예외 throw
}

Task {
    let task = Task {
        do {
            _ = try await downloadImages()
        } catch {
            print("🟡 Task: 작업이 취소되었습니다.")
        }
    }

    try await Task.sleep(for: .seconds(1))
    // tasklab: note 1️⃣ An explicit cancel: the flag is set and the three async let children are cancelled at once.
    task.cancel() // 1️⃣ `cancel()` 호출 및 작업 취소 전파
}

try await Task.sleep(for: .seconds(3))

// tasklab: expect 🟡 작업이 취소되었습니다.
// tasklab: expect 🟡 작업이 취소되었습니다.
// tasklab: expect 🟡 작업이 취소되었습니다.
// tasklab: expect 🟡 Task: 작업이 취소되었습니다.
