// The Swift book's async let example, with sleeps standing in for downloads.
func downloadPhoto(named name: String, ms: Int) async -> String {
    try? await Task.sleep(for: .milliseconds(ms))
    print("downloaded \(name)")
    return name
}

async let first = downloadPhoto(named: "a", ms: 300)
async let second = downloadPhoto(named: "b", ms: 100)
async let third = downloadPhoto(named: "c", ms: 500)

let photos = await [first, second, third]
print(photos)
