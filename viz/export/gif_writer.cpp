// GIFLIB's streaming encoder: screen descriptor, NETSCAPE2.0 loop block, then per frame a
// graphic control extension (delay, disposal), an image descriptor with a local colour map,
// and the LZW-coded rows (see gif_writer.hpp).
#include "gif_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>

#include <gif_lib.h>

#include "viz/export/quantize.hpp"

namespace tasklab::viz {

GifWriter::GifWriter(const std::string& path, int width, int height) : m_path(path), m_width(width), m_height(height) {
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
        m_error = "a GIF frame must be 1 to 65535 pixels wide and high";
        return;
    }
    // Through a descriptor of our own: EGifOpenFileName would make the file readable by its
    // owner only.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        m_error = "cannot create " + path + ": " + std::strerror(errno);
        return;
    }
    int code = 0;
    m_gif = EGifOpenFileHandle(fd, &code);  // closes fd when it fails or when the file is closed
    if (!m_gif) {
        fail("cannot create " + path, code);
        return;
    }
    EGifSetGifVersion(m_gif, true);
    if (EGifPutScreenDesc(m_gif, width, height, 8, 0, nullptr) == GIF_ERROR) {
        fail("cannot write " + path, m_gif->Error);
        return;
    }
    // Loop forever: the NETSCAPE2.0 application extension with a loop count of 0.
    static const char k_netscape[] = "NETSCAPE2.0";
    static const unsigned char k_loop[3] = {1, 0, 0};
    if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(m_gif, 11, k_netscape) == GIF_ERROR || EGifPutExtensionBlock(m_gif, 3, k_loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(m_gif) == GIF_ERROR)
        fail("cannot write " + path, m_gif->Error);
}

GifWriter::~GifWriter() {
    if (m_gif) {
        int code = 0;
        EGifCloseFile(m_gif, &code);
    }
}

bool GifWriter::fail(const std::string& what, int code) {
    const char* why = GifErrorString(code);
    m_error = what + (why ? std::string(": ") + why : std::string());
    return false;
}

bool GifWriter::add_frame(const std::vector<std::uint8_t>& rgb, int delay_ms) {
    if (!m_gif || !m_error.empty()) return false;
    const std::size_t row_bytes = static_cast<std::size_t>(m_width) * 3;
    if (rgb.size() != row_bytes * static_cast<std::size_t>(m_height)) {
        m_error = "a frame of the wrong size";
        return false;
    }
    // The rectangle that changed since the previous frame (the whole frame the first time).
    int left = 0, top = 0, right = m_width, bottom = m_height;
    if (!m_previous.empty()) {
        left = m_width;
        top = m_height;
        right = 0;
        bottom = 0;
        for (int y = 0; y < m_height; ++y) {
            const std::uint8_t* a = rgb.data() + static_cast<std::size_t>(y) * row_bytes;
            const std::uint8_t* b = m_previous.data() + static_cast<std::size_t>(y) * row_bytes;
            if (std::memcmp(a, b, row_bytes) == 0) continue;
            int x0 = 0, x1 = m_width;
            while (x0 < m_width && std::memcmp(a + 3 * x0, b + 3 * x0, 3) == 0) ++x0;
            while (x1 > x0 && std::memcmp(a + 3 * (x1 - 1), b + 3 * (x1 - 1), 3) == 0) --x1;
            left = std::min(left, x0);
            right = std::max(right, x1);
            top = std::min(top, y);
            bottom = y + 1;
        }
        if (right <= left) {  // nothing changed: one pixel, redrawn as it was
            left = top = 0;
            right = bottom = 1;
        }
    }
    const int w = right - left, h = bottom - top;
    // Inside the rectangle, pixels equal to the previous frame's are transparent (they show the
    // frame below, and their runs of one index compress well); the others are quantized.
    const bool first = m_previous.empty();
    std::vector<bool> same(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), false);
    std::vector<std::uint8_t> changed;
    changed.reserve(same.size() * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t at = static_cast<std::size_t>(top + y) * row_bytes + static_cast<std::size_t>(left + x) * 3;
            if (!first && std::memcmp(rgb.data() + at, m_previous.data() + at, 3) == 0) {
                same[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = true;
                continue;
            }
            changed.insert(changed.end(), rgb.begin() + static_cast<std::ptrdiff_t>(at), rgb.begin() + static_cast<std::ptrdiff_t>(at + 3));
        }
    const int changed_count = static_cast<int>(changed.size() / 3);
    const IndexedImage img = quantize(changed, changed_count, 1, first ? 256 : 255);
    const int transparent = first ? NO_TRANSPARENT_COLOR : static_cast<int>(img.palette.size());
    std::vector<GifPixelType> indices(same.size());
    for (std::size_t i = 0, k = 0; i < same.size(); ++i)
        indices[i] = same[i] ? static_cast<GifPixelType>(transparent) : img.pixels[k++];

    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.UserInputFlag = false;
    gcb.DelayTime = std::max(1, (delay_ms + 5) / 10);
    gcb.TransparentColor = transparent;
    GifByteType ext[4];
    const std::size_t ext_len = EGifGCBToExtension(&gcb, ext);
    if (EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(ext_len), ext) == GIF_ERROR)
        return fail("cannot write " + m_path, m_gif->Error);

    int map_size = 2;  // a colour map has a power of two entries (and room for the transparent one)
    while (map_size < static_cast<int>(img.palette.size()) + (first ? 0 : 1)) map_size *= 2;
    std::vector<GifColorType> colors(static_cast<std::size_t>(map_size), GifColorType{0, 0, 0});
    for (std::size_t i = 0; i < img.palette.size(); ++i) colors[i] = GifColorType{img.palette[i][0], img.palette[i][1], img.palette[i][2]};
    ColorMapObject* map = GifMakeMapObject(map_size, colors.data());
    if (!map) {
        m_error = "out of memory";
        return false;
    }
    const bool desc_ok = EGifPutImageDesc(m_gif, left, top, w, h, false, map) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!desc_ok) return fail("cannot write " + m_path, m_gif->Error);
    for (int y = 0; y < h; ++y)
        if (EGifPutLine(m_gif, indices.data() + static_cast<std::ptrdiff_t>(y) * w, w) == GIF_ERROR)
            return fail("cannot write " + m_path, m_gif->Error);
    m_previous = rgb;
    ++m_frames;
    return true;
}

bool GifWriter::finish() {
    if (!m_gif) return false;
    int code = 0;
    const bool ok = EGifCloseFile(m_gif, &code) != GIF_ERROR;
    m_gif = nullptr;
    if (!ok) return fail("cannot finish " + m_path, code);
    return m_error.empty();
}

}  // namespace tasklab::viz
