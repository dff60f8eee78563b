// Saving what the window shows: the OpenGL framebuffer read back and written as a PNG.
#pragma once

#include <string>

namespace tasklab::viz {

/// Reads the current framebuffer (`width` × `height` pixels, after rendering, before the buffer
/// swap) and writes it to `path` as an RGB PNG. Returns "" on success, the reason otherwise.
std::string save_framebuffer_png(const std::string& path, int width, int height);

}  // namespace tasklab::viz
