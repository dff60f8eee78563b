// Colours, glyphs and fonts of the visualizer.
//
// The palette is Okabe–Ito (safe for the common colour-vision deficiencies), and every state is
// also told apart by its pattern (solid, thin line, dots, hatching, cross-hatching) and every
// outcome by its glyph, so the timeline still reads in greyscale and on a washed-out projector.
//
// Fonts: DejaVu Sans for Latin, merged with Noto Sans CJK KR (Hangul and CJK; its Bold weight in
// the bold title font, so a caption is bold in every script) and Symbola (symbols). Emoji go
// through the Private Use Area (viz/model/display_text.hpp: ImGui 1.86 keeps glyph ids in 16
// bits) and the atlas carries each as a custom glyph: the colour bitmap of Noto Color Emoji read
// with FreeType (fonts-noto-color-emoji), or, when that font or FreeType is missing, Symbola's
// outline (the coloured circles and squares 🔴🟡🟢… in their colours). Glyphs with colours of
// their own are marked ImFontGlyph::Colored, so the text colour never tints them (🟡 stays
// yellow on the light theme). The atlas holds only the code points actually used (add_text)
// and is rebuilt when that set grows or the UI scale changes.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "viz/model/display_text.hpp"
#include "viz/model/glossary.hpp"
#include "viz/model/timeline_model.hpp"

namespace tasklab::viz {

/// The look: the normal dark theme, a light one, and high contrast for projectors.
enum class ThemeKind : std::uint8_t { dark, light, high_contrast };

/// Every colour the panels use (ImGui's own widget colours come from ImGui::GetStyle()).
struct Palette {
    ImU32 background = 0;      ///< the timeline canvas
    ImU32 lane_alt = 0;        ///< every other lane's background
    ImU32 lane_selected = 0;   ///< the selected lane's background
    ImU32 grid = 0;            ///< axis ticks and grid lines
    ImU32 text = 0;
    ImU32 text_dim = 0;
    ImU32 cursor = 0;          ///< the cursor line (now)
    ImU32 bracket = 0;         ///< scope brackets
    std::array<ImU32, k_lane_state_count> state{};  ///< by LaneState
    ImU32 cancel_pending = 0;  ///< hatching over a cancelled-but-still-going interval
    ImU32 outcome_returned = 0, outcome_threw = 0, outcome_cancelled = 0, outcome_skipped = 0,
          outcome_abandoned = 0;
    std::array<ImU32, k_mark_kind_count> mark{};    ///< by MarkKind
    std::array<ImU32, k_arrow_kind_count> arrow{};  ///< by ArrowKind
    ImU32 gap = 0;             ///< the request → observed bracket
    ImU32 unstructured = 0;    ///< the marker of unstructured lanes
    ImU32 thread = 0;          ///< the marker of worker-thread lanes
    ImU32 error = 0;           ///< diagnostics
    ImU32 narration_bg = 0;    ///< subtitle box
};

/// The Okabe–Ito colours by name (alpha 255).
namespace okabe_ito {
inline constexpr ImU32 black = IM_COL32(0, 0, 0, 255);
inline constexpr ImU32 orange = IM_COL32(230, 159, 0, 255);
inline constexpr ImU32 sky_blue = IM_COL32(86, 180, 233, 255);
inline constexpr ImU32 bluish_green = IM_COL32(0, 158, 115, 255);
inline constexpr ImU32 yellow = IM_COL32(240, 228, 66, 255);
inline constexpr ImU32 blue = IM_COL32(0, 114, 178, 255);
inline constexpr ImU32 vermillion = IM_COL32(213, 94, 0, 255);
inline constexpr ImU32 reddish_purple = IM_COL32(204, 121, 167, 255);
}  // namespace okabe_ito

// The timeline's glyphs (namespace glyph) live in viz/model/glossary.hpp, beside their words.

/// Which font a panel draws with.
enum class FontRole : std::uint8_t { ui, mono, title };

class Theme {
public:
    Theme();

    /// Switches colours (and ImGui's style colours).
    void set_kind(ThemeKind kind);
    [[nodiscard]] ThemeKind kind() const { return m_kind; }
    [[nodiscard]] const Palette& palette() const { return m_palette; }

    /// UI scale (1.0 normal, 1.5–2.5 for projectors). Changing it rebuilds the font atlas at the
    /// new pixel size (crisp text, not FontGlobalScale) and scales ImGui's style.
    void set_scale(float scale);
    [[nodiscard]] float scale() const { return m_scale; }
    /// The base font size in pixels at the current scale.
    [[nodiscard]] float font_size() const { return 17.0f * m_scale; }

    /// Makes sure the glyphs of `utf8` (as shown()) will be in the atlas.
    void add_text(std::string_view utf8);
    /// True when add_text or set_scale asked for glyphs the atlas lacks.
    [[nodiscard]] bool fonts_dirty() const { return m_fonts_dirty; }
    /// Rebuilds ImGui's font atlas (call between frames, before NewFrame). The caller then
    /// re-uploads the atlas texture. Prints which font files are missing (once) and falls
    /// back to ImGui's default font when the Latin one is.
    void rebuild_fonts();
    /// A font of the atlas (ImGui's default font when the files are missing).
    [[nodiscard]] ImFont* font(FontRole role) const;
    /// True when the system fonts were found and loaded.
    [[nodiscard]] bool fonts_found() const { return m_fonts_found; }

    /// Text rewritten for display with ImGui 1.86's 16-bit glyph ids (display_text()).
    /// Returns the input unchanged when nothing needs rewriting.
    [[nodiscard]] static std::string shown(std::string_view utf8);

private:
    void apply_style();
    ThemeKind m_kind = ThemeKind::dark;
    Palette m_palette;
    float m_scale = 1.0f;
    bool m_fonts_dirty = true;
    bool m_fonts_found = false;
    bool m_reported_missing = false;
    std::set<std::uint32_t> m_code_points;  // shown code points (BMP, after rewriting)
    std::vector<ImWchar> m_ranges;          // kept alive while the atlas uses them
    std::vector<std::vector<unsigned char>> m_font_files;  // kept alive while the atlas uses them
    std::array<ImFont*, 3> m_fonts{};
};

// decode_utf8: viz/model/display_text.hpp.

}  // namespace tasklab::viz
