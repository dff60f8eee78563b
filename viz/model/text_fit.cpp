// Cutting a label to a width at a code point boundary.
#include "text_fit.hpp"

#include <vector>

namespace tasklab::viz {

namespace {
constexpr std::string_view k_ellipsis = "\u2026";
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

/// The " #3" that tells apart lanes of one call made in a loop: kept when the label is cut.
std::string_view number_suffix(std::string_view label) {
    std::size_t i = label.size();
    while (i > 0 && label[i - 1] >= '0' && label[i - 1] <= '9') --i;
    if (i == label.size() || i < 3 || label[i - 1] != '#' || label[i - 2] != ' ') return {};
    return label.substr(i - 2);
}

FittedText fit_text(std::string_view label, float max_width, const MeasureText& measure) {
    if (label.empty() || measure(label) <= max_width) return {std::string(label), false};
    // "downloadImage(from: url) #3" cut keeps its number: "downloadImage(fr… #3".
    if (const std::string_view suffix = number_suffix(label); !suffix.empty()) {
        const std::string_view head = label.substr(0, label.size() - suffix.size());
        const float suffix_w = measure(suffix);
        if (suffix_w < max_width * 0.5f) {
            FittedText f = fit_text(head, max_width - suffix_w, measure);
            f.text += suffix;
            f.cut = true;
            return f;
        }
    }
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
