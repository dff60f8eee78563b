// Stand-in for UIKit's UIImage, compiled next to a scenario that uses UIImage without declaring
// it: an image made from any data, as tasklab's model has it.
import Foundation

struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}
