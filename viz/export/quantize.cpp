// Median-cut quantization over an exact colour histogram (see quantize.hpp).
#include "quantize.hpp"

#include <algorithm>
#include <limits>

namespace tasklab::viz {

namespace {

struct ColorCount {
    std::uint32_t rgb = 0;    ///< 0xRRGGBB
    std::uint64_t count = 0;  ///< pixels of this colour
};

int channel(std::uint32_t rgb, int c) { return static_cast<int>((rgb >> (16 - 8 * c)) & 0xFF); }

/// A box of the median cut: a slice of the histogram.
struct Box {
    std::size_t begin = 0, end = 0;
    std::uint64_t pixels = 0;
    int widest = 0;  ///< the channel with the largest range
    int range = 0;   ///< that range
};

Box make_box(const std::vector<ColorCount>& hist, std::size_t begin, std::size_t end) {
    Box b{begin, end, 0, 0, 0};
    int lo[3] = {255, 255, 255}, hi[3] = {0, 0, 0};
    for (std::size_t i = begin; i < end; ++i) {
        b.pixels += hist[i].count;
        for (int c = 0; c < 3; ++c) {
            lo[c] = std::min(lo[c], channel(hist[i].rgb, c));
            hi[c] = std::max(hi[c], channel(hist[i].rgb, c));
        }
    }
    for (int c = 0; c < 3; ++c)
        if (hi[c] - lo[c] > b.range) {
            b.range = hi[c] - lo[c];
            b.widest = c;
        }
    return b;
}

/// The colour standing for a box: its dominant colour when it covers half the pixels, else the mean.
std::array<std::uint8_t, 3> representative(const std::vector<ColorCount>& hist, const Box& b) {
    const ColorCount* mode = &hist[b.begin];
    std::uint64_t sum[3] = {0, 0, 0};
    for (std::size_t i = b.begin; i < b.end; ++i) {
        if (hist[i].count > mode->count || (hist[i].count == mode->count && hist[i].rgb < mode->rgb)) mode = &hist[i];
        for (int c = 0; c < 3; ++c) sum[c] += static_cast<std::uint64_t>(channel(hist[i].rgb, c)) * hist[i].count;
    }
    if (mode->count * 2 >= b.pixels)
        return {static_cast<std::uint8_t>(channel(mode->rgb, 0)), static_cast<std::uint8_t>(channel(mode->rgb, 1)),
                static_cast<std::uint8_t>(channel(mode->rgb, 2))};
    std::array<std::uint8_t, 3> out{};
    for (int c = 0; c < 3; ++c) out[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((sum[c] + b.pixels / 2) / b.pixels);
    return out;
}

}  // namespace

IndexedImage quantize(const std::vector<std::uint8_t>& rgb, int width, int height, int max_colors) {
    max_colors = std::clamp(max_colors, 2, 256);
    IndexedImage out;
    out.width = std::max(width, 0);
    out.height = std::max(height, 0);
    const std::size_t n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
    std::vector<std::uint32_t> keys(n);
    for (std::size_t i = 0; i < n && 3 * i + 2 < rgb.size(); ++i)
        keys[i] = (std::uint32_t{rgb[3 * i]} << 16) | (std::uint32_t{rgb[3 * i + 1]} << 8) | rgb[3 * i + 2];

    // The exact histogram, by colour.
    std::vector<std::uint32_t> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    std::vector<ColorCount> hist;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        hist.push_back(ColorCount{sorted[i], j - i});
        i = j;
    }
    if (hist.empty()) hist.push_back(ColorCount{0, 0});
    std::vector<std::uint32_t> colors;  // the distinct colours, sorted (for lookups)
    colors.reserve(hist.size());
    for (const auto& h : hist) colors.push_back(h.rgb);

    std::vector<std::uint8_t> index_of(colors.size(), 0);  // parallel to colors
    if (hist.size() <= static_cast<std::size_t>(max_colors)) {
        for (std::size_t i = 0; i < hist.size(); ++i) {
            out.palette.push_back({static_cast<std::uint8_t>(channel(hist[i].rgb, 0)),
                                   static_cast<std::uint8_t>(channel(hist[i].rgb, 1)),
                                   static_cast<std::uint8_t>(channel(hist[i].rgb, 2))});
            index_of[i] = static_cast<std::uint8_t>(i);
        }
    } else {
        std::vector<Box> boxes{make_box(hist, 0, hist.size())};
        while (boxes.size() < static_cast<std::size_t>(max_colors)) {
            // The box with the most pixels × widest range (ties: the earlier box).
            std::size_t pick = boxes.size();
            std::uint64_t best = 0;
            for (std::size_t i = 0; i < boxes.size(); ++i) {
                const std::uint64_t score = boxes[i].pixels * static_cast<std::uint64_t>(boxes[i].range);
                if (boxes[i].end - boxes[i].begin > 1 && score > best) {
                    best = score;
                    pick = i;
                }
            }
            if (pick == boxes.size()) break;  // every box is one colour
            const Box b = boxes[pick];
            const int c = b.widest;
            std::sort(hist.begin() + static_cast<std::ptrdiff_t>(b.begin), hist.begin() + static_cast<std::ptrdiff_t>(b.end),
                      [c](const ColorCount& x, const ColorCount& y) {
                          const int cx = channel(x.rgb, c), cy = channel(y.rgb, c);
                          return cx != cy ? cx < cy : x.rgb < y.rgb;
                      });
            // Split at the pixel-weighted median, keeping both halves non-empty.
            std::uint64_t acc = 0;
            std::size_t cut = b.begin + 1;
            for (std::size_t i = b.begin; i < b.end; ++i) {
                acc += hist[i].count;
                if (acc * 2 >= b.pixels) {
                    cut = i + 1;
                    break;
                }
            }
            cut = std::clamp(cut, b.begin + 1, b.end - 1);
            boxes[pick] = make_box(hist, b.begin, cut);
            boxes.push_back(make_box(hist, cut, b.end));
        }
        for (const Box& b : boxes) out.palette.push_back(representative(hist, b));
        // Each distinct colour to its nearest palette entry (ties: the lower index).
        for (std::size_t i = 0; i < colors.size(); ++i) {
            int best = std::numeric_limits<int>::max();
            for (std::size_t p = 0; p < out.palette.size(); ++p) {
                int d = 0;
                for (int c = 0; c < 3; ++c) {
                    const int e = channel(colors[i], c) - out.palette[p][static_cast<std::size_t>(c)];
                    d += e * e;
                }
                if (d < best) {
                    best = d;
                    index_of[i] = static_cast<std::uint8_t>(p);
                }
            }
        }
    }
    out.pixels.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        out.pixels[i] = index_of[static_cast<std::size_t>(std::lower_bound(colors.begin(), colors.end(), keys[i]) - colors.begin())];
    return out;
}

}  // namespace tasklab::viz
