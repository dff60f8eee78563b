// The narration caption: the latest `tasklab: note` the run has reached, as a subtitle.
//
// The caption has a band of its own under the lanes (App::layout's caption slot), or, when two
// runs are compared, one under each run's lanes: it never covers a lane. A caption of any
// length is shown whole: it wraps to the band's width, and when the band is too short for the
// wrapped text its font shrinks until it fits (it is never cut).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "engine/trace.hpp"

namespace tasklab::viz {

class App;
class Session;

/// The narration events of a trace, read incrementally: the latest one and the first event of
/// each note.
class NarrationIndex {
public:
    void sync(const Trace& trace, std::uint64_t epoch);
    [[nodiscard]] std::optional<std::uint64_t> latest() const { return m_latest; }
    /// The first event of note `k` (1-based), if reached.
    [[nodiscard]] std::optional<std::uint64_t> first(std::uint32_t k) const;

private:
    static constexpr std::uint64_t k_none = ~std::uint64_t{0};
    std::uint64_t m_epoch = ~std::uint64_t{0};
    std::uint64_t m_read = 0;
    std::optional<std::uint64_t> m_latest;
    std::vector<std::uint64_t> m_first;
};

/// What a caption shows.
struct CaptionText {
    std::string text;        ///< the note, as shown
    std::uint32_t note = 0;  ///< its number (1-based)
    bool fresh = false;      ///< reached at the cursor's step (drawn with a bright frame)
};

/// One run's caption: which note to show, how tall its band must be, drawing it.
class Caption {
public:
    /// The note to show at `s`'s cursor, if any.
    std::optional<CaptionText> current(Session& s);
    /// The band height that shows the longest of `s`'s notes whole at `width` with font size
    /// `font_size` (0 when the scenario has no notes): the band does not change height as the
    /// run moves from note to note.
    float band_height(App& app, Session& s, float width, float font_size);
    /// Draws `text` centred in the band [min, max], wrapped to its width, the font shrunk from
    /// `font_size` until the text fits its height. Returns the box drawn and the font size used.
    std::pair<std::pair<ImVec2, ImVec2>, float> draw(App& app, ImDrawList* dl, const CaptionText& text, ImVec2 min, ImVec2 max,
                                                     float font_size);

private:
    NarrationIndex m_index;
    // band_height's cache: the widest text height per (width, font size, notes).
    float m_cached_width = -1;
    float m_cached_font = -1;
    const void* m_cached_program = nullptr;
    float m_cached_height = 0;
};

}  // namespace tasklab::viz
