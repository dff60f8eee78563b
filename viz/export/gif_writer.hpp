// Writing an animated GIF (GIF89a, looping forever) frame by frame with GIFLIB 5.
//
// Each frame is quantized to its own palette (quantize.hpp) and, after the first, only the
// rectangle that changed since the previous frame is stored, drawn over it (disposal "do not
// dispose"); inside that rectangle the pixels that did not change are transparent (255 colours
// and the transparent index), so a run of slides where one lane grows costs little. A frame
// identical to the previous one is stored as one transparent pixel, so the frame count always
// equals the frames added. Frames are written as they come; the file is complete after finish().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct GifFileType;

namespace tasklab::viz {

class GifWriter {
public:
    /// Creates `path` for frames of `width` × `height` pixels. error() says why when it cannot.
    GifWriter(const std::string& path, int width, int height);
    ~GifWriter();
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;

    /// Appends a frame: `rgb` is width × height × 3 bytes, rows top to bottom; it shows for
    /// `delay_ms` milliseconds (GIF keeps hundredths of a second; at least 10 ms). False (and
    /// error()) when it cannot be written.
    bool add_frame(const std::vector<std::uint8_t>& rgb, int delay_ms);
    /// Writes the trailer and closes the file. False (and error()) when that fails.
    bool finish();
    /// Why the last call failed, or "".
    [[nodiscard]] const std::string& error() const { return m_error; }
    /// Frames written so far.
    [[nodiscard]] int frames() const { return m_frames; }

private:
    bool fail(const std::string& what, int code);
    GifFileType* m_gif = nullptr;
    std::string m_path;
    int m_width = 0;
    int m_height = 0;
    int m_frames = 0;
    std::vector<std::uint8_t> m_previous;
    std::string m_error;
};

}  // namespace tasklab::viz
