// Text as the visualizer draws it: emoji moved into the Private Use Area.
//
// ImGui 1.86 from Debian keeps glyph ids in 16 bits, so a glyph above U+FFFF (🟡 🛑 🧹) cannot be
// in its font atlas. display_text() rewrites text for display: emoji U+1F000…U+1FAFF become
// U+E000…; BMP symbols that look like emoji (✅ ❌ ✨ ⭐ ⛔, or any symbol followed by the
// variation selector U+FE0F, ⚠️ ➡️) become U+EC00…; variation selectors, joiners and skin tones
// are dropped; keycaps 1️⃣ become ➊. The theme (viz/theme.cpp) puts a custom glyph at each
// such id: the colour emoji itself. A plain symbol stays itself (⚠ is the timeline's warning
// mark; U+FE0E asks for the plain form of ✅).
//
// Pure C++: no ImGui (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tasklab::viz {

/// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
[[nodiscard]] std::vector<std::uint32_t> decode_utf8(std::string_view utf8);

/// The text rewritten for display (see the file comment); the input unchanged when nothing
/// needs rewriting.
[[nodiscard]] std::string display_text(std::string_view utf8);

/// True for a Private Use Area id that display_text() gave an emoji; `cp` is set to the
/// emoji's code point.
[[nodiscard]] bool pua_emoji(std::uint32_t pua, std::uint32_t& cp);

/// True for a BMP symbol whose default look is an emoji (Unicode's Emoji_Presentation, minus
/// the media keys ⏩⏪⏫⏬ that the UI draws as plain symbols): ✅ ❌ ✨ ⭐ ⛔ …
[[nodiscard]] bool emoji_by_default(std::uint32_t cp);

}  // namespace tasklab::viz
