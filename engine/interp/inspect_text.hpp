// Limits the inspector puts on the text of a value (engine/inspection.hpp), shared by the
// Swift and the Python renderers: how many characters of a string, how many elements of a
// collection, how deep nesting goes, and how long one value's text may grow. Everything cut
// ends in "…" so a reader sees that there is more.
#pragma once

#include <cstddef>
#include <string>

namespace tasklab::interp::inspect_limits {

inline constexpr std::size_t k_string_chars = 80;  ///< characters of a string shown
inline constexpr std::size_t k_elements = 16;      ///< elements of a list, array, dict or tuple shown
inline constexpr int k_depth = 4;                  ///< nesting levels rendered (deeper: "[…]")
inline constexpr std::size_t k_value_chars = 240;  ///< characters of a whole value's text
inline constexpr const char* k_more = "\xE2\x80\xA6";  ///< "…"

/// The first `max_chars` characters (code points) of UTF-8 `s`, plus "…" when it was longer.
inline std::string clip_chars(const std::string& s, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // a continuation byte
        if (chars == max_chars) return s.substr(0, i) + k_more;
        ++chars;
    }
    return s;
}

/// True once `out` is long enough that rendering more would be cut anyway.
inline bool full(const std::string& out) { return out.size() > k_value_chars * 4; }

}  // namespace tasklab::interp::inspect_limits
