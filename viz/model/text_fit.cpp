// Cutting a label to a width at a code point boundary.
#include "text_fit.hpp"

#include <vector>

namespace tasklab::viz {

namespace {
constexpr std::string_view k_ellipsis = "\u2026";
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

FittedText fit_text(std::string_view label, float max_width, const MeasureText& measure) {
    if (label.empty() || measure(label) <= max_width) return {std::string(label), false};
    // Code point boundaries, then the longest prefix whose "prefix…" fits (binary search:
    // widths grow with the prefix).
    std::vector<std::size_t> ends;
    for (std::size_t i = 1; i <= label.size(); ++i)
        if (i == label.size() || !continuation(label[i])) ends.push_back(i);
    auto with_ellipsis = [&](std::size_t end) {
        std::string_view prefix = label.substr(0, end);
        while (!prefix.empty() && prefix.back() == ' ') prefix.remove_suffix(1);
        return std::string(prefix) + std::string(k_ellipsis);
    };
    // The answer is the count of code points kept: fewer than all (the whole label did not fit).
    std::size_t lo = 0, hi = ends.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi + 1) / 2;
        if (measure(with_ellipsis(ends[mid - 1])) <= max_width) lo = mid;
        else hi = mid - 1;
    }
    return {lo == 0 ? std::string(k_ellipsis) : with_ellipsis(ends[lo - 1]), true};
}

}  // namespace tasklab::viz
