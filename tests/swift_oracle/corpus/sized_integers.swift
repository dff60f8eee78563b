// Sized integer types: their ranges, conversions that trap, return nil, wrap or clamp,
// the overflow operators, bitwise operators with Swift's precedence, and radix text.
import Foundation

let reading = 200
print(Int8.max, Int8.min, UInt8.max, Int16.min, UInt16.max, Int32.max, UInt32.max)
print(UInt8(reading), Int8(exactly: reading) as Any, UInt8(exactly: reading) as Any)
print(UInt8(truncatingIfNeeded: 300), UInt8(clamping: -5), Int8(clamping: reading))
print(Int(exactly: 2.5) as Any, UInt64(exactly: 3.0) as Any, Int8(-128.9))

var flags: UInt8 = 0b0000_0001
flags <<= 3
flags |= 0b1
print(flags, String(flags, radix: 2), flags.nonzeroBitCount, flags.leadingZeroBitCount, flags.trailingZeroBitCount)
flags ^= 0xFF
print(flags, ~flags, flags & 0x0F, flags.bitWidth)

let a: UInt8 = 250
print(a &+ 10, Int8(-128) &- 1, Int32.max &* 2, UInt8(0) &- 1)
print(1 << 3 * 2, 6 & 3 + 1, 6 | 1 * 2, 5 ^ 1 + 1, -16 >> 2, 1 << 70, 1 &<< 65)
print(String(255, radix: 16), String(-255, radix: 2), String(48879, radix: 16, uppercase: true))
print(Int("ff", radix: 16) as Any, Int("12z") as Any, UInt8("256") as Any, Int8("-128") as Any)
let mask = UInt32(0xFFFF_0000)
print(mask >> 16, mask.leadingZeroBitCount, UInt32.max.nonzeroBitCount)
print(type(of: a + 1), type(of: mask >> 16), Int.min.magnitude)
