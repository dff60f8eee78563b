// glReadPixels → stb_image_write (libstb carries the implementation: no STB_*_IMPLEMENTATION here).
#include "screenshot.hpp"

#include <cstring>
#include <vector>

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <stb_image_write.h>

namespace tasklab::viz {

std::string read_framebuffer_rgb(int width, int height, std::vector<std::uint8_t>& rgb) {
    if (width <= 0 || height <= 0) return "the window has no pixels";
    const std::size_t row = static_cast<std::size_t>(width) * 3;
    rgb.resize(row * static_cast<std::size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
    if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
    // OpenGL's rows go bottom-up.
    std::vector<std::uint8_t> tmp(row);
    for (std::size_t y = 0, h = static_cast<std::size_t>(height); y < h / 2; ++y) {
        std::uint8_t* a = rgb.data() + y * row;
        std::uint8_t* b = rgb.data() + (h - 1 - y) * row;
        std::memcpy(tmp.data(), a, row);
        std::memcpy(a, b, row);
        std::memcpy(b, tmp.data(), row);
    }
    return "";
}

std::string write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb) {
    stbi_flip_vertically_on_write(0);
    if (stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3) == 0) return "cannot write " + path;
    return "";
}

std::string save_framebuffer_png(const std::string& path, int width, int height) {
    std::vector<std::uint8_t> rgb;
    if (std::string err = read_framebuffer_rgb(width, height, rgb); !err.empty()) return err;
    return write_png(path, width, height, rgb);
}

}  // namespace tasklab::viz
