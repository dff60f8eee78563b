// Reducing a picture to at most 256 colours for a GIF frame, deterministically.
//
// A frame of the visualizer is mostly flat theme colours (backgrounds, lane bars, text) plus
// the anti-aliased edges between them. The quantizer counts every exact colour; when there are
// at most `max_colors` it keeps them all (the frame is encoded exactly). Otherwise it runs a
// median cut over the colour histogram: the box holding the most pixels times its widest
// channel range is split at the pixel-weighted median of that channel, until there are
// `max_colors` boxes. A box whose most frequent colour covers at least half its pixels is
// represented by that colour (so flat theme colours stay exact); other boxes by their
// pixel-weighted mean. Every pixel then takes its nearest palette entry (no dithering: text
// stays crisp). Same pixels in, same palette and indices out: no randomness, no hashing order.
//
// Pure C++ over the standard library (unit-tested in tests/viz).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace tasklab::viz {

/// A picture as palette indices.
struct IndexedImage {
    int width = 0;
    int height = 0;
    std::vector<std::array<std::uint8_t, 3>> palette;  ///< at most the colours asked for, at least one
    std::vector<std::uint8_t> pixels;                  ///< width × height indices into palette, row by row
};

/// Quantizes `rgb` (width × height pixels, 3 bytes each, rows top to bottom, no padding) to at
/// most `max_colors` colours (2..256).
[[nodiscard]] IndexedImage quantize(const std::vector<std::uint8_t>& rgb, int width, int height, int max_colors = 256);

}  // namespace tasklab::viz
