// glReadPixels → stb_image_write (libstb carries the implementation: no STB_*_IMPLEMENTATION here).
#include "screenshot.hpp"

#include <vector>

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <stb_image_write.h>

namespace tasklab::viz {

std::string save_framebuffer_png(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) return "the window has no pixels";
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
    stbi_flip_vertically_on_write(1);  // OpenGL's rows go bottom-up
    if (stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3) == 0)
        return "cannot write " + path;
    return "";
}

}  // namespace tasklab::viz
