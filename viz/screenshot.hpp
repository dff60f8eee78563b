// Saving what the window shows: the OpenGL framebuffer read back and written as a PNG, or kept
// in memory as RGB rows for an animated GIF (viz/export/frame_export.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tasklab::viz {

/// Reads the current framebuffer (`width` × `height` pixels, after rendering, before the buffer
/// swap) into `rgb`: 3 bytes a pixel, rows top to bottom. Returns "" on success, the reason
/// otherwise.
std::string read_framebuffer_rgb(int width, int height, std::vector<std::uint8_t>& rgb);

/// Writes top-down RGB rows as a PNG. Returns "" on success, the reason otherwise.
std::string write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb);

/// Reads the current framebuffer (`width` × `height` pixels, after rendering, before the buffer
/// swap) and writes it to `path` as an RGB PNG. Returns "" on success, the reason otherwise.
std::string save_framebuffer_png(const std::string& path, int width, int height);

}  // namespace tasklab::viz
