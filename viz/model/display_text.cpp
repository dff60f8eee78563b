// Text rewritten for ImGui 1.86's 16-bit glyph ids: emoji moved into the Private Use Area.
#include "display_text.hpp"

#include <algorithm>
#include <iterator>

#include "scenarios/source.hpp"

namespace tasklab::viz {

namespace {

constexpr std::uint32_t k_emoji_first = 0x1F000;
constexpr std::uint32_t k_emoji_last = 0x1FAFF;
constexpr std::uint32_t k_pua_first = 0xE000;
// BMP code points drawn as emoji (see emoji_by_default) move to a second PUA block.
constexpr std::uint32_t k_bmp_emoji_first = 0x2000;
constexpr std::uint32_t k_bmp_emoji_last = 0x2BFF;
constexpr std::uint32_t k_bmp_pua_first = 0xEC00;
constexpr std::uint32_t k_pua_emoji_end = k_pua_first + (k_emoji_last - k_emoji_first + 1);  // 0xEB00
static_assert(k_pua_emoji_end <= k_bmp_pua_first);
static_assert(k_bmp_pua_first + (k_bmp_emoji_last - k_bmp_emoji_first) <= 0xF8FF);

}  // namespace

bool pua_emoji(std::uint32_t pua, std::uint32_t& cp) {
    if (pua >= k_pua_first && pua < k_pua_emoji_end) {
        cp = pua - k_pua_first + k_emoji_first;
        return true;
    }
    if (pua >= k_bmp_pua_first && pua <= k_bmp_pua_first + (k_bmp_emoji_last - k_bmp_emoji_first)) {
        cp = pua - k_bmp_pua_first + k_bmp_emoji_first;
        return true;
    }
    return false;
}

bool emoji_by_default(std::uint32_t cp) {
    static constexpr std::uint32_t single[] = {0x231A, 0x231B, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
                                               0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4,
                                               0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA,
                                               0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2753,
                                               0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF,
                                               0x2B1B, 0x2B1C, 0x2B50, 0x2B55};
    if (cp >= 0x2648 && cp <= 0x2653) return true;  // the zodiac
    return std::find(std::begin(single), std::end(single), cp) != std::end(single);
}

std::vector<std::uint32_t> decode_utf8(std::string_view s) {
    std::vector<std::uint32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = 0xFFFD;
        std::size_t n = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
            n = 2;
        } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
            n = 3;
        } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
            cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
                 ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
            n = 4;
        }
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string display_text(std::string_view utf8) {
    bool plain = true;
    for (char ch : utf8)
        if (static_cast<unsigned char>(ch) >= 0xE2) {
            plain = false;
            break;
        }
    if (plain) return std::string(utf8);
    const std::vector<std::uint32_t> cps = decode_utf8(utf8);
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const std::uint32_t cp = cps[i];
        // Keycaps: digit (FE0F) U+20E3 → a negative circled digit (➊…➒, ⓿).
        if (cp >= '0' && cp <= '9') {
            std::size_t j = i + 1;
            if (j < cps.size() && cps[j] == 0xFE0F) ++j;
            if (j < cps.size() && cps[j] == 0x20E3) {
                append_utf8(out, cp == '0' ? 0x24FFu : 0x278Au + (cp - '1'));
                i = j;
                continue;
            }
        }
        if (cp >= k_bmp_emoji_first && cp <= k_bmp_emoji_last &&
            (emoji_by_default(cp) || (i + 1 < cps.size() && cps[i + 1] == 0xFE0F))) {
            if (!(i + 1 < cps.size() && cps[i + 1] == 0xFE0E)) {  // U+FE0E asks for the plain symbol
                append_utf8(out, k_bmp_pua_first + (cp - k_bmp_emoji_first));
                continue;
            }
        }
        if (cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || cp == 0x20E3) continue;
        if (cp >= 0x1F3FB && cp <= 0x1F3FF) continue;  // skin tones
        if (cp >= k_emoji_first && cp <= k_emoji_last) {
            append_utf8(out, k_pua_first + (cp - k_emoji_first));
            continue;
        }
        append_utf8(out, cp > 0xFFFF ? 0xFFFDu : cp);
    }
    return out;
}

}  // namespace tasklab::viz
