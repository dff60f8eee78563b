// Virtual time: the only clock tasklab knows.
//
// A Tick is one nanosecond of virtual time held in a signed 64-bit integer (about 292
// years of range). Nothing in the engine reads a real clock; ordinary statements take
// zero ticks, and time moves only when the scheduler jumps to the next timer.
#pragma once

#include <cstdint>
#include <string>

namespace tasklab {

using Tick = std::int64_t;

inline constexpr Tick k_nanosecond = 1;
inline constexpr Tick k_microsecond = 1'000;
inline constexpr Tick k_millisecond = 1'000'000;
inline constexpr Tick k_second = 1'000'000'000;

/// "0.000s", "1.250s", "12.000s": seconds with millisecond precision, or finer digits
/// when the value needs them ("0.000500s").
std::string format_time(Tick t);
/// A duration as a person writes it: "1s", "250ms", "1.5s", "20us", "7ns".
std::string format_duration(Tick d);

}  // namespace tasklab
