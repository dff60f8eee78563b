// The base of every view: one ImGui window at a place of the fixed layout.
//
// As in ImHex, the base class owns the window: App::draw_panels() gives each panel its
// rectangle and calls draw(), which opens the window (Begin), lets the subclass draw its
// content, and closes it (End). A subclass only implements draw_content().
//
// Panels register themselves with TASKLAB_REGISTER_PANEL(Type) in their .cpp file; App creates
// one of each at start-up, in order of their `order`. Each panel gets the App, through which it
// reaches the sessions, the shared UI state (selection, hover, axis, folds) and the theme.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

namespace tasklab::viz {

class App;

/// Where a panel sits in the fixed layout (see App::layout()).
enum class PanelSlot : std::uint8_t {
    toolbar,       ///< a strip across the top: play controls, scrubber
    timeline,      ///< the large area under the toolbar
    caption,       ///< a band under the timeline: the narration caption (never over a lane)
    left,          ///< bottom row, left: the task tree
    center,        ///< bottom row, middle: the source
    right,         ///< bottom row, right: output, event log, queue (stacked)
    overlay,       ///< positions itself (picker, narration subtitles, diagnostics)
};

/// How tall a panel would like to be (timeline and caption slots): App::layout() gives the
/// timeline `full` when it can, never less than `least` while the lower panels can give way.
struct LayoutWish {
    float full = 0;   ///< every lane at its normal row height (0: no wish)
    float least = 0;  ///< every lane at the smallest readable row height
};

class Panel {
public:
    /// `title` is the window title (unique: it is also ImGui's window id).
    Panel(App& app, std::string title, PanelSlot slot, int order = 0);
    virtual ~Panel() = default;
    Panel(const Panel&) = delete;
    Panel& operator=(const Panel&) = delete;

    /// Opens the window at `pos`/`size` (ignored for overlay panels), draws the content, closes.
    void draw(ImVec2 pos, ImVec2 size);

    [[nodiscard]] const std::string& title() const { return m_title; }
    [[nodiscard]] PanelSlot slot() const { return m_slot; }
    [[nodiscard]] int order() const { return m_order; }
    /// Hidden panels take no room in the layout.
    [[nodiscard]] bool visible() const { return m_visible; }
    void set_visible(bool on) { m_visible = on; }
    /// Relative height when several panels share a slot (default 1).
    [[nodiscard]] virtual float weight() const { return 1.0f; }
    /// Called every frame before the layout, visible or not: a panel may show or hide itself
    /// (or others) here, or handle keys that must act before any panel draws.
    virtual void pre_frame() {}
    /// Height wanted in the layout in pixels (0: the slot's default); the toolbar slot uses it.
    [[nodiscard]] virtual float preferred_height() const { return 0.0f; }
    /// For the timeline and caption slots: the height wanted at this width (see LayoutWish).
    [[nodiscard]] virtual LayoutWish layout_wish(float /*width*/) const { return {}; }
    /// Whether the window shows its title bar (App::layout hides it when a tab strip names
    /// the panel instead).
    void set_title_bar(bool on) { m_title_bar = on; }
    /// The window's rectangle and the extent of what it drew in the last frame (screen pixels),
    /// for the layout report: content beyond the rectangle is cut off.
    [[nodiscard]] const std::pair<ImVec2, ImVec2>& last_rect() const { return m_last_rect; }
    [[nodiscard]] const std::pair<ImVec2, ImVec2>& last_content() const { return m_last_content; }
    /// Whether the window was drawn in the last frame.
    [[nodiscard]] bool drawn() const { return m_drawn; }
    void reset_drawn() { m_drawn = false; }
    /// Whether the window scrolls (content beyond its rectangle is then not cut off).
    [[nodiscard]] bool scrolls() const { return m_scrolls; }
    /// The window's ImGui name (its title with the `###id` part).
    [[nodiscard]] const char* window_name() const { return m_title.c_str(); }

protected:
    /// Draws the window's content (between Begin and End).
    virtual void draw_content() = 0;
    /// Extra ImGui window flags (the base always adds NoMove, NoResize, NoCollapse, NoSavedSettings
    /// for laid-out panels).
    [[nodiscard]] virtual ImGuiWindowFlags window_flags() const { return 0; }
    /// For overlay panels: whether to open the window this frame at all.
    [[nodiscard]] virtual bool wants_window() const { return true; }
    /// Window padding (default: the style's).
    [[nodiscard]] virtual bool zero_padding() const { return false; }

    App& m_app;

private:
    std::string m_title;
    PanelSlot m_slot;
    int m_order;
    bool m_visible = true;
    bool m_title_bar = true;
    bool m_drawn = false;
    bool m_scrolls = true;
    std::pair<ImVec2, ImVec2> m_last_rect{};
    std::pair<ImVec2, ImVec2> m_last_content{};
};

/// Lays out groups of widgets left to right and starts a new line when the next group would
/// not fit in the window: a toolbar that wraps instead of being cut. Each group's width is
/// measured when drawn and used on the next frame (the first frame guesses `guess`).
class FlowRow {
public:
    /// Starts a row of groups; `right` is the x (screen) where a line must end.
    void begin(float right, float gap) {
        m_right = right;
        m_gap = gap;
        m_index = 0;
        m_line_start = true;
    }
    /// Opens the next group (call end_item after its widgets).
    void begin_item(float guess = 0.0f);
    void end_item();
    /// Forces the next group onto a new line.
    void new_line() { m_line_start = true; }
    /// The width left on the current line after the last group (for a stretching widget).
    [[nodiscard]] float room_left() const;
    /// Group `i`'s width in the last frame (0 before it was drawn).
    [[nodiscard]] float item_width(std::size_t i) const { return i < m_widths.size() ? m_widths[i] : 0.0f; }

private:
    std::vector<float> m_widths;
    float m_right = 0;
    float m_gap = 8;
    std::size_t m_index = 0;
    bool m_line_start = true;
    float m_last_right = 0;
};

/// Creates one panel; panels register a factory with TASKLAB_REGISTER_PANEL.
using PanelFactory = std::function<std::unique_ptr<Panel>(App&)>;
/// All registered factories (in registration order; App sorts the panels by order()).
std::vector<PanelFactory>& panel_factories();

/// Registers a panel type (constructor `Type(App&)`) from its .cpp file.
#define TASKLAB_REGISTER_PANEL(Type)                                                                 \
    namespace {                                                                                      \
    [[maybe_unused]] const bool tasklab_registered_##Type = [] {                                     \
        ::tasklab::viz::panel_factories().push_back(                                                 \
            [](::tasklab::viz::App& app) -> std::unique_ptr<::tasklab::viz::Panel> { return std::make_unique<Type>(app); }); \
        return true;                                                                                 \
    }();                                                                                             \
    }

}  // namespace tasklab::viz
