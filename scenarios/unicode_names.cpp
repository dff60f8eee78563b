#include "unicode_names.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace tasklab::python {

namespace {

struct NamedCodePoint {
    const char* name;
    std::uint32_t code_point;
};

constexpr NamedCodePoint k_names[] = {
#include "unicode_names_table.inc"
};

// Unicode's rule for Hangul syllable names (chapter 3.12): initial, medial and final jamo.
constexpr std::array<std::string_view, 19> k_initials = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S",
                                                          "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
constexpr std::array<std::string_view, 21> k_medials = {"A",  "AE", "YA", "YAE", "EO", "E",  "YEO", "YE", "O",  "WA", "WAE",
                                                         "OE", "YO", "U",  "WEO", "WE", "WI", "YU",  "EU", "YI", "I"};
constexpr std::array<std::string_view, 28> k_finals = {"",  "G",  "GG", "GS", "N",  "NJ", "NH", "D", "L", "LG",
                                                        "LM", "LB", "LS", "LT", "LP", "LH", "M",  "B", "BS", "S",
                                                        "SS", "NG", "J",  "C",  "K",  "T",  "P",  "H"};

bool hangul_syllable(std::string_view rest, std::uint32_t& out) {
    for (std::size_t l = 0; l < k_initials.size(); ++l) {
        if (rest.substr(0, k_initials[l].size()) != k_initials[l]) continue;
        const std::string_view a = rest.substr(k_initials[l].size());
        for (std::size_t v = 0; v < k_medials.size(); ++v) {
            if (a.substr(0, k_medials[v].size()) != k_medials[v]) continue;
            const std::string_view b = a.substr(k_medials[v].size());
            for (std::size_t t = 0; t < k_finals.size(); ++t) {
                if (b != k_finals[t]) continue;
                out = static_cast<std::uint32_t>(0xAC00 + (l * 21 + v) * 28 + t);
                return true;
            }
        }
    }
    return false;
}

bool cjk_ideograph(std::string_view hex, std::uint32_t& out) {
    if (hex.size() < 4 || hex.size() > 5) return false;
    std::uint32_t v = 0;
    for (const char c : hex) {
        if (c >= '0' && c <= '9') v = v * 16 + static_cast<std::uint32_t>(c - '0');
        else if (c >= 'A' && c <= 'F') v = v * 16 + static_cast<std::uint32_t>(c - 'A' + 10);
        else return false;
    }
    // The CJK Unified Ideographs blocks of Unicode 14.0.
    constexpr std::pair<std::uint32_t, std::uint32_t> k_blocks[] = {
        {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B738}, {0x2B740, 0x2B81D},
        {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x30000, 0x3134A}};
    for (const auto& [lo, hi] : k_blocks)
        if (v >= lo && v <= hi) {
            out = v;
            return true;
        }
    return false;
}

}  // namespace

bool unicode_lookup(std::string_view name, std::uint32_t& code_point) {
    std::string upper(name);
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const std::string_view u = upper;
    if (u.substr(0, 16) == "HANGUL SYLLABLE ") return hangul_syllable(u.substr(16), code_point);
    if (u.substr(0, 22) == "CJK UNIFIED IDEOGRAPH-") return cjk_ideograph(u.substr(22), code_point);
    const auto* end = std::end(k_names);
    const auto* it = std::lower_bound(std::begin(k_names), end, u, [](const NamedCodePoint& n, std::string_view key) { return std::string_view(n.name) < key; });
    if (it == end || std::string_view(it->name) != u) return false;
    code_point = it->code_point;
    return true;
}

}  // namespace tasklab::python
