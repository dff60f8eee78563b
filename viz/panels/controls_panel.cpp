// The toolbar: transport (play, pause, step, instant, home, end), speed, the scrubber over all
// steps, jumps to the next or previous cancel / spawn / throw, breakpoints, the cursor's step
// and time, how the run ends, and the hint bar of keys.
//
// It also owns the keyboard (pre_frame, before any panel draws): every key of the help table
// (commands.hpp) acts here, except the timeline's own view keys. Keys are left alone while a
// text field has focus, so typing a filter never steps the run.
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "viz/app.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

// GLFW key codes (ImGui 1.86 indexes io.KeysDown by the backend's codes).
constexpr int k_key_f1 = 290, k_key_f11 = 300, k_key_slash = 47, k_key_equal = 61, k_key_minus = 45,
              k_key_kp_add = 334, k_key_kp_subtract = 333;

constexpr double k_min_speed = 0.25, k_max_speed = 100000.0;

/// The colour and a short name of how a run ends.
std::pair<ImU32, const char*> status_look(const Palette& pal, RunState state) {
    switch (state) {
        case RunState::running: return {pal.text_dim, "running"};
        case RunState::finished: return {pal.outcome_returned, "\u2713 finished"};
        case RunState::uncaught_error: return {pal.error, "\u2717 uncaught error"};
        case RunState::runtime_error: return {pal.error, "\u2717 runtime error"};
        case RunState::deadlock: return {pal.cancel_pending, "\u29D6 deadlock"};
        case RunState::step_limit: return {pal.mark[static_cast<int>(MarkKind::lint)], "\u23F9 step limit"};
        case RunState::time_limit: return {pal.mark[static_cast<int>(MarkKind::lint)], "\u23F9 time limit"};
        case RunState::internal_error: return {pal.error, "\u2717 internal error"};
        case RunState::stopped: return {pal.mark[static_cast<int>(MarkKind::lint)], "\u23F9 stopped"};
    }
    return {pal.text_dim, "?"};
}

bool key(int k, bool repeat = true) { return ImGui::IsKeyPressed(k, repeat); }
bool named_key(ImGuiKey k, bool repeat = true) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); }

/// Which pixel columns of the scrubber hold a note, a cancel request or a throw, read from
/// the trace incrementally (one byte compare per new event), so a run of a million events costs
/// nothing per frame once read.
class ScrubMarks {
public:
    void sync(Session& s, int width) {
        const Trace& trace = s.trace();
        const std::uint64_t key = trace_key(s);
        if (key != m_key || width != static_cast<int>(m_columns.size()) || trace.size() < m_read) {
            m_key = key;
            m_read = 0;
            m_columns.assign(static_cast<std::size_t>(width), 0);
        }
        const double total = static_cast<double>(std::max<std::uint64_t>(s.total_steps(), 1));
        for (; m_read < trace.size(); ++m_read) {
            const EventKind kind = trace.stored(m_read).kind;
            const int bit = kind == EventKind::narration ? 0 : kind == EventKind::cancel_requested ? 1 : kind == EventKind::threw ? 2 : -1;
            if (bit < 0) continue;
            const double step = static_cast<double>(trace.at(m_read).step);
            const auto c = static_cast<std::size_t>(std::clamp(step / total * static_cast<double>(width), 0.0, static_cast<double>(width - 1)));
            m_columns[c] = static_cast<std::uint8_t>(m_columns[c] | (1u << bit));
        }
    }
    /// Per pixel column: bit 0 a note, bit 1 a cancel request, bit 2 a throw.
    [[nodiscard]] const std::vector<std::uint8_t>& columns() const { return m_columns; }

private:
    std::uint64_t m_key = ~std::uint64_t{0};
    std::uint64_t m_read = 0;
    std::vector<std::uint8_t> m_columns;
};

class ControlsPanel final : public Panel {
public:
    explicit ControlsPanel(App& app) : Panel(app, "Controls", PanelSlot::toolbar, 0) {
        m_app.theme().add_text("\u29D6\u23F9\u23EE\u23EA\u25C0\u25B6\u23F8\u23E9\u23ED\u25CF\u25CB\u2009\u25D0\u25D3\u25D1\u25D2\u2026\u00B7");
        for (std::size_t i = 0; i < k_key_count; ++i) {
            m_app.theme().add_text(k_keys[i].keys);
            m_app.theme().add_text(k_keys[i].action);
        }
    }

    /// As tall as the rows drew last frame (they wrap to the window's width); the first frame
    /// guesses three rows.
    [[nodiscard]] float preferred_height() const override {
        const ImGuiStyle& style = ImGui::GetStyle();
        if (m_content_h > 0) return std::round(m_content_h + 2 * style.WindowPadding.y + 2);
        return std::round(2 * ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeight() + 2 * style.WindowPadding.y + 2);
    }

    void pre_frame() override {
        Notice& n = notice();
        if (n.seconds_left > 0) n.seconds_left -= static_cast<double>(ImGui::GetIO().DeltaTime);
        Session* s = m_app.session();
        handle_keys(s);
        if (!s || !s->has_run()) return;
        reverse_play(*s);
        watch_breakpoints(*s);
    }

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw_content() override {
        Session* s = m_app.session();
        const float top = ImGui::GetCursorScreenPos().y;
        m_right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        m_flow.begin(m_right, 4);
        if (s && s->running()) draw_running(*s);
        if (s && !s->has_run() && s->running()) {
            draw_notice();
            draw_hints();
        } else if (!s || !s->has_run()) {
            ImGui::TextUnformatted(s ? "The scenario does not run yet (see the errors)." : "No scenario open.");
            ImGui::SameLine();
            if (ImGui::Button("Open\u2026 (O)")) m_app.ui().picker = PickerMode::open;
            draw_notice();
            draw_hints();
        } else {
            draw_transport(*s);
            draw_scrub_row(*s);
            // Presenter mode leaves the key hints out (F1 shows them all), and so does a window
            // so narrow that the buttons took more than two lines: the lanes need the room.
            const float lines = (ImGui::GetItemRectMax().y - top) / ImGui::GetFrameHeightWithSpacing();
            if (!m_app.ui().presenter && lines < 2.5f) draw_hints();
        }
        m_content_h = ImGui::GetItemRectMax().y - top;
    }

private:
    // ---- keys ----
    void handle_keys(Session* s) {
        const ImGuiIO& io = ImGui::GetIO();
        UiState& ui = m_app.ui();
        if (key(k_key_f1, false)) ui.show_help = !ui.show_help;
        if (key(k_key_f11, false)) m_app.set_presenter(!ui.presenter);
        if (named_key(ImGuiKey_Escape, false)) {
            // Esc stops a run in flight first; then it closes the help and the picker.
            if (s && s->running() && !s->stop_requested()) {
                stop_run(*s);
            } else {
                ui.show_help = false;
                if (s) ui.picker = PickerMode::closed;
            }
        }
        if (io.KeyAlt || io.KeySuper) return;
        // Ctrl+P, S, E mean nothing to a text field (it uses Ctrl+A, C, V, X, Y, Z): they work
        // while typing too.
        if (io.KeyCtrl) {
            if (key('P', false)) m_app.set_presenter(!ui.presenter);
            if (key('S', false)) save_view_png(m_app);
            if (key('E', false) && s) {
                if (io.KeyShift) export_scene(m_app);
                else export_perfetto(m_app, *s);
            }
            return;
        }
        if (io.WantTextInput) return;
        for (ImWchar c : io.InputQueueCharacters)
            if (c == '?') ui.show_help = !ui.show_help;
        if (key('O', false)) ui.picker = ui.picker == PickerMode::open && s ? PickerMode::closed : PickerMode::open;
        if (key('C', false)) {
            if (m_app.compare_session()) m_app.close_compare();
            else if (s) ui.picker = PickerMode::compare;
        }
        // The picker takes the keyboard while it is open (↑/↓, Enter, typing).
        if (!s || ui.picker != PickerMode::closed) return;
        if (key('R', false)) reload(*s);
        if (!s->has_run()) return;
        const bool shift = io.KeyShift;
        if (named_key(ImGuiKey_Space, false)) {
            if (shift) toggle_reverse(*s);
            else toggle_play(*s);
        }
        if (named_key(ImGuiKey_RightArrow)) {
            stop_reverse();
            if (shift) next_instant(m_app, *s);
            else step_forward(m_app, *s);
        }
        if (named_key(ImGuiKey_LeftArrow)) {
            stop_reverse();
            if (shift) previous_instant(m_app, *s);
            else step_back(m_app, *s);
        }
        if (named_key(ImGuiKey_Home, false)) go_home(*s);
        if (named_key(ImGuiKey_End, false)) go_end(*s);
        if (key(k_key_equal) || key(k_key_kp_add)) s->set_speed(std::min(s->speed() * 2, k_max_speed));
        if (key(k_key_minus) || key(k_key_kp_subtract)) s->set_speed(std::max(s->speed() / 2, k_min_speed));
        if (key('N')) do_jump(*s, JumpKind::cancel, true);
        if (key('P')) do_jump(*s, JumpKind::cancel, false);
        if (key('S')) do_jump(*s, JumpKind::spawn, !shift);
        if (key('T')) do_jump(*s, JumpKind::threw, !shift);
        if (key('B', false)) {
            if (shift) {
                stop_reverse();
                previous_breakpoint(m_app, *s);
            } else {
                toggle_selected_line_breakpoint();
            }
        }
        (void)k_key_slash;
    }

    void toggle_selected_line_breakpoint() {
        UiState& ui = m_app.ui();
        if (ui.selected_line == 0) {
            notify("Click a source line first, then B sets a breakpoint on it.");
            return;
        }
        ui.breakpoints.toggle_line(ui.selected_line);
        notify((ui.breakpoints.lines.count(ui.selected_line) ? "Breakpoint set on line " : "Breakpoint removed from line ") +
               std::to_string(ui.selected_line));
    }

    void reload(Session& s) {
        const bool replaced = s.reload();
        if (s.parse_failed()) notify("The file has errors: the last good run stays on screen.", true);
        else if (replaced) notify("Reloaded " + export_stem(s));
    }

    void do_jump(Session& s, JumpKind kind, bool forward) {
        stop_reverse();
        jump(m_app, s, kind, forward);
    }

    // ---- playing ----
    void toggle_play(Session& s) {
        stop_reverse();
        if (s.playing()) {
            s.set_playing(false);
            return;
        }
        if (s.at_end()) s.seek(0);
        m_app.ui().selected_event.reset();
        arm_watch(s);
        s.set_playing(true);
    }

    void toggle_reverse(Session& s) {
        if (m_reverse) {
            stop_reverse();
            return;
        }
        s.set_playing(false);
        if (s.step() == 0) return;
        m_reverse = true;
        m_reverse_budget = 0;
        m_app.ui().selected_event.reset();
    }

    void stop_reverse() { m_reverse = false; }

    void go_home(Session& s) {
        stop_reverse();
        s.set_playing(false);
        m_app.ui().selected_event.reset();
        s.seek(0);
    }

    void go_end(Session& s) {
        stop_reverse();
        s.set_playing(false);
        m_app.ui().selected_event.reset();
        s.run_to_end();
    }

    /// Playing backward: each frame moves back by the speed's worth of steps in one replay,
    /// stopping at the latest breakpoint hit among the steps it passes.
    void reverse_play(Session& s) {
        if (!m_reverse) return;
        if (s.playing()) {
            m_reverse = false;
            return;
        }
        m_reverse_budget += static_cast<double>(ImGui::GetIO().DeltaTime) * s.speed();
        if (m_reverse_budget < 1.0) return;
        const auto n = static_cast<std::uint64_t>(m_reverse_budget);
        m_reverse_budget -= static_cast<double>(n);
        const std::uint64_t here = s.step();
        const std::uint64_t target = here > n ? here - n : 0;
        const auto hit = find_break_backward(s.trace(), m_app.ui().breakpoints, &s.source(), here, target);
        if (hit) {
            const std::uint64_t event = hit->event;
            const std::string reason = hit->reason;
            s.seek(s.trace().at(event).step);
            m_reverse = false;
            go_to_event(m_app, s, event);
            notify("Stopped at a breakpoint: " + reason);
            return;
        }
        s.seek(target);
        if (target == 0) m_reverse = false;
    }

    /// The breakpoint predicate playing stops at; re-armed when the breakpoints change.
    void arm_watch(Session& s) {
        const Breakpoints& bp = m_app.ui().breakpoints;
        m_armed = bp;
        if (!bp.any()) {
            m_watch.reset();
            m_app.set_play_stop({});
            return;
        }
        m_watch.emplace(bp, &s.source(), s.now());
        m_last_hit = ~std::uint64_t{0};
        m_app.set_play_stop(*m_watch);
    }

    void watch_breakpoints(Session& s) {
        const Breakpoints& bp = m_app.ui().breakpoints;
        const bool changed = bp.lines != m_armed.lines || bp.time_at_least != m_armed.time_at_least ||
                             bp.enabled != m_armed.enabled || bp.cancel_requested != m_armed.cancel_requested ||
                             bp.cancel_observed != m_armed.cancel_observed || bp.threw != m_armed.threw ||
                             bp.task_finished != m_armed.task_finished;
        if (s.playing() && (changed || m_epoch != trace_key(s))) arm_watch(s);
        m_epoch = trace_key(s);
        // Playing stopped at a breakpoint since the last frame: say why and show the event.
        if (m_was_playing && !s.playing() && m_watch && !m_watch->hit().reason.empty() &&
            m_watch->hit().event != m_last_hit) {
            m_last_hit = m_watch->hit().event;
            go_to_event(m_app, s, m_last_hit);
            notify("Stopped at a breakpoint: " + m_watch->hit().reason);
        }
        if (s.playing()) m_app.ui().selected_event.reset();
        m_was_playing = s.playing();
    }

    void stop_run(Session& s) {
        stop_reverse();
        s.stop_run();
        notify("Stopping the run\u2026");
    }

    // ---- drawing ----
    /// The run in flight on the worker: what it has done so far, and the Stop button.
    void draw_running(Session& s) {
        const RunProgress p = s.progress();
        const Palette& pal = m_app.theme().palette();
        static constexpr const char* k_spinner[] = {"\u25D0", "\u25D3", "\u25D1", "\u25D2"};
        const auto turn = static_cast<std::size_t>(ImGui::GetTime() * 6.0) % 4;
        char buf[240];
        std::snprintf(buf, sizeof buf, "%s %s\u2026 %" PRIu64 " step%s done, in step %" PRIu64 " for %.1f s \u00B7 %" PRIu64 " event%s \u00B7 %s",
                      k_spinner[turn], s.stop_requested() ? "stopping" : s.loading() ? "running" : "moving the cursor", p.steps,
                      p.steps == 1 ? "" : "s", p.steps + 1, s.running_seconds(), p.events, p.events == 1 ? "" : "s",
                      format_time(p.now).c_str());
        m_flow.begin_item();
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, pal.mark[static_cast<int>(MarkKind::lint)]);
        ImGui::TextUnformatted(buf);
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", s.loading() ? "The whole run is being made to see how long it is; the window stays usable."
                                                : "The steps to the cursor are being run; the window stays usable.");
        ImGui::SameLine(0, 6);
        if (button("\u23F9 Stop (Esc)", "Stop the run here: it shows what ran so far", !s.stop_requested())) stop_run(s);
        m_flow.end_item();
    }

    bool button(const char* label, const char* tip, bool enabled = true) {
        if (!enabled) ImGui::BeginDisabled();
        const bool pressed = ImGui::Button(label);
        if (!enabled) ImGui::EndDisabled();
        if (tip && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tip);
        return pressed;
    }

    void draw_transport(Session& s) {
        const bool at_start = s.step() == 0;
        const bool at_end = s.at_end();
        m_flow.begin_item();
        if (button("\u23EE", "First step (Home)", !at_start)) go_home(s);
        ImGui::SameLine(0, 4);
        if (button("\u23EA", "Previous virtual instant (Shift+\u2190)", !at_start)) {
            stop_reverse();
            previous_instant(m_app, s);
        }
        ImGui::SameLine(0, 4);
        if (button("\u25C0 step", "One step back (\u2190): the run is replayed, exactly", !at_start)) {
            stop_reverse();
            step_back(m_app, s);
        }
        ImGui::SameLine(0, 4);
        const bool busy = s.playing() || m_reverse;
        if (button(busy ? "\u23F8 Pause" : "\u25B6 Play ", "Play / pause (Space); Shift+Space plays backward")) {
            if (m_reverse) stop_reverse();
            else toggle_play(s);
        }
        ImGui::SameLine(0, 4);
        if (button("step \u25B6", "One step forward (\u2192)", !at_end)) {
            stop_reverse();
            step_forward(m_app, s);
        }
        ImGui::SameLine(0, 4);
        if (button("\u23E9", "Next virtual instant (Shift+\u2192)", !at_end)) {
            stop_reverse();
            next_instant(m_app, s);
        }
        ImGui::SameLine(0, 4);
        if (button("\u23ED", "End of the run (End)", !at_end)) go_end(s);
        m_flow.end_item();

        m_flow.begin_item();
        float speed = static_cast<float>(s.speed());
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
        if (ImGui::SliderFloat("##speed", &speed, static_cast<float>(k_min_speed), static_cast<float>(k_max_speed),
                               speed < 10 ? "%.2g steps/s" : "%.0f steps/s", ImGuiSliderFlags_Logarithmic))
            s.set_speed(static_cast<double>(speed));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playing speed in scheduler steps per second (+ / -)");
        m_flow.end_item();

        // The cursor's readout.
        m_flow.begin_item();
        char buf[160];
        std::snprintf(buf, sizeof buf, "step %" PRIu64 " / %" PRIu64 "   %s / %s   %" PRIu64 " events", s.step(),
                      s.total_steps(), format_time(s.now()).c_str(), format_time(s.total_time()).c_str(), s.event_count());
        ImGui::PushFont(m_app.theme().font(FontRole::mono));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(buf);
        ImGui::PopFont();
        m_flow.end_item();

        // How the run ends: loud at the end, quiet before (shortened to the line, whole on hover).
        const Palette& pal = m_app.theme().palette();
        const RunStatus& status = at_end ? s.controller().status() : s.final_status();
        const auto [color, name] = status_look(pal, status.state);
        std::string full = at_end ? std::string(name) : std::string("ends: ") + name;
        // "deadlock — nothing can run", not "deadlock — deadlock: nothing can run".
        const std::string_view heading = std::string_view(name).substr(std::string_view(name).find(' ') + 1);
        if (!status.message.empty() && status.state != RunState::finished)
            full += " \u2014 " + std::string(without_heading(status.message, heading));
        // Where it happened, so the class looks at the right line of the source.
        if (status.diagnostic && status.state != RunState::finished && s.has_run())
            full += " \u00B7 line " + std::to_string(s.source().locate(status.diagnostic->span.begin).line);
        full = Theme::shown(full);
        // A run shown at a limit or a stop says why on a line of its own when the rest of this
        // line is too short for it (the limit's message is the news of such a file).
        if (at_end && Session::opens_at_end(status) && m_flow.room_left() < ImGui::CalcTextSize(full.c_str()).x + 14)
            m_flow.new_line();
        m_flow.begin_item(m_status_w);
        const std::string text = fit_text(full, m_right - m_flow_line_x() - 14);
        if (at_end && status.state != RunState::running) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const ImVec2 size = ImGui::CalcTextSize(text.c_str());
            const float pad = 6;
            const float h = ImGui::GetFrameHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + size.x + 2 * pad, p.y + h),
                                                      (color & 0x00FFFFFFu) | 0x40000000u, 4.0f);
            ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x, p.y), ImVec2(p.x + size.x + 2 * pad, p.y + h), color, 4.0f, 0, 1.5f);
            ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y));
        }
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, at_end ? color : pal.text_dim);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered() && (text != full || !status.stderr_text.empty())) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
            if (text != full) ImGui::TextUnformatted(full.c_str());
            if (!status.stderr_text.empty()) ImGui::TextUnformatted(Theme::shown(status.stderr_text).c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        m_flow.end_item();
        m_status_w = ImGui::CalcTextSize(full.c_str()).x + 14;
        draw_notice();
    }

    /// Where a group placed now would start: after the last one on this line, or at the line's
    /// start when it goes on a new line.
    [[nodiscard]] float m_flow_line_x() const { return ImGui::GetCursorScreenPos().x; }

    /// `text` cut to `width` pixels in the current font with an ellipsis (viz/model/text_fit.hpp).
    static std::string fit_text(const std::string& text, float width) {
        return fit_to_width(ImGui::GetFont(), ImGui::GetFontSize(), text, width).text;
    }

    void draw_notice() {
        const Notice& n = notice();
        if (n.seconds_left <= 0 || n.text.empty()) return;
        m_flow.begin_item();
        const Palette& pal = m_app.theme().palette();
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, n.error ? pal.error : pal.mark[static_cast<int>(MarkKind::narration)]);
        const std::string text = Theme::shown(n.text);
        ImGui::TextUnformatted(fit_text(text, m_right - ImGui::GetCursorScreenPos().x).c_str());
        ImGui::PopStyleColor();
        m_flow.end_item();
    }

    void jump_pair(Session& s, const char* name, JumpKind kind, const char* keys) {
        m_flow.begin_item();
        ImGui::PushID(name);
        char tip[96];
        std::snprintf(tip, sizeof tip, "Previous %s (%s)", name, keys);
        if (button("\u25C0", tip)) do_jump(s, kind, false);
        ImGui::SameLine(0, 2);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(name);
        ImGui::SameLine(0, 2);
        std::snprintf(tip, sizeof tip, "Next %s (%s)", name, keys);
        if (button("\u25B6", tip)) do_jump(s, kind, true);
        ImGui::PopID();
        m_flow.end_item();
    }

    /// The second row: jumps, breakpoints, presenter, compare, open, then the scrubber over the
    /// rest of the line (or a line of its own when little is left). Groups wrap when narrow.
    void draw_scrub_row(Session& s) {
        m_flow.new_line();
        jump_pair(s, "cancel", JumpKind::cancel, "N / P");
        jump_pair(s, "spawn", JumpKind::spawn, "S / Shift+S");
        jump_pair(s, "throw", JumpKind::threw, "T / Shift+T");
        m_flow.begin_item();
        draw_breakpoints_button(s);
        m_flow.end_item();
        UiState& ui = m_app.ui();
        const char* compare_label = m_app.compare_session() ? "Stop comparing (C)" : "Compare (C)";
        m_flow.begin_item();
        bool presenter = ui.presenter;
        if (ImGui::Checkbox("Presenter (F11)", &presenter)) m_app.set_presenter(presenter);
        m_flow.end_item();
        m_flow.begin_item();
        if (m_app.compare_session()) {
            if (button(compare_label, "Close the second scenario")) m_app.close_compare();
        } else if (button(compare_label, "Open a second scenario under this one, on the same time axis")) {
            ui.picker = PickerMode::compare;
        }
        m_flow.end_item();
        m_flow.begin_item();
        if (button("Open (O)", "Open a bundled scenario")) ui.picker = PickerMode::open;
        m_flow.end_item();

        // The scrubber: every step of the whole run.
        std::uint64_t step = s.step();
        const std::uint64_t lo = 0, hi = std::max<std::uint64_t>(s.total_steps(), 1);
        const float least = ImGui::GetFontSize() * 7;
        float width = m_flow.room_left();
        if (width >= least) {
            ImGui::SameLine(0, 12);
        } else {
            width = m_right - ImGui::GetCursorScreenPos().x;
        }
        ImGui::SetNextItemWidth(std::max(80.0f, width));
        if (ImGui::SliderScalar("##scrub", ImGuiDataType_U64, &step, &lo, &hi, "step %llu")) {
            stop_reverse();
            s.set_playing(false);
            m_app.ui().selected_event.reset();
            s.seek(step);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag over all %llu steps of the run",
                                                      static_cast<unsigned long long>(s.total_steps()));
        draw_scrub_marks(s);
    }

    /// Ticks on the scrubber at the notes, cancels and throws the run has reached so far.
    void draw_scrub_marks(Session& s) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const float grab = ImGui::GetStyle().GrabMinSize;
        const float x0 = a.x + grab * 0.5f + 2, x1 = b.x - grab * 0.5f - 2;
        m_scrub_marks.sync(s, std::max(1, static_cast<int>(x1 - x0)));
        const Palette& pal = m_app.theme().palette();
        const ImU32 colors[3] = {pal.mark[static_cast<int>(MarkKind::narration)], pal.mark[static_cast<int>(MarkKind::cancel_requested)],
                                 pal.mark[static_cast<int>(MarkKind::threw)]};
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const auto& cols = m_scrub_marks.columns();
        for (std::size_t c = 0; c < cols.size(); ++c) {
            if (cols[c] == 0) continue;
            const float x = x0 + static_cast<float>(c);
            for (int k = 0; k < 3; ++k)
                if (cols[c] & (1u << k)) dl->AddLine(ImVec2(x, b.y - 5 - static_cast<float>(k)), ImVec2(x, b.y - 1), colors[k], 2.0f);
        }
    }

    void draw_breakpoints_button(Session& s) {
        Breakpoints& bp = m_app.ui().breakpoints;
        const int count = static_cast<int>(bp.cancel_requested) + static_cast<int>(bp.cancel_observed) +
                          static_cast<int>(bp.threw) + static_cast<int>(bp.task_finished) +
                          static_cast<int>(bp.time_at_least.has_value()) + static_cast<int>(bp.lines.size());
        char label[64];
        std::snprintf(label, sizeof label, "%s Breakpoints (%d)###bp", bp.any() ? "\u25CF" : "\u25CB", count);
        const Palette& pal = m_app.theme().palette();
        if (bp.any()) ImGui::PushStyleColor(ImGuiCol_Text, pal.error);
        if (ImGui::Button(label)) ImGui::OpenPopup("breakpoints");
        if (bp.any()) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Stop playing and stepping at events (Shift+B: back to the previous hit)");
        if (!ImGui::BeginPopup("breakpoints")) return;
        ImGui::Checkbox("Breakpoints on", &bp.enabled);
        ImGui::Separator();
        ImGui::TextDisabled("Stop when");
        ImGui::Checkbox("a cancel is requested", &bp.cancel_requested);
        ImGui::Checkbox("a task notices its cancellation", &bp.cancel_observed);
        ImGui::Checkbox("a task throws", &bp.threw);
        ImGui::Checkbox("a task finishes", &bp.task_finished);
        bool timed = bp.time_at_least.has_value();
        if (ImGui::Checkbox("virtual time reaches", &timed)) {
            if (timed) bp.time_at_least = s.total_time() / 2;
            else bp.time_at_least.reset();
        }
        if (bp.time_at_least) {
            ImGui::SameLine();
            double seconds = static_cast<double>(*bp.time_at_least) / static_cast<double>(k_second);
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
            if (ImGui::InputDouble("s##t", &seconds, 0.1, 1.0, "%.3f"))
                bp.time_at_least = static_cast<Tick>(std::llround(std::max(0.0, seconds) * static_cast<double>(k_second)));
        }
        ImGui::Separator();
        ImGui::TextDisabled("Source lines (click the source's gutter, or select a line and press B)");
        std::optional<std::uint32_t> remove;
        for (std::uint32_t line : bp.lines) {
            ImGui::PushID(static_cast<int>(line));
            if (ImGui::SmallButton("\u2717")) remove = line;
            ImGui::SameLine();
            const std::string text = s.has_run() ? std::string(s.source().line_text(line)) : std::string();
            ImGui::Text("line %u", line);
            ImGui::SameLine();
            ImGui::PushFont(m_app.theme().font(FontRole::mono));
            ImGui::TextDisabled("%s", Theme::shown(text.substr(0, 60)).c_str());
            ImGui::PopFont();
            ImGui::PopID();
        }
        if (remove) bp.lines.erase(*remove);
        if (bp.lines.empty()) ImGui::TextDisabled("  (none)");
        ImGui::Separator();
        if (ImGui::Button("Clear all")) bp = Breakpoints{};
        ImGui::SameLine();
        if (ImGui::Button("Back to previous hit (Shift+B)")) {
            ImGui::CloseCurrentPopup();
            stop_reverse();
            previous_breakpoint(m_app, s);
        }
        ImGui::EndPopup();
    }

    /// The line of key hints: as many as fit the window's width, in the table's order, always
    /// ending with where all of them are (F1).
    void draw_hints() {
        const Palette& pal = m_app.theme().palette();
        const float width = m_right - ImGui::GetCursorScreenPos().x;
        const std::string sep = "    ";
        std::string help, line;
        for (std::size_t i = 0; i < k_key_count; ++i) {
            if (!k_keys[i].hint) continue;
            const std::string item = std::string(k_keys[i].keys) + " " + k_keys[i].hint;
            if (std::string_view(k_keys[i].keys).starts_with("F1 ")) help = item;
        }
        if (help.empty()) help = "F1 all keys";
        for (std::size_t i = 0; i < k_key_count; ++i) {
            if (!k_keys[i].hint) continue;
            const std::string item = std::string(k_keys[i].keys) + " " + k_keys[i].hint;
            if (item == help) continue;
            const std::string longer = line.empty() ? item : line + sep + item;
            if (ImGui::CalcTextSize((longer + sep + help).c_str()).x > width) break;
            line = longer;
        }
        line = line.empty() ? help : line + sep + help;
        ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
        ImGui::TextUnformatted(fit_text(line, width).c_str());
        ImGui::PopStyleColor();
    }

    bool m_reverse = false;
    double m_reverse_budget = 0;
    std::optional<BreakpointWatch> m_watch;
    Breakpoints m_armed;
    std::uint64_t m_epoch = ~std::uint64_t{0};
    bool m_was_playing = false;
    std::uint64_t m_last_hit = ~std::uint64_t{0};
    ScrubMarks m_scrub_marks;
    FlowRow m_flow;
    float m_right = 0;       // the x where a line must end
    float m_content_h = 0;   // the rows' height in the last frame (preferred_height)
    float m_status_w = 0;    // the end status's whole width in the last frame
};

}  // namespace
TASKLAB_REGISTER_PANEL(ControlsPanel)
}  // namespace tasklab::viz
