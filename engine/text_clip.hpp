// clip_utf8: cuts a text the trace keeps (an error's repr, a caught exception) to about `n`
// bytes without splitting a UTF-8 sequence, and marks the cut with "…". The interpreters and
// the asyncio model all clip with it, so a long text is cut the same way in every event.
#pragma once

#include <cstddef>
#include <string>

namespace tasklab {

[[nodiscard]] inline std::string clip_utf8(std::string s, std::size_t n = 120) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

}  // namespace tasklab
