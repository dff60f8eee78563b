// Palettes, ImGui style, the font atlas built from the code points in use, emoji remapping.
#include "theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

// ImGui's copy of stb_truetype, compiled here privately: the monochrome fallback of the custom
// emoji glyphs is rasterised from Symbola with it.
#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#include <imstb_truetype.h>

#if TASKLAB_VIZ_COLOR_EMOJI
// FreeType reads Noto Color Emoji's colour bitmaps (CBDT), which stb_truetype cannot.
#include <ft2build.h>
#include FT_FREETYPE_H
#endif

namespace tasklab::viz {

namespace {

constexpr const char* k_latin_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* k_latin_bold_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr const char* k_mono_font = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
constexpr const char* k_cjk_font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr int k_cjk_korean_index = 1;       // "Noto Sans CJK KR" (fc-query: index 1)
constexpr int k_cjk_mono_korean_index = 6;  // "Noto Sans Mono CJK KR"
constexpr const char* k_cjk_bold_font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
constexpr const char* k_symbol_font = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";
constexpr const char* k_color_emoji_font = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

ImU32 with_alpha(ImU32 c, int alpha) { return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT); }

std::vector<unsigned char> read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Colours for emoji whose meaning is their colour (circles, squares, hearts): drawn tinted.
ImU32 emoji_tint(std::uint32_t cp) {
    switch (cp) {
        case 0x1F534: case 0x1F7E5: case 0x2764: return IM_COL32(230, 60, 50, 255);    // red
        case 0x1F535: case 0x1F7E6: case 0x1F499: return IM_COL32(70, 130, 230, 255);  // blue
        case 0x1F7E0: case 0x1F7E7: case 0x1F9E1: return IM_COL32(245, 150, 30, 255);  // orange
        case 0x1F7E1: case 0x1F7E8: case 0x1F49B: return IM_COL32(250, 210, 40, 255);  // yellow
        case 0x1F7E2: case 0x1F7E9: case 0x1F49A: case 0x2705: return IM_COL32(60, 185, 90, 255);  // green
        case 0x1F7E3: case 0x1F7EA: case 0x1F49C: return IM_COL32(160, 90, 210, 255);  // purple
        case 0x1F7E4: case 0x1F7EB: case 0x1F90E: return IM_COL32(150, 95, 60, 255);   // brown
        case 0x274C: case 0x26D4: case 0x1F6AB: case 0x1F6D1: return IM_COL32(230, 60, 50, 255);
        case 0x2B50: case 0x2728: return IM_COL32(250, 200, 40, 255);
        case 0x26A0: return IM_COL32(245, 190, 40, 255);
        default: return IM_COL32(255, 255, 255, 255);
    }
}

/// Coloured circles and squares of Unicode 12 (U+1F7E0…U+1F7EB), which Symbola predates:
/// drawn as shapes. 0 for other code points.
int synthetic_shape(std::uint32_t cp) {
    if (cp >= 0x1F7E0 && cp <= 0x1F7E4) return 1;  // circle
    if (cp >= 0x1F7E5 && cp <= 0x1F7EB) return 2;  // square
    return 0;
}

/// One custom glyph of the atlas: a PUA id and the code point it shows.
struct CustomGlyph {
    ImWchar id;
    std::uint32_t cp;
    int rect;
    int glyph_index;  // in Symbola, or 0 for a synthetic shape or a colour bitmap
    int x0, y0, x1, y1;
    ImFont* font;
    float size;
    std::vector<unsigned char> rgba;  // a colour emoji's pixels (straight alpha), or empty
    /// True when the glyph carries its own colours: ImGui then draws it untinted, so the text
    /// colour (black in the light theme) does not darken it.
    bool colored;
};

/// Scales a premultiplied BGRA bitmap to `dw`×`dh` by averaging the source pixels each
/// destination pixel covers, into straight-alpha RGBA.
std::vector<unsigned char> scale_bgra(const unsigned char* src, int sw, int sh, int pitch, int dw, int dh) {
    std::vector<unsigned char> out(static_cast<std::size_t>(dw * dh * 4), 0);
    const double fx = static_cast<double>(sw) / dw, fy = static_cast<double>(sh) / dh;
    for (int y = 0; y < dh; ++y) {
        const double y0 = y * fy, y1 = (y + 1) * fy;
        for (int x = 0; x < dw; ++x) {
            const double x0 = x * fx, x1 = (x + 1) * fx;
            double acc[4] = {0, 0, 0, 0}, area = 0;
            for (int sy = static_cast<int>(y0); sy < sh && sy < y1; ++sy) {
                const double wy = std::min<double>(sy + 1, y1) - std::max<double>(sy, y0);
                for (int sx = static_cast<int>(x0); sx < sw && sx < x1; ++sx) {
                    const double w = wy * (std::min<double>(sx + 1, x1) - std::max<double>(sx, x0));
                    const unsigned char* p = src + static_cast<std::ptrdiff_t>(sy) * pitch + sx * 4;
                    for (int c = 0; c < 4; ++c) acc[c] += w * p[c];
                    area += w;
                }
            }
            if (area <= 0) continue;
            const double a = acc[3] / area;
            unsigned char* d = out.data() + static_cast<std::size_t>((y * dw + x) * 4);
            if (a < 0.5) continue;
            // BGRA premultiplied → RGBA straight.
            d[0] = static_cast<unsigned char>(std::clamp(acc[2] / area * 255.0 / a, 0.0, 255.0));
            d[1] = static_cast<unsigned char>(std::clamp(acc[1] / area * 255.0 / a, 0.0, 255.0));
            d[2] = static_cast<unsigned char>(std::clamp(acc[0] / area * 255.0 / a, 0.0, 255.0));
            d[3] = static_cast<unsigned char>(std::clamp(a, 0.0, 255.0));
        }
    }
    return out;
}

/// Noto Color Emoji's colour bitmaps, scaled to a font size (nothing without FreeType or the
/// font file: the caller then falls back to Symbola's monochrome outlines).
class ColorEmoji {
public:
    explicit ColorEmoji(const char* path) {
#if TASKLAB_VIZ_COLOR_EMOJI
        if (FT_Init_FreeType(&m_lib) != 0) {
            m_lib = nullptr;
            return;
        }
        if (FT_New_Face(m_lib, path, 0, &m_face) != 0) {
            m_face = nullptr;
            return;
        }
        // A bitmap-only font: pick its (largest) strike; glyphs are scaled down by hand.
        if (!FT_HAS_COLOR(m_face) || m_face->num_fixed_sizes < 1) {
            FT_Done_Face(m_face);
            m_face = nullptr;
            return;
        }
        int best = 0;
        for (int i = 1; i < m_face->num_fixed_sizes; ++i)
            if (m_face->available_sizes[i].height > m_face->available_sizes[best].height) best = i;
        if (FT_Select_Size(m_face, best) != 0) {
            FT_Done_Face(m_face);
            m_face = nullptr;
            return;
        }
        m_ppem = static_cast<float>(m_face->size->metrics.y_ppem);
#else
        (void)path;
#endif
    }
    ~ColorEmoji() {
#if TASKLAB_VIZ_COLOR_EMOJI
        if (m_face) FT_Done_Face(m_face);
        if (m_lib) FT_Done_FreeType(m_lib);
#endif
    }
    ColorEmoji(const ColorEmoji&) = delete;
    ColorEmoji& operator=(const ColorEmoji&) = delete;

    [[nodiscard]] bool ok() const {
#if TASKLAB_VIZ_COLOR_EMOJI
        return m_face != nullptr && m_ppem > 0;
#else
        return false;
#endif
    }

    /// Renders `cp` for a font of `size` pixels sitting on `baseline` (pixels below the line's
    /// top). Fills the glyph's pixels, size, offset and advance; false when the font lacks it.
    bool render(std::uint32_t cp, float size, float baseline, CustomGlyph& g, int& w, int& h, ImVec2& offset,
                float& advance) const {
#if TASKLAB_VIZ_COLOR_EMOJI
        if (!ok()) return false;
        const FT_UInt index = FT_Get_Char_Index(m_face, cp);
        if (index == 0) return false;
        if (FT_Load_Glyph(m_face, index, FT_LOAD_COLOR) != 0) return false;
        const FT_GlyphSlot slot = m_face->glyph;
        const FT_Bitmap& bm = slot->bitmap;
        if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width == 0 || bm.rows == 0) return false;
        // An emoji a little shorter than the line, like the colour emoji of a phone's text.
        const float scale = size * 0.86f / m_ppem;
        w = std::max(1, static_cast<int>(std::lround(static_cast<float>(bm.width) * scale)));
        h = std::max(1, static_cast<int>(std::lround(static_cast<float>(bm.rows) * scale)));
        g.rgba = scale_bgra(bm.buffer, static_cast<int>(bm.width), static_cast<int>(bm.rows), bm.pitch, w, h);
        offset = ImVec2(std::round(static_cast<float>(slot->bitmap_left) * scale) + 1.0f,
                        std::round(baseline - static_cast<float>(slot->bitmap_top) * scale));
        advance = static_cast<float>(w) + std::round(size * 0.15f) + 1.0f;
        return true;
#else
        (void)cp, (void)size, (void)baseline, (void)g, (void)w, (void)h, (void)offset, (void)advance;
        return false;
#endif
    }

private:
#if TASKLAB_VIZ_COLOR_EMOJI
    FT_Library m_lib = nullptr;
    FT_Face m_face = nullptr;
#endif
    float m_ppem = 0;
};

}  // namespace

std::string Theme::shown(std::string_view utf8) { return display_text(utf8); }

Theme::Theme() {
    // The UI's own text: ASCII and the glyphs of the timeline and controls.
    std::string ui;
    for (char c = 32; c < 127; ++c) ui += c;
    ui += "▸▾◂▴✓✗⊘↷…▼●!↩•✎⚑⇧⚠↗≋Δ·—–→←↑↓⏵⏸⏹⏮⏭⏪⏩▶◀■□▲△▽◆◇○◎✔✘⟳↻⇆│┃├└─━═║╱╲×÷±≤≥∞°′″…“”‘’«»€£¥§¶©®™⌘⌥⇧⎋⏎⌫";
    add_text(ui);
    // The glossary's words and sentences (event log, tooltips, help).
    for (int g = 0; g < k_term_group_count; ++g)
        for (const Term& t : terms(static_cast<TermGroup>(g))) {
            add_text(t.words);
            add_text(t.meaning);
        }
    set_kind(ThemeKind::dark);
}

void Theme::set_kind(ThemeKind kind) {
    m_kind = kind;
    using namespace okabe_ito;
    Palette p;
    const bool light = kind == ThemeKind::light;
    const bool hc = kind == ThemeKind::high_contrast;
    p.background = light ? IM_COL32(250, 250, 248, 255) : hc ? IM_COL32(0, 0, 0, 255) : IM_COL32(24, 26, 31, 255);
    p.lane_alt = light ? IM_COL32(238, 239, 242, 255) : hc ? IM_COL32(22, 22, 22, 255) : IM_COL32(31, 34, 40, 255);
    p.lane_selected = light ? IM_COL32(214, 228, 245, 255) : hc ? IM_COL32(50, 50, 90, 255) : IM_COL32(44, 52, 70, 255);
    p.grid = light ? IM_COL32(200, 200, 205, 255) : hc ? IM_COL32(110, 110, 110, 255) : IM_COL32(60, 64, 74, 255);
    p.text = light ? IM_COL32(20, 20, 25, 255) : IM_COL32(235, 235, 238, 255);
    p.text_dim = light ? IM_COL32(100, 100, 110, 255) : hc ? IM_COL32(200, 200, 200, 255) : IM_COL32(150, 154, 165, 255);
    p.cursor = light ? IM_COL32(20, 20, 20, 255) : IM_COL32(255, 255, 255, 255);
    p.bracket = light ? IM_COL32(90, 90, 100, 255) : hc ? IM_COL32(230, 230, 230, 255) : IM_COL32(170, 175, 190, 255);
    // States: colour for those who see it, pattern for everyone (timeline_panel.cpp).
    p.state[static_cast<int>(LaneState::waiting_to_start)] = light ? IM_COL32(150, 150, 160, 255) : IM_COL32(120, 125, 138, 255);
    p.state[static_cast<int>(LaneState::running)] = light ? blue : sky_blue;
    p.state[static_cast<int>(LaneState::suspended)] = light ? IM_COL32(110, 110, 120, 255) : IM_COL32(175, 180, 192, 255);
    p.state[static_cast<int>(LaneState::sleeping)] = light ? IM_COL32(170, 150, 0, 255) : yellow;
    p.state[static_cast<int>(LaneState::blocked)] = reddish_purple;
    // Waiting for an actor: a cyan of its own, hatched one way (timeline_canvas.cpp).
    p.state[static_cast<int>(LaneState::actor_wait)] = light ? IM_COL32(0, 125, 140, 255) : IM_COL32(90, 215, 225, 255);
    p.cancel_pending = orange;
    p.outcome_returned = bluish_green;
    p.outcome_threw = vermillion;
    p.outcome_cancelled = orange;
    p.outcome_skipped = reddish_purple;
    p.outcome_abandoned = p.text_dim;
    p.mark[static_cast<int>(MarkKind::cancel_requested)] = orange;
    p.mark[static_cast<int>(MarkKind::cancel_observed)] = orange;
    p.mark[static_cast<int>(MarkKind::threw)] = vermillion;
    p.mark[static_cast<int>(MarkKind::caught)] = light ? IM_COL32(90, 90, 90, 255) : IM_COL32(200, 200, 200, 255);
    p.mark[static_cast<int>(MarkKind::printed)] = p.text;
    p.mark[static_cast<int>(MarkKind::handler_ran)] = reddish_purple;
    p.mark[static_cast<int>(MarkKind::narration)] = light ? IM_COL32(150, 130, 0, 255) : yellow;
    p.mark[static_cast<int>(MarkKind::error_delivered)] = vermillion;
    p.mark[static_cast<int>(MarkKind::lint)] = light ? IM_COL32(175, 125, 0, 255) : yellow;  // yellow vanishes on white
    p.arrow[static_cast<int>(ArrowKind::spawn)] = light ? IM_COL32(120, 120, 130, 255) : IM_COL32(140, 145, 158, 255);
    p.arrow[static_cast<int>(ArrowKind::spawn_unstructured)] = p.arrow[static_cast<int>(ArrowKind::spawn)];
    p.arrow[static_cast<int>(ArrowKind::explicit_cancel)] = orange;
    p.arrow[static_cast<int>(ArrowKind::propagated)] = light ? IM_COL32(200, 130, 0, 255) : IM_COL32(255, 200, 90, 255);
    p.arrow[static_cast<int>(ArrowKind::implicit)] = vermillion;
    p.arrow[static_cast<int>(ArrowKind::error_delivered)] = reddish_purple;
    p.gap = orange;
    p.unstructured = light ? blue : sky_blue;
    p.thread = light ? IM_COL32(115, 80, 190, 255) : IM_COL32(180, 155, 255, 255);  // a violet of its own
    p.error = vermillion;
    p.narration_bg = light ? IM_COL32(255, 255, 255, 235) : IM_COL32(0, 0, 0, 215);
    if (hc) {
        for (auto& c : p.state) c = with_alpha(c, 255);
        p.state[static_cast<int>(LaneState::suspended)] = IM_COL32(230, 230, 230, 255);
    }
    m_palette = p;
    apply_style();
}

void Theme::set_scale(float scale) {
    scale = std::clamp(scale, 0.75f, 3.0f);
    if (scale == m_scale) return;
    m_scale = scale;
    m_fonts_dirty = true;
    apply_style();
}

void Theme::apply_style() {
    if (ImGui::GetCurrentContext() == nullptr) return;
    ImGuiStyle style;
    if (m_kind == ThemeKind::light) ImGui::StyleColorsLight(&style);
    else ImGui::StyleColorsDark(&style);
    style.WindowRounding = 4.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.WindowPadding = ImVec2(10, 8);
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.WindowBorderSize = 1.0f;
    if (m_kind == ThemeKind::dark) {
        style.Colors[ImGuiCol_TitleBg] = ImGui::ColorConvertU32ToFloat4(IM_COL32(38, 42, 52, 255));
        style.Colors[ImGuiCol_TitleBgActive] = ImGui::ColorConvertU32ToFloat4(IM_COL32(48, 56, 74, 255));
    } else if (m_kind == ThemeKind::high_contrast) {
        style.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_Border] = ImVec4(1, 1, 1, 0.8f);
        style.Colors[ImGuiCol_TitleBg] = ImVec4(0.1f, 0.1f, 0.1f, 1);
        style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.15f, 0.15f, 0.3f, 1);
        style.WindowBorderSize = 2.0f;
    }
    // Windows and the timeline share one background colour, which main.cpp clears the frame
    // to: the laid-out panels then need no background fill of their own (Panel::draw).
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(m_palette.background);
    style.ScaleAllSizes(m_scale);
    ImGui::GetStyle() = style;
}

void Theme::add_text(std::string_view utf8) {
    const std::string s = shown(utf8);
    for (std::uint32_t cp : decode_utf8(s)) {
        if (cp < 0x20) continue;
        if (m_code_points.insert(cp).second) m_fonts_dirty = true;
    }
}

ImFont* Theme::font(FontRole role) const {
    ImFont* f = m_fonts[static_cast<std::size_t>(role)];
    if (f) return f;
    return ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
}

void Theme::rebuild_fonts() {
    m_fonts_dirty = false;
    ImGuiIO& io = ImGui::GetIO();
    ImFontAtlas* atlas = io.Fonts;
    atlas->Clear();
    m_fonts = {};

    const char* const paths[] = {k_latin_font, k_latin_bold_font, k_mono_font, k_cjk_font, k_symbol_font, k_cjk_bold_font};
    if (m_font_files.empty()) {
        for (const char* path : paths) m_font_files.push_back(read_file(path));
    }
    auto& latin = m_font_files[0];
    auto& bold = m_font_files[1];
    auto& mono = m_font_files[2];
    auto& cjk = m_font_files[3];
    auto& symbols = m_font_files[4];
    auto& cjk_bold = m_font_files[5];
    // Colour emoji (Noto Color Emoji through FreeType) when both are there; Symbola otherwise.
    const ColorEmoji color_emoji(k_color_emoji_font);
    if (!m_reported_missing) {
        m_reported_missing = true;
        for (std::size_t i = 0; i < m_font_files.size(); ++i)
            if (m_font_files[i].empty())
                std::fprintf(stderr, "tasklab-viz: font not found: %s%s\n", paths[i],
                             i == 0 ? " (falling back to ImGui's built-in font; non-ASCII text shows '?')" : "");
        if (!color_emoji.ok())
            std::fprintf(stderr, "tasklab-viz: colour emoji unavailable (%s%s); emoji are drawn in one colour\n",
                         k_color_emoji_font, TASKLAB_VIZ_COLOR_EMOJI ? "" : ", built without FreeType");
    }
    if (latin.empty()) {
        m_fonts_found = false;
        atlas->AddFontDefault();
        atlas->Build();
        return;
    }
    m_fonts_found = true;

    // Glyph ranges: exactly the code points in use (the PUA ids of the emoji are custom glyphs).
    ImFontGlyphRangesBuilder builder;
    for (std::uint32_t cp : m_code_points) {
        std::uint32_t emoji = 0;
        if (cp <= 0xFFFF && !pua_emoji(cp, emoji)) builder.AddChar(static_cast<ImWchar>(cp));
    }
    builder.AddChar(0xFFFD);
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    m_ranges.assign(ranges.begin(), ranges.end());

    const float base = font_size();
    auto add = [&](std::vector<unsigned char>& data, int index, float size, bool merge) -> ImFont* {
        if (data.empty()) return nullptr;
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;
        cfg.FontNo = index;
        cfg.MergeMode = merge;
        cfg.OversampleH = 2;
        cfg.OversampleV = 1;
        return atlas->AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), size, &cfg, m_ranges.data());
    };
    struct Role {
        FontRole role;
        std::vector<unsigned char>* primary;
        std::vector<unsigned char>* cjk;
        int cjk_index;
        float size;
    };
    // Captions and titles are bold in every script: DejaVu Sans Bold with Noto Sans CJK KR Bold.
    const Role roles[] = {{FontRole::ui, &latin, &cjk, k_cjk_korean_index, base},
                          {FontRole::mono, mono.empty() ? &latin : &mono, &cjk, k_cjk_mono_korean_index, base},
                          {FontRole::title, bold.empty() ? &latin : &bold, cjk_bold.empty() ? &cjk : &cjk_bold,
                           k_cjk_korean_index, std::round(base * 1.3f)}};

    stbtt_fontinfo symbol_info{};
    const bool have_symbols =
        !symbols.empty() && stbtt_InitFont(&symbol_info, symbols.data(), stbtt_GetFontOffsetForIndex(symbols.data(), 0)) != 0;
    std::vector<CustomGlyph> customs;

    for (const Role& r : roles) {
        ImFont* f = add(*r.primary, 0, r.size, false);
        // Hangul and kanji look small next to DejaVu's tall x-height at the same pixel size.
        add(*r.cjk, r.cjk_index, std::round(r.size * 1.1f), true);
        add(symbols, 0, r.size, true);
        m_fonts[static_cast<std::size_t>(r.role)] = f;
        if (!f) continue;
        // Ascent of the primary font at this size: custom glyphs sit on its baseline.
        stbtt_fontinfo primary{};
        stbtt_InitFont(&primary, r.primary->data(), 0);
        int ascent = 0, descent = 0, gap = 0;
        stbtt_GetFontVMetrics(&primary, &ascent, &descent, &gap);
        const float primary_scale = stbtt_ScaleForPixelHeight(&primary, r.size);
        const float baseline = std::round(static_cast<float>(ascent) * primary_scale);
        for (std::uint32_t pua : m_code_points) {
            std::uint32_t cp = 0;
            if (!pua_emoji(pua, cp)) continue;
            CustomGlyph g{static_cast<ImWchar>(pua), cp, -1, 0, 0, 0, 0, 0, f, r.size, {}, false};
            const float em = r.size;
            float advance = std::round(em * 1.1f);
            ImVec2 offset;
            int w = 0, h = 0;
            const int glyph_index = have_symbols ? stbtt_FindGlyphIndex(&symbol_info, static_cast<int>(cp)) : 0;
            if (color_emoji.render(cp, r.size, baseline, g, w, h, offset, advance)) {
                g.colored = true;
            } else if (glyph_index != 0) {
                const float s = stbtt_ScaleForPixelHeight(&symbol_info, r.size);
                stbtt_GetGlyphBitmapBox(&symbol_info, glyph_index, s, s, &g.x0, &g.y0, &g.x1, &g.y1);
                int adv = 0, lsb = 0;
                stbtt_GetGlyphHMetrics(&symbol_info, glyph_index, &adv, &lsb);
                advance = std::round(static_cast<float>(adv) * s);
                w = g.x1 - g.x0;
                h = g.y1 - g.y0;
                offset = ImVec2(static_cast<float>(g.x0), baseline + static_cast<float>(g.y0));
                g.glyph_index = glyph_index;
                g.colored = emoji_tint(cp) != IM_COL32(255, 255, 255, 255);
            } else if (synthetic_shape(cp) != 0) {
                const int d = static_cast<int>(std::round(em * 0.78f));
                w = h = d;
                offset = ImVec2(std::round((advance - static_cast<float>(d)) * 0.5f), baseline - static_cast<float>(d) * 0.86f);
                g.colored = true;
            } else {
                continue;  // no glyph anywhere: ImGui draws its fallback
            }
            if (w <= 0 || h <= 0) continue;
            g.rect = atlas->AddCustomRectFontGlyph(f, g.id, w, h, advance, offset);
            customs.push_back(std::move(g));
        }
    }
    atlas->Build();

    // Paint the custom glyphs into the RGBA atlas: colour bitmaps as they are, outlines and
    // shapes in white or the emoji's colour.
    unsigned char* pixels = nullptr;
    int tex_w = 0, tex_h = 0;
    atlas->GetTexDataAsRGBA32(&pixels, &tex_w, &tex_h);
    std::vector<unsigned char> bitmap;
    for (const CustomGlyph& g : customs) {
        const ImFontAtlasCustomRect* rect = atlas->GetCustomRectByIndex(g.rect);
        const int w = rect->Width, h = rect->Height;
        auto px_at = [&](int x, int y) {
            return pixels + (static_cast<std::size_t>(rect->Y + y) * static_cast<std::size_t>(tex_w) +
                             static_cast<std::size_t>(rect->X + x)) * 4;
        };
        if (!g.rgba.empty()) {
            for (int y = 0; y < h; ++y)
                std::copy_n(g.rgba.data() + static_cast<std::size_t>(y * w * 4), static_cast<std::size_t>(w * 4), px_at(0, y));
        } else {
            bitmap.assign(static_cast<std::size_t>(w * h), 0);
            if (g.glyph_index != 0) {
                const float s = stbtt_ScaleForPixelHeight(&symbol_info, g.size);
                stbtt_MakeGlyphBitmap(&symbol_info, bitmap.data(), w, h, w, s, s, g.glyph_index);
            } else {
                const int shape = synthetic_shape(g.cp);
                const float r = static_cast<float>(w) * 0.5f;
                for (int y = 0; y < h; ++y)
                    for (int x = 0; x < w; ++x) {
                        float a = 1.0f;
                        if (shape == 1) {
                            const float dx = static_cast<float>(x) + 0.5f - r, dy = static_cast<float>(y) + 0.5f - r;
                            a = std::clamp(r - std::sqrt(dx * dx + dy * dy) + 0.5f, 0.0f, 1.0f);
                        }
                        bitmap[static_cast<std::size_t>(y * w + x)] = static_cast<unsigned char>(a * 255.0f);
                    }
            }
            const ImU32 tint = emoji_tint(g.cp);
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    unsigned char* px = px_at(x, y);
                    px[0] = static_cast<unsigned char>((tint >> IM_COL32_R_SHIFT) & 0xFF);
                    px[1] = static_cast<unsigned char>((tint >> IM_COL32_G_SHIFT) & 0xFF);
                    px[2] = static_cast<unsigned char>((tint >> IM_COL32_B_SHIFT) & 0xFF);
                    px[3] = bitmap[static_cast<std::size_t>(y * w + x)];
                }
        }
        // A glyph with colours of its own is drawn untinted (ImFontGlyph::Colored): the text
        // colour would otherwise multiply it (a yellow circle turned black on the light theme).
        if (g.colored)
            if (const ImFontGlyph* glyph = g.font->FindGlyphNoFallback(g.id)) const_cast<ImFontGlyph*>(glyph)->Colored = 1;
    }
}

}  // namespace tasklab::viz
