// Each of 2,000 "a"s becomes a million bytes: a 2 GB result, refused before it is built.
import Foundation
let s = String(repeating: "a", count: 2000)
print(s.replacingOccurrences(of: "a", with: String(repeating: "b", count: 1_000_000)).count)
