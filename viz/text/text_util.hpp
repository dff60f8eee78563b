// Small text helpers shared by the exporters: padding and clipping by terminal cells, and
// quoting for logs. Widths are counted with display_width(), so Korean text and emoji line up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scenarios/source.hpp"

namespace tasklab::text {

/// Length in bytes of the UTF-8 sequence that starts with byte `c` (1 for stray bytes).
[[nodiscard]] inline std::size_t utf8_length(unsigned char c) {
    if (c >= 0xF0) return 4;
    if (c >= 0xE0) return 3;
    if (c >= 0xC0) return 2;
    return 1;
}

/// `s` followed by spaces up to `width` cells (unchanged when already as wide).
[[nodiscard]] inline std::string pad_right(std::string_view s, std::uint32_t width) {
    std::string out(s);
    const std::uint32_t w = display_width(s);
    if (w < width) out.append(width - w, ' ');
    return out;
}

/// Spaces up to `width` cells, then `s`.
[[nodiscard]] inline std::string pad_left(std::string_view s, std::uint32_t width) {
    const std::uint32_t w = display_width(s);
    std::string out;
    if (w < width) out.append(width - w, ' ');
    out.append(s);
    return out;
}

/// `s` cut to at most `width` cells, ending in "…" when something was cut. Never splits a
/// code point; combining marks that follow a kept character stay with it.
[[nodiscard]] inline std::string clip(std::string_view s, std::uint32_t width) {
    if (display_width(s) <= width) return std::string(s);
    if (width == 0) return {};
    std::string out;
    std::uint32_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(static_cast<unsigned char>(s[i]));
        const std::string_view cp = s.substr(i, n);
        const std::uint32_t w = display_width(cp);
        if (used + w > width - 1) break;
        out.append(cp);
        used += w;
        i += n;
    }
    out.append("…");
    return out;
}

/// The family of a lane name: the name without a trailing instance number, so that
/// "downloadImage #12" and "downloadImage #13" are alike and "poller" and "checker" are not.
[[nodiscard]] inline std::string_view family_name(std::string_view name) {
    std::size_t end = name.size();
    while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9') --end;
    if (end == name.size()) return name;
    while (end > 0 && (name[end - 1] == '#' || name[end - 1] == ' ')) --end;
    return name.substr(0, end);
}

/// `s` in double quotes with backslash escapes for quotes, backslashes and control
/// characters (UTF-8 text passes through unchanged).
[[nodiscard]] inline std::string quoted(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

}  // namespace tasklab::text
