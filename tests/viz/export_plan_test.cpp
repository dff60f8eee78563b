// Slides out without a window: step ranges, frames per step or instant, file names that sort
// and never overwrite, the scene that breakpoints bound, the quantizer and the GIF writer.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "viz/export/export_plan.hpp"
#include "viz/export/gif_writer.hpp"
#include "viz/export/quantize.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

RangeText parsed(std::string_view text) {
    std::string error;
    const auto r = parse_step_range(text, error);
    REQUIRE_MESSAGE(r, error);
    return *r;
}

std::string parse_error(std::string_view text) {
    std::string error;
    CHECK_FALSE(parse_step_range(text, error));
    return error;
}

}  // namespace

TEST_CASE("a step range is read as A..B, A.., ..B or one step") {
    CHECK(parsed("3..7").first == 3);
    CHECK(*parsed("3..7").last == 7);
    CHECK(parsed("3..").first == 3);
    CHECK_FALSE(parsed("3..").last);
    CHECK(parsed("..4").first == 0);
    CHECK(*parsed("..4").last == 4);
    CHECK(*parsed("5").last == 5);
    CHECK(parsed("5").first == 5);
}

TEST_CASE("a step range that starts after it ends or is not numbers is refused") {
    CHECK(parse_error("7..3").find("A > B") != std::string::npos);
    CHECK(parse_error("a..3").find("A..B") != std::string::npos);
    CHECK(parse_error("..").find("A..B") != std::string::npos);
    CHECK(parse_error("1...3").find("A..B") != std::string::npos);
    CHECK(parse_error("-1..3").find("A..B") != std::string::npos);
    CHECK(parse_error("").find("A..B") != std::string::npos);
}

TEST_CASE("an end beyond the run is clamped with a note and a start beyond it is an error") {
    const ResolvedRange clamped = resolve_step_range(parsed("4..99"), 11);
    REQUIRE(clamped.range);
    CHECK(*clamped.range == StepRange{4, 11});
    CHECK(clamped.note.find("ends at step 11") != std::string::npos);
    const ResolvedRange open = resolve_step_range(parsed("4.."), 11);
    CHECK(*open.range == StepRange{4, 11});
    CHECK(open.note.empty());
    const ResolvedRange late = resolve_step_range(parsed("12..20"), 11);
    CHECK_FALSE(late.range);
    CHECK(late.error.find("ends at step 11") != std::string::npos);
    CHECK(*resolve_step_range(parsed("11"), 11).range == StepRange{11, 11});
}

TEST_CASE("one frame per step covers the range with both ends included") {
    CHECK(frame_steps({2, 5}, FrameUnit::step, {}) == std::vector<std::uint64_t>{2, 3, 4, 5});
    CHECK(frame_steps({0, 0}, FrameUnit::step, {}) == std::vector<std::uint64_t>{0});
}

TEST_CASE("one frame per virtual instant draws each instant at its last step in the range") {
    // Steps 0..7 at times 0 0 0 1 1 2 2 2.
    const std::vector<Tick> t{0, 0, 0, 1, 1, 2, 2, 2};
    CHECK(frame_steps({0, 7}, FrameUnit::instant, t) == std::vector<std::uint64_t>{2, 4, 7});
    CHECK(frame_steps({1, 5}, FrameUnit::instant, t) == std::vector<std::uint64_t>{2, 4, 5});
    CHECK(frame_steps({3, 3}, FrameUnit::instant, t) == std::vector<std::uint64_t>{3});
}

TEST_CASE("frame file names sort in playing order") {
    CHECK(frame_file_name(7, 11) == "step-0007.png");
    CHECK(frame_file_name(12345, 99999) == "step-12345.png");
    CHECK(frame_file_name(42, 123456) == "step-000042.png");
    CHECK(frame_file_name(9, 100) < frame_file_name(10, 100));
}

TEST_CASE("a new picture never overwrites an earlier one") {
    const auto dir = std::filesystem::temp_directory_path() / "tasklab_unique_path_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    CHECK(unique_path(dir, "lesson-step-3", ".png") == dir / "lesson-step-3.png");
    std::ofstream(dir / "lesson-step-3.png") << "x";
    CHECK(unique_path(dir, "lesson-step-3", ".png") == dir / "lesson-step-3-2.png");
    std::ofstream(dir / "lesson-step-3-2.png") << "x";
    CHECK(unique_path(dir, "lesson-step-3", ".png") == dir / "lesson-step-3-3.png");
    std::filesystem::create_directories(dir / "slides");
    CHECK(unique_path(dir, "slides", "") == dir / "slides-2");
    std::filesystem::remove_all(dir);
}

TEST_CASE("breakpoints bound the scene that ends where the cursor stopped") {
    const std::vector<std::uint64_t> hits{3, 3, 8, 12};
    CHECK(breakpoint_range({}, 5, 20) == StepRange{0, 20});
    CHECK(breakpoint_range(hits, 8, 20) == StepRange{3, 8});   // stopped at the hit of step 8
    CHECK(breakpoint_range(hits, 5, 20) == StepRange{3, 8});
    CHECK(breakpoint_range(hits, 2, 20) == StepRange{0, 3});
    CHECK(breakpoint_range(hits, 15, 20) == StepRange{12, 20});
    CHECK(breakpoint_range({0, 4}, 0, 9) == StepRange{0, 4});  // a hit at step 0 bounds nothing
}

TEST_CASE("a picture with few colours is quantized exactly") {
    const int w = 5, h = 3;
    std::vector<std::uint8_t> rgb;
    for (int i = 0; i < w * h; ++i) {
        const std::uint8_t v = static_cast<std::uint8_t>((i % 4) * 60);
        rgb.insert(rgb.end(), {v, static_cast<std::uint8_t>(255 - v), 7});
    }
    const IndexedImage img = quantize(rgb, w, h);
    CHECK(img.palette.size() == 4);
    REQUIRE(img.pixels.size() == static_cast<std::size_t>(w * h));
    for (int i = 0; i < w * h; ++i)
        for (int c = 0; c < 3; ++c) CHECK(img.palette[img.pixels[static_cast<std::size_t>(i)]][static_cast<std::size_t>(c)] == rgb[static_cast<std::size_t>(3 * i + c)]);
}

TEST_CASE("a picture with many colours keeps its dominant colours exact and stays close elsewhere") {
    // A flat background, a flat bar, and a gradient of 4096 colours.
    const int w = 256, h = 64;
    std::vector<std::uint8_t> rgb;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (y < 24) rgb.insert(rgb.end(), {24, 26, 32});
            else if (y < 32) rgb.insert(rgb.end(), {230, 159, 0});
            else rgb.insert(rgb.end(), {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>((y - 32) * 8), static_cast<std::uint8_t>(255 - x)});
        }
    const IndexedImage a = quantize(rgb, w, h, 256);
    CHECK(a.palette.size() == 256);
    const auto at = [&](int x, int y) { return a.palette[a.pixels[static_cast<std::size_t>(y * w + x)]]; };
    CHECK(at(10, 5) == std::array<std::uint8_t, 3>{24, 26, 32});
    CHECK(at(200, 28) == std::array<std::uint8_t, 3>{230, 159, 0});
    int worst = 0;
    for (int y = 32; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                worst = std::max(worst, std::abs(at(x, y)[static_cast<std::size_t>(c)] - rgb[static_cast<std::size_t>(3 * (y * w + x) + c)]));
    CHECK(worst <= 24);
    // Same pixels, same result.
    const IndexedImage b = quantize(rgb, w, h, 256);
    CHECK(a.palette == b.palette);
    CHECK(a.pixels == b.pixels);
}

TEST_CASE("the GIF writer stores one image per frame, looping, with the delays asked for") {
    const auto path = std::filesystem::temp_directory_path() / "tasklab_gif_writer_test.gif";
    const int w = 8, h = 4;
    std::vector<std::uint8_t> frame(static_cast<std::size_t>(w * h * 3), 40);
    {
        GifWriter gif(path.string(), w, h);
        REQUIRE(gif.error().empty());
        CHECK(gif.add_frame(frame, 200));
        frame[3 * (2 * w + 5)] = 250;  // one pixel changes
        CHECK(gif.add_frame(frame, 200));
        CHECK(gif.add_frame(frame, 1000));  // nothing changes
        CHECK_FALSE(gif.add_frame(std::vector<std::uint8_t>(5), 100));  // wrong size
        CHECK(gif.frames() == 3);
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string bytes = text.str();
    REQUIRE(bytes.size() > 20);
    CHECK(bytes.substr(0, 6) == "GIF89a");
    CHECK(bytes.find("NETSCAPE2.0") != std::string::npos);
    // Graphic control extensions: 21 F9 04 flags delay(lo hi) transparent 00.
    // After the first frame, unchanged pixels are transparent (flag bit 0).
    std::vector<int> delays, transparent;
    for (std::size_t i = bytes.find("\x21\xF9\x04"); i != std::string::npos; i = bytes.find("\x21\xF9\x04", i + 1)) {
        delays.push_back(static_cast<unsigned char>(bytes[i + 4]) | (static_cast<unsigned char>(bytes[i + 5]) << 8));
        transparent.push_back(static_cast<unsigned char>(bytes[i + 3]) & 1);
    }
    CHECK(delays == std::vector<int>{20, 20, 100});
    CHECK(transparent == std::vector<int>{0, 1, 1});
    CHECK(bytes.back() == '\x3B');
    std::filesystem::remove(path);
}

TEST_CASE("the GIF writer says why it cannot create a file") {
    GifWriter gif("/nonexistent-folder/x.gif", 4, 4);
    CHECK(gif.error().find("cannot create") != std::string::npos);
    CHECK_FALSE(gif.add_frame(std::vector<std::uint8_t>(48), 100));
}
