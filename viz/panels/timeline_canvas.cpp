// The timeline canvas: gutter labels and brackets, state patterns, marks, gaps, arrows, hover.
#include "timeline_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/app.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/text/event_log.hpp"

namespace tasklab::viz {

namespace {

ImU32 alpha(ImU32 c, float a) {
    const auto base = static_cast<float>((c >> IM_COL32_A_SHIFT) & 0xFF);
    return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(std::clamp(base * a, 0.0f, 255.0f)) << IM_COL32_A_SHIFT);
}

/// A dashed line from a to b (dash and gap in pixels); only the part inside `clip_y` is drawn.
void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float dash, float gap) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5f) return;
    const float ux = dx / len, uy = dy / len;
    // Never more than ~400 dashes: long lines are clipped by the caller first.
    const float period = std::max(dash + gap, len / 400.0f);
    for (float t = 0; t < len; t += period) {
        const float e = std::min(len, t + dash);
        dl->AddLine(ImVec2(a.x + ux * t, a.y + uy * t), ImVec2(a.x + ux * e, a.y + uy * e), col, thick);
    }
}

/// Diagonal hatching inside a rectangle (45°, lines `spacing` apart), clipped by hand.
void hatch(ImDrawList* dl, float x0, float y0, float x1, float y1, ImU32 col, float spacing, float thick, bool other_way) {
    const float h = y1 - y0;
    if (x1 - x0 < 1 || h < 1) return;
    // Lines y = y1 - (x - k) for k stepping along x (or mirrored); clip each to [x0, x1].
    const float start = std::floor((x0 - h) / spacing) * spacing;  // aligned: patterns line up across spans
    for (float k = start; k < x1; k += spacing) {
        float xa = std::max(k, x0), xb = std::min(k + h, x1);
        if (xb <= xa) continue;
        if (!other_way) dl->AddLine(ImVec2(xa, y1 - (xa - k)), ImVec2(xb, y1 - (xb - k)), col, thick);
        else dl->AddLine(ImVec2(xa, y0 + (xa - k)), ImVec2(xb, y0 + (xb - k)), col, thick);
    }
}

void outlined_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, ImU32 outline, const char* text) {
    for (const ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1)})
        dl->AddText(font, size, ImVec2(pos.x + d.x, pos.y + d.y), outline, text);
    dl->AddText(font, size, pos, col, text);
}

ImVec2 text_size(ImFont* font, float size, const char* text) { return font->CalcTextSizeA(size, 1e9f, 0, text); }

std::string time_label(double position, bool steps) {
    if (steps) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::llround(position)));
        return buf;
    }
    return format_duration(static_cast<Tick>(std::llround(position)));
}

}  // namespace

CanvasMetrics CanvasMetrics::for_font(float f) {
    CanvasMetrics m;
    m.font = f;
    m.row = std::round(f * 2.35f);
    m.bar = std::round(f * 0.95f);
    m.indent = std::round(f * 1.05f);
    m.gutter = std::round(f * 15.0f);
    m.ruler = std::round(f * 1.6f);
    return m;
}

CanvasMetrics CanvasMetrics::with_row(float row_px) const {
    CanvasMetrics m = *this;
    if (row_px <= 0 || row_px >= row) return m;
    m.row = std::round(row_px);
    m.bar = std::min(bar, std::max(4.0f, std::round(m.row * 0.4f)));
    return m;
}

ImU32 outcome_color(const Palette& pal, Outcome o) {
    switch (o) {
        case Outcome::returned: return pal.outcome_returned;
        case Outcome::threw: return pal.outcome_threw;
        case Outcome::cancelled: return pal.outcome_cancelled;
        case Outcome::skipped: return pal.outcome_skipped;
        case Outcome::abandoned: return pal.outcome_abandoned;
    }
    return pal.text;
}

ImU32 legend_glyph_color(const Palette& pal, const LegendEntry& e) {
    switch (e.kind) {
        case LegendEntry::Kind::outcome: return outcome_color(pal, static_cast<Outcome>(e.value));
        case LegendEntry::Kind::mark: return pal.mark[static_cast<std::size_t>(e.value)];
        case LegendEntry::Kind::unstructured: return pal.unstructured;
        case LegendEntry::Kind::thread: return pal.thread;
        case LegendEntry::Kind::gap: return pal.gap;
        case LegendEntry::Kind::state:
        case LegendEntry::Kind::pending:
        case LegendEntry::Kind::arrow: return 0;
    }
    return 0;
}

void draw_state(ImDrawList* dl, const Palette& pal, LaneState state, bool cancel_pending, float x0, float x1, float y_mid,
                float bar) {
    const ImU32 col = pal.state[static_cast<int>(state)];
    const float top = y_mid - bar * 0.5f, bottom = y_mid + bar * 0.5f;
    if (x1 - x0 < 1.0f) x1 = x0 + 1.0f;
    if (cancel_pending) {
        // Cancelled but still going: an orange hatched box behind whatever the task does.
        dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), alpha(pal.cancel_pending, 0.16f));
        hatch(dl, x0, top, x1, bottom, alpha(pal.cancel_pending, 0.85f), 7.0f, 1.5f, false);
        dl->AddRect(ImVec2(x0, top), ImVec2(x1, bottom), pal.cancel_pending, 0, 0, 1.0f);
    }
    switch (state) {
        case LaneState::running:
            // Solid: the task holds the thread.
            if (cancel_pending) {
                dl->AddRectFilled(ImVec2(x0, top + bar * 0.22f), ImVec2(x1, bottom - bar * 0.22f), alpha(col, 0.9f));
                hatch(dl, x0, top + bar * 0.22f, x1, bottom - bar * 0.22f, alpha(pal.cancel_pending, 0.95f), 7.0f, 2.0f,
                      false);
            } else {
                dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), col, 2.0f);
            }
            break;
        case LaneState::suspended:
            // A thin line: alive, waiting, holding nothing.
            dl->AddRectFilled(ImVec2(x0, y_mid - 1.5f), ImVec2(x1, y_mid + 1.5f), col);
            break;
        case LaneState::sleeping: {
            // Dots: a timer will wake it.
            const float r = std::max(1.5f, bar * 0.13f);
            const float step = r * 4.0f;
            const float start = std::ceil(x0 / step) * step;
            for (float x = start; x + r <= x1 + 0.5f; x += step)
                dl->AddRectFilled(ImVec2(x - r, y_mid - r), ImVec2(x + r, y_mid + r), col);
            if (x1 - x0 < step) dl->AddRectFilled(ImVec2(x0, y_mid - r), ImVec2(x1, y_mid + r), col);
            break;
        }
        case LaneState::blocked:
            // Cross-hatching: the thread itself is stuck.
            dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), alpha(col, 0.25f));
            hatch(dl, x0, top, x1, bottom, col, 6.0f, 1.4f, false);
            hatch(dl, x0, top, x1, bottom, col, 6.0f, 1.4f, true);
            dl->AddRect(ImVec2(x0, top), ImVec2(x1, bottom), col);
            break;
        case LaneState::actor_wait:
            // Hatched one way inside an outline: alive and ready, but another task holds its actor.
            dl->AddRectFilled(ImVec2(x0, top + bar * 0.15f), ImVec2(x1, bottom - bar * 0.15f), alpha(col, 0.18f));
            hatch(dl, x0, top + bar * 0.15f, x1, bottom - bar * 0.15f, col, 5.0f, 1.3f, true);
            dl->AddRect(ImVec2(x0, top + bar * 0.15f), ImVec2(x1, bottom - bar * 0.15f), col);
            break;
        case LaneState::waiting_to_start:
            // Dashes: created, not started yet.
            dashed_line(dl, ImVec2(x0, y_mid), ImVec2(x1, y_mid), alpha(col, 0.9f), 1.5f, 3.0f, 4.0f);
            break;
    }
}

namespace {

struct ArrowStyle {
    float thick;
    float dash;  // 0: solid
    float gap;
    bool hollow_head;
};

ArrowStyle arrow_style(ArrowKind kind) {
    switch (kind) {
        case ArrowKind::spawn: return {1.4f, 0, 0, false};
        case ArrowKind::spawn_unstructured: return {1.4f, 6, 4, false};
        case ArrowKind::explicit_cancel: return {2.6f, 0, 0, false};
        case ArrowKind::propagated: return {2.0f, 5, 3, false};
        case ArrowKind::implicit: return {2.2f, 2, 3, false};
        case ArrowKind::error_delivered: return {2.0f, 0, 0, true};
    }
    return {1, 0, 0, false};
}

void stroke(ImDrawList* dl, ImU32 col, const ArrowStyle& st, ImVec2 a, ImVec2 b, float scale) {
    if (st.dash <= 0) dl->AddLine(a, b, col, st.thick * scale);
    else dashed_line(dl, a, b, col, st.thick * scale, st.dash * scale, st.gap * scale);
}

void arrow_head(ImDrawList* dl, ImU32 col, const ArrowStyle& st, ImVec2 tip, ImVec2 dir, float scale) {
    const float len = (5.0f + st.thick * 1.6f) * scale;
    const float half = len * 0.55f;
    const ImVec2 base(tip.x - dir.x * len, tip.y - dir.y * len);
    const ImVec2 n(-dir.y, dir.x);
    const ImVec2 a(base.x + n.x * half, base.y + n.y * half), b(base.x - n.x * half, base.y - n.y * half);
    if (st.hollow_head) dl->AddTriangle(tip, a, b, col, 1.6f * scale);
    else dl->AddTriangleFilled(tip, a, b, col);
}

}  // namespace

void draw_arrow(ImDrawList* dl, const Palette& pal, ArrowKind kind, const ArrowRoute& route, float scale) {
    if (route.count < 2) return;
    const ImU32 col = pal.arrow[static_cast<int>(kind)];
    const ArrowStyle st = arrow_style(kind);
    for (int i = 0; i + 1 < route.count; ++i)
        stroke(dl, col, st, ImVec2(route.points[i].x, route.points[i].y), ImVec2(route.points[i + 1].x, route.points[i + 1].y),
               scale);
    const Vec2 a = route.points[route.count - 2], b = route.points[route.count - 1];
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len > 0.5f) arrow_head(dl, col, st, ImVec2(b.x, b.y), ImVec2(dx / len, dy / len), scale);
}

void draw_ruler(ImDrawList* dl, const Palette& pal, ImFont* font, float font_size, const TimeView& view, bool steps,
                ImVec2 min, ImVec2 max) {
    dl->AddLine(ImVec2(min.x, max.y - 1), ImVec2(max.x, max.y - 1), pal.grid);
    const float label_w = text_size(font, font_size * 0.85f, steps ? "00000" : "00.0ms").x + 16;
    double tick = view.tick_step(std::max(60.0f, label_w));
    if (steps) tick = std::max(1.0, tick);
    const double first = std::ceil(view.begin() / tick) * tick;
    for (double p = first; p <= view.end(); p += tick) {
        const float x = std::round(view.to_x(p));
        if (x < min.x || x > max.x) continue;
        dl->AddLine(ImVec2(x, max.y - 7), ImVec2(x, max.y - 1), pal.text_dim, 1.0f);
        const std::string label = time_label(p, steps);
        float lx = x + 3;
        if (steps && tick == 1.0) {
            // A step is a slot [s, s + 1): its number sits in the middle of the slot.
            const float w = text_size(font, font_size * 0.85f, label.c_str()).x;
            lx = std::round(view.to_x(p + 0.5)) - w * 0.5f;
        }
        dl->AddText(font, font_size * 0.85f, ImVec2(lx, min.y + 3), pal.text_dim, label.c_str());
        // Minor ticks: fifths.
        for (int k = 1; k < 5; ++k) {
            const float xm = std::round(view.to_x(p + tick * k / 5.0));
            if (xm > min.x && xm < max.x) dl->AddLine(ImVec2(xm, max.y - 4), ImVec2(xm, max.y - 1), pal.grid);
        }
    }
}

void draw_ruler(ImDrawList* dl, const Palette& pal, ImFont* font, float font_size, const TimeView& view,
                const AxisPositions& axis, ImVec2 min, ImVec2 max) {
    const InstantTable* instants = axis.layout_instants();
    const double slot = axis.slot();
    if (slot <= 0 || instants == nullptr) {
        draw_ruler(dl, pal, font, font_size, view, axis.steps(), min, max);
        return;
    }
    // Time and steps: a bracket over each opened instant, labelled with its time, a tick at
    // each of its steps; second ticks on the proportional stretches between them.
    dl->AddLine(ImVec2(min.x, max.y - 1), ImVec2(max.x, max.y - 1), pal.grid);
    const float fs = font_size * 0.85f;
    std::vector<std::pair<float, float>> taken;  // label extents, so time labels keep clear
    const auto& opened = instants->opened();
    auto begin_of = [&](const InstantTable::Opened& o) { return static_cast<double>(o.time) + slot * o.slots_before; };
    auto end_of = [&](const InstantTable::Opened& o) { return begin_of(o) + slot * o.slots; };
    auto it = std::partition_point(opened.begin(), opened.end(),
                                   [&](const InstantTable::Opened& o) { return end_of(o) < view.begin(); });
    float last_x1 = -1e30f;
    for (; it != opened.end() && begin_of(*it) <= view.end(); ++it) {
        const float x0 = std::round(view.to_x(begin_of(*it)));
        const float x1 = std::max(x0 + 1, std::round(view.to_x(end_of(*it))));
        if (x1 <= last_x1 + 1) continue;  // instants crowded into one column: one bracket
        last_x1 = x1;
        const float top = max.y - 9;
        // The label: the instant's time, and its steps when there is room; inside the bracket
        // when it fits, else from its left edge, when it clears the previous label.
        std::string label = format_duration(it->time);
        const std::string steps = label + " \u00B7 " + std::to_string(it->end_step - it->first_step) + " steps";
        if (!axis.shared() && text_size(font, fs, steps.c_str()).x + 8 <= x1 - x0) label = steps;
        const float w = text_size(font, fs, label.c_str()).x;
        const bool inside = w + 8 <= x1 - x0;
        const float lx = inside ? std::round((x0 + x1 - w) * 0.5f) : x0 + 4;
        const bool labelled = taken.empty() || lx >= taken.back().second + 8;
        // The bracket: a band under the ruler; its edges reach up past the label when labelled
        // inside, else stay on the band (narrow instants side by side stay legible).
        dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, max.y - 1), pal.lane_alt);
        const float edge_top = inside && labelled ? min.y + 2 : top - 3;
        dl->AddLine(ImVec2(x0, edge_top), ImVec2(x0, max.y - 1), pal.text_dim, 1.5f);
        dl->AddLine(ImVec2(x1, edge_top), ImVec2(x1, max.y - 1), pal.text_dim, 1.5f);
        dl->AddLine(ImVec2(x0, max.y - 1.5f), ImVec2(x1, max.y - 1.5f), pal.text_dim, 2.0f);
        // A tick where each step begins, when the steps are at least 4 px apart.
        const auto n_steps = static_cast<float>(it->end_step - it->first_step);
        if (!axis.shared() && (x1 - x0) / std::max(1.0f, n_steps) >= 4.0f)
            for (std::uint64_t st = it->first_step + 1; st < it->end_step; ++st) {
                const double p = static_cast<double>(it->time) +
                                 slot * instants->slots_before_event(instants->first_event_of_step(st));
                const float x = std::round(view.to_x(p));
                dl->AddLine(ImVec2(x, top), ImVec2(x, max.y - 1), pal.text_dim, 1.0f);
            }
        if (!labelled) continue;
        dl->AddText(font, fs, ImVec2(lx, min.y + 3), pal.text, label.c_str());
        taken.emplace_back(lx, lx + w);
    }
    // Time ticks between the instants (an opened instant's time is its bracket's label).
    const float label_w = text_size(font, fs, "00.0ms").x + 16;
    const double tick = view.tick_step(std::max(60.0f, label_w));
    const AxisPoint a = axis.at(view.begin()), b = axis.at(view.end());
    const double t_first = std::ceil(static_cast<double>(std::max<Tick>(0, a.time)) / tick) * tick;
    int guard = 0;
    for (double t = t_first; t <= static_cast<double>(b.time) && guard < 4000; t += tick, ++guard) {
        const auto tt = static_cast<Tick>(std::llround(t));
        if (instants->opened_at(tt) != nullptr) continue;
        const float x = std::round(view.to_x(axis.time_position(tt)));
        if (x < min.x || x > max.x) continue;
        dl->AddLine(ImVec2(x, max.y - 7), ImVec2(x, max.y - 1), pal.text_dim, 1.0f);
        const std::string label = format_duration(tt);
        const float w = text_size(font, fs, label.c_str()).x;
        const bool clear = std::none_of(taken.begin(), taken.end(), [&](const std::pair<float, float>& r) {
            return x + 3 < r.second + 6 && x + 3 + w > r.first - 6;
        });
        if (clear) dl->AddText(font, fs, ImVec2(x + 3, min.y + 3), pal.text_dim, label.c_str());
    }
}

void TimelineCanvas::draw(Session& s, ImVec2 min, ImVec2 max, TimeView& view, TimeAxis axis_kind, bool interactive,
                          const InstantTable* shared) {
    Theme& theme = m_app.theme();
    const Palette& pal = theme.palette();
    UiState& ui = m_app.ui();
    m_m = CanvasMetrics::for_font(theme.font_size()).with_row(m_row_height);
    m_dl = ImGui::GetWindowDrawList();
    m_hover = Hover{};
    const TimelineModel& model = s.timeline();
    const LaneLayout& lanes = s.timeline_lanes(ui.folded);
    const AxisPositions axis(model, axis_kind, &s.instants(), view.slot_width(), shared);

    const float gutter = std::min(m_m.gutter, (max.x - min.x) * 0.4f);
    const ImVec2 plot_min(min.x + gutter, min.y);
    const ImVec2 plot_max = max;
    view.set_pixels(plot_min.x + 6, plot_max.x - plot_min.x - 6 - m_m.font * 2.5f);

    // Vertical scroll: clamp, and reveal a requested row.
    const float height = max.y - min.y;
    const float content = static_cast<float>(lanes.rows().size()) * m_m.row;
    if (m_reveal) {
        const std::int64_t r = lanes.row_of(*m_reveal);
        if (r >= 0) {
            const float y = static_cast<float>(r) * m_m.row;
            if (y < m_scroll) m_scroll = y - m_m.row;
            if (y + m_m.row > m_scroll + height) m_scroll = y + 2 * m_m.row - height;
        }
        m_reveal.reset();
    }

    // Mouse.
    const ImGuiIO& io = ImGui::GetIO();
    m_mouse = io.MousePos;
    const bool inside = m_mouse.x >= min.x && m_mouse.x < max.x && m_mouse.y >= min.y && m_mouse.y < max.y;
    m_hovered = interactive && inside && ImGui::IsWindowHovered();
    m_plot_hovered = m_hovered && m_mouse.x >= plot_min.x;
    if (m_hovered && io.MouseWheel != 0) {
        if (!m_plot_hovered || io.KeyShift) m_scroll -= io.MouseWheel * m_m.row * 3.0f;
        else view.zoom(std::pow(0.8, static_cast<double>(io.MouseWheel)), m_mouse.x);
    }
    if (m_hovered && io.MouseWheelH != 0) view.pan_pixels(io.MouseWheelH * 40.0f);
    if (m_plot_hovered && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        view.pan_pixels(io.MouseDelta.x);
        m_scroll -= io.MouseDelta.y;
    }
    m_scroll = std::clamp(m_scroll, 0.0f, std::max(0.0f, content - height + m_m.row));

    m_dl->PushClipRect(min, max, true);
    // No background fill: the frame is cleared to pal.background (main.cpp), and every
    // full-size layer costs a software rasteriser a few milliseconds.
    const auto [first, last] = lanes.visible_rows(m_scroll, height, m_m.row);
    const float top = min.y - m_scroll;
    auto row_top = [&](std::uint32_t r) { return top + static_cast<float>(r) * m_m.row; };

    // Rows: a hairline between lanes, a band behind the selected one.
    const TaskId current = model.last_ran();
    for (std::uint32_t r = first; r < last; ++r) {
        const Row& row = lanes.rows()[r];
        const float y = row_top(r);
        if (row.kind == RowKind::task && row.task == ui.selected_task)
            m_dl->AddRectFilled(ImVec2(min.x, y), ImVec2(max.x, y + m_m.row), pal.lane_selected);
        m_dl->AddLine(ImVec2(min.x, y + m_m.row - 0.5f), ImVec2(max.x, y + m_m.row - 0.5f), pal.lane_alt, 1.0f);
    }

    // Scope life spans: a faint band over the bracketed rows from entry to exit.
    for (const Bracket& b : lanes.brackets()) {
        if (b.last_row < first || b.first_row >= last) continue;
        if (b.scope >= model.scopes().size()) continue;
        const ScopeSpan& span = model.scopes()[b.scope];
        if (span.entered_event == k_open_index) continue;
        const float x0 = std::max(plot_min.x, view.to_x(axis.event(span.entered_event, span.entered_time)));
        const float x1 = std::min(plot_max.x, span.exited_event == k_open_index
                                                  ? view.to_x(axis.cursor())
                                                  : view.to_x(axis.event(span.exited_event, span.exited_time)));
        // Clamped to the canvas: a bracket around 100,000 rows is millions of pixels tall.
        const float y0 = std::max(row_top(b.first_row) + m_m.row * 0.5f, min.y - 8);
        const float y1 = std::min(row_top(b.last_row) + m_m.row - 3, max.y + 8);
        if (x1 < x0) continue;
        m_dl->AddRect(ImVec2(x0, y0), ImVec2(std::max(x1, x0 + 2), y1), alpha(pal.bracket, 0.35f), 4.0f, 0, 1.0f);
        m_dl->AddLine(ImVec2(x0, y0), ImVec2(std::max(x1, x0 + 2), y0), alpha(pal.bracket, 0.8f), 2.0f);
    }

    // Lanes.
    m_dl->PushClipRect(plot_min, plot_max, true);
    for (std::uint32_t r = first; r < last; ++r) {
        const Row& row = lanes.rows()[r];
        if (row.kind != RowKind::task) continue;
        draw_lane(s, row, row_top(r) + m_m.row * 0.5f, axis, view, plot_min.x, plot_max.x);
    }
    draw_arrows(s, lanes, axis, view, top, first, last, plot_min, plot_max);
    draw_choice_marks(s, lanes, axis, view, top, first, last, plot_min, plot_max);
    // Labels go over the arrows, each on a chip, so an arrow never runs through their text.
    for (const Label& l : m_labels) {
        const ImVec2 ts = text_size(theme.font(FontRole::ui), l.size, l.text.c_str());
        m_dl->AddRectFilled(ImVec2(l.pos.x - 3, l.pos.y), ImVec2(l.pos.x + ts.x + 3, l.pos.y + ts.y), alpha(pal.background, 0.9f),
                            3.0f);
        m_dl->AddText(theme.font(FontRole::ui), l.size, l.pos, l.color, l.text.c_str());
    }
    m_labels.clear();

    // The future is shaded; the cursor is a bright line.
    const float cx = view.to_x(axis.cursor());
    if (cx < plot_max.x)
        m_dl->AddRectFilled(ImVec2(std::max(cx, plot_min.x), min.y), plot_max, IM_COL32(0, 0, 0, 40));
    if (cx >= plot_min.x && cx <= plot_max.x) m_dl->AddLine(ImVec2(cx, min.y), ImVec2(cx, max.y), pal.cursor, 2.0f);
    m_dl->PopClipRect();

    // Presenter spotlight: everything but the current lane dims.
    if (ui.spotlight && current != 0) {
        const std::int64_t r = lanes.row_of(current);
        for (std::uint32_t k = first; k < last; ++k)
            if (static_cast<std::int64_t>(k) != r)
                m_dl->AddRectFilled(ImVec2(min.x, row_top(k)), ImVec2(max.x, row_top(k) + m_m.row), IM_COL32(0, 0, 0, 140));
    }

    draw_gutter(s, lanes, first, last, min, top);
    m_dl->AddLine(ImVec2(plot_min.x, min.y), ImVec2(plot_min.x, max.y), pal.grid, 1.0f);
    m_dl->PopClipRect();

    // Hover and clicks.
    if (m_hovered) {
        const auto r = static_cast<std::int64_t>(std::floor((m_mouse.y - top) / m_m.row));
        if (r >= 0 && r < static_cast<std::int64_t>(lanes.rows().size())) {
            const Row& row = lanes.rows()[static_cast<std::size_t>(r)];
            if (row.kind == RowKind::task) ui.hovered_task = row.task;
            if (m_hover.event) ui.hovered_event = m_hover.event;
            if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).x == 0 &&
                ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).y == 0) {
                if (!m_plot_hovered && row.has_children && m_mouse.x < min.x + 8 + static_cast<float>(std::min(row.depth, 10u)) * m_m.indent + m_m.indent) {
                    if (ui.folded.count(row.task)) ui.folded.erase(row.task);
                    else ui.folded.insert(row.task);
                } else if (row.kind == RowKind::task) {
                    ui.selected_task = row.task;
                    if (m_hover.event) ui.selected_event = m_hover.event;
                }
            }
        }
        if (m_plot_hovered) tooltip(s, axis);
    }
}

void TimelineCanvas::draw_gutter(Session& s, const LaneLayout& lanes, std::uint32_t first, std::uint32_t last, ImVec2 min,
                                 float top) {
    const Palette& pal = m_app.theme().palette();
    ImFont* font = m_app.theme().font(FontRole::ui);
    const float gutter = std::min(m_m.gutter, (ImGui::GetWindowPos().x + ImGui::GetWindowSize().x - min.x) * 0.4f);
    const ImVec2 gmax(min.x + gutter, min.y + 1e5f);
    m_dl->PushClipRect(ImVec2(min.x, min.y), ImVec2(gmax.x, std::min(gmax.y, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y)), true);
    const auto& tasks = s.trace().tasks();
    const TaskId current = s.timeline().last_ran();
    const float bottom_edge = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
    auto indent_x = [&](std::uint32_t depth) {
        return min.x + 10 + static_cast<float>(std::min(depth, 10u)) * m_m.indent;
    };
    // Brackets: a [ from the scope's header to its last child.
    for (const Bracket& b : lanes.brackets()) {
        if (b.last_row < first || b.first_row >= last) continue;
        const float x = indent_x(b.depth) - m_m.indent * 0.45f;
        const float y_top = top + static_cast<float>(b.first_row) * m_m.row + m_m.row * 0.5f;
        const float y_bottom = top + static_cast<float>(b.last_row) * m_m.row + m_m.row - 4;
        const float y0 = std::max(y_top, min.y - 8), y1 = std::min(y_bottom, bottom_edge + 8);
        m_dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), pal.bracket, 2.0f);
        if (y0 == y_top) m_dl->AddLine(ImVec2(x, y0), ImVec2(x + 6, y0), pal.bracket, 2.0f);
        if (y1 == y_bottom) m_dl->AddLine(ImVec2(x - 1, y1), ImVec2(x + 6, y1), pal.bracket, 2.0f);
    }
    const float fs = m_m.font;
    for (std::uint32_t r = first; r < last; ++r) {
        const Row& row = lanes.rows()[r];
        const float y = top + static_cast<float>(r) * m_m.row;
        const float ty = y + (m_m.row - fs) * 0.5f;
        float x = indent_x(row.depth);
        if (row.kind == RowKind::scope_header) {
            const std::string name =
                row.scope < s.trace().scopes().size() ? Theme::shown(s.trace().scope(row.scope).name) : std::string("scope");
            gutter_label(font, fs * 0.9f, ImVec2(x + 4, ty + fs * 0.05f), gmax.x - 4, pal.bracket, name, y);
            continue;
        }
        if (row.task == current) {
            // The lane that ran the latest step: a pointer at the gutter's edge.
            const float gx = gmax.x - 6, gy = y + m_m.row * 0.5f;
            m_dl->AddTriangleFilled(ImVec2(gx - 7, gy - 6), ImVec2(gx - 7, gy + 6), ImVec2(gx, gy), pal.cursor);
        }
        if (row.has_children)
            m_dl->AddText(font, fs, ImVec2(x - m_m.indent * 0.15f, ty), pal.text_dim, row.folded ? "\u25B8" : "\u25BE");
        x += m_m.indent * 0.85f;
        if (row.thread) {
            // A worker thread: no parent either, and no cancel reaches it at all.
            m_dl->AddText(font, fs, ImVec2(x, ty), pal.thread, glyph::thread);
            x += text_size(font, fs, glyph::thread).x + 4;
        } else if (row.unstructured) {
            m_dl->AddText(font, fs, ImVec2(x, ty), pal.unstructured, glyph::unstructured);
            x += text_size(font, fs, glyph::unstructured).x + 4;
        }
        const std::string name = row.task < tasks.size() ? Theme::shown(tasks[row.task].name) : std::string("?");
        const LaneData& lane = s.timeline().lane(row.task);
        const ImU32 col = lane.end ? alpha(pal.text, 0.8f) : pal.text;
        // The name gets what the gutter has left after the "+N folded" count, the "+N alike"
        // count and the pointer of the lane that ran last; a name cut short ends in "…" and
        // shows whole on hover.
        char hidden[32] = "";
        if (row.folded && row.hidden > 0) std::snprintf(hidden, sizeof hidden, "+%u", row.hidden);
        // Alike siblings drawn as this lane (viz/model/lane_groups.hpp): the count stays whole.
        char alike[32] = "";
        if (row.alike > 0) std::snprintf(alike, sizeof alike, "+%u alike", row.alike);
        const float hidden_w = hidden[0] ? text_size(font, fs * 0.85f, hidden).x + 6 : 0.0f;
        const float alike_w = alike[0] ? text_size(font, fs * 0.85f, alike).x + 6 : 0.0f;
        const float right = gmax.x - (row.task == current ? 16.0f : 6.0f) - hidden_w - alike_w;
        x += gutter_label(font, fs, ImVec2(x, ty), right, col, name, y) + 6;
        if (hidden[0]) {
            m_dl->AddText(font, fs * 0.85f, ImVec2(x, ty + fs * 0.1f), pal.text_dim, hidden);
            x += hidden_w;
        }
        if (alike[0]) m_dl->AddText(font, fs * 0.85f, ImVec2(x, ty + fs * 0.1f), pal.text_dim, alike);
    }
    m_dl->PopClipRect();
}

float TimelineCanvas::gutter_label(ImFont* font, float size, ImVec2 pos, float right, ImU32 col, const std::string& text,
                                   float row_y) {
    const FittedText f = fit_to_width(font, size, text, std::max(0.0f, right - pos.x));
    m_dl->AddText(font, size, pos, col, f.text.c_str());
    const float w = text_size(font, size, f.text.c_str()).x;
    if (f.cut && m_hovered && m_mouse.x >= pos.x && m_mouse.x < pos.x + w && m_mouse.y >= row_y && m_mouse.y < row_y + m_m.row)
        ImGui::SetTooltip("%s", text.c_str());
    return w;
}

void TimelineCanvas::draw_actor(Session& s, const Interval& iv, const LodSpan& sp, float y_mid, float bar) {
    // Swift actors: a blocked task that keeps its actor gets a band along its top edge in the
    // actor colour; both that and a wait for an actor name the actor when the name fits.
    const Palette& pal = m_app.theme().palette();
    const ImU32 col = pal.state[static_cast<int>(LaneState::actor_wait)];
    const float top = y_mid - bar * 0.5f;
    if (sp.state == LaneState::blocked) m_dl->AddRectFilled(ImVec2(sp.x0, top - 3.0f), ImVec2(sp.x1, top), col);
    if (sp.state != LaneState::blocked && sp.state != LaneState::actor_wait) return;
    const std::string label = std::string(sp.state == LaneState::blocked ? "holds " : "waits for ") +
                              std::string(s.trace().actor_name(iv.actor));
    ImFont* font = m_app.theme().font(FontRole::ui);
    const float fs = font->FontSize * 0.8f;
    const ImVec2 size = text_size(font, fs, label.c_str());
    if (size.x + 8.0f > sp.x1 - sp.x0) return;
    // On a plate of the background colour: the hatching behind would eat the letters.
    const ImVec2 at(sp.x0 + 4.0f, y_mid - size.y * 0.5f);
    m_dl->AddRectFilled(ImVec2(at.x - 2.0f, at.y), ImVec2(at.x + size.x + 2.0f, at.y + size.y), alpha(pal.background, 0.85f), 2.0f);
    m_dl->AddText(font, fs, at, pal.text, label.c_str());
}

void TimelineCanvas::draw_lane(Session& s, const Row& row, float y_mid, const AxisPositions& axis, const TimeView& view,
                               float clip_x0, float clip_x1) {
    const Palette& pal = m_app.theme().palette();
    ImFont* font = m_app.theme().font(FontRole::ui);
    const TimelineModel& model = s.timeline();
    if (row.task >= model.lanes().size()) return;
    const LaneData& lane = model.lane(row.task);
    const float bar = m_m.bar;
    const bool mouse_in_row = m_hovered && std::fabs(m_mouse.y - y_mid) <= m_m.row * 0.5f;

    lod_spans(lane.intervals, axis, view, clip_x0, clip_x1, m_spans);
    for (const LodSpan& sp : m_spans) {
        draw_state(m_dl, pal, sp.state, sp.cancel_pending, sp.x0, sp.x1, y_mid, bar);
        if (sp.first < lane.intervals.size() && lane.intervals[sp.first].actor != 0)
            draw_actor(s, lane.intervals[sp.first], sp, y_mid, bar);
        if (mouse_in_row && m_mouse.x >= sp.x0 && m_mouse.x < sp.x1 && !m_hover.event) {
            m_hover.interval = sp.first;
            m_hover.task = row.task;
        }
    }

    // The cancel gaps: a bracket under the bar from request to notice, with its length.
    for (const std::uint32_t gap_index : lane.gaps) {
        const CancelGap& g = model.gaps()[gap_index];
        const float x0 = view.to_x(axis.event(g.requested_event, g.requested_time));
        float x1;
        if (g.observed()) x1 = view.to_x(axis.event(g.observed_event, g.observed_time));
        else if (g.never_observed && lane.end) x1 = view.to_x(axis.event(lane.end->event, lane.end->time));
        else x1 = view.to_x(axis.cursor());
        const float gy = y_mid + bar * 0.5f + 5;
        const float fs = m_m.font * 0.78f;
        std::string label = std::string(glyph::delta) + " ";
        if (g.observed()) {
            label += format_duration(g.observed_time - g.requested_time);
            if (axis.kind() != TimeAxis::virtual_time) {
                const std::uint64_t n = model.step_of_event(g.observed_event) - model.step_of_event(g.requested_event);
                label += n == 1 ? " \u00B7 1 step" : " \u00B7 " + std::to_string(n) + " steps";
            }
        } else if (g.never_observed) {
            label = "never noticed";  // the task ended without noticing: there is no length to show
        } else {
            label += "\u2265 " + format_duration(model.now() - g.requested_time) + "  not noticed yet";
        }
        if (g.joined > 0) label += " \u00B7 " + std::to_string(g.joined + 1) + " requests";  // asked again before it noticed
        if (g.through_child != 0) label += " \u00B7 through " + lane_name(s.trace(), g.through_child);  // a child noticed
        if (x1 >= clip_x0 - 200 && x0 <= clip_x1 + 200) {
            m_dl->AddLine(ImVec2(x0, gy - 3), ImVec2(x0, gy + 3), pal.gap, 1.5f);
            if (g.observed()) {
                m_dl->AddLine(ImVec2(x0, gy), ImVec2(std::max(x1, x0 + 1), gy), pal.gap, 1.5f);
                m_dl->AddLine(ImVec2(x1, gy - 3), ImVec2(x1, gy + 3), pal.gap, 1.5f);
            } else {
                // Open: dashed to where it stands now, ending in an arrow (or a stop bar when the
                // task finished without ever noticing).
                dashed_line(m_dl, ImVec2(x0, gy), ImVec2(std::max(x1, x0 + 1), gy), pal.gap, 1.5f, 4, 3);
                if (g.never_observed) m_dl->AddLine(ImVec2(x1, gy - 4), ImVec2(x1, gy + 4), pal.gap, 2.0f);
                else m_dl->AddTriangleFilled(ImVec2(x1 + 5, gy), ImVec2(x1, gy - 3.5f), ImVec2(x1, gy + 3.5f), pal.gap);
            }
            const ImVec2 ts = text_size(font, fs, label.c_str());
            float lx = (x0 + x1) * 0.5f - ts.x * 0.5f;
            if (ts.x + 8 > x1 - x0) lx = std::max(x0, x1) + 8;  // does not fit inside: to the right
            m_labels.push_back(Label{ImVec2(lx, gy + 1), fs, pal.gap, std::move(label)});
            if (mouse_in_row && m_mouse.y > gy - 4 && m_mouse.x >= std::min(x0, lx) - 3 && m_mouse.x <= std::max(x1, lx + ts.x) + 3) {
                m_hover.gap = gap_index;
                m_hover.task = row.task;
            }
        }
    }

    // How it ended.
    if (lane.end) {
        const float x = view.to_x(axis.event(lane.end->event, lane.end->time));
        if (x >= clip_x0 - 20 && x <= clip_x1 + 20) {
            const char* g = outcome_glyph(lane.end->outcome);
            const float fs = m_m.font * 1.05f;
            const ImVec2 ts = text_size(font, fs, g);
            const ImVec2 pos(x + 3, y_mid - ts.y * 0.5f);
            outlined_text(m_dl, font, fs, pos, outcome_color(pal, lane.end->outcome), pal.background, g);
            const float d = std::fabs(m_mouse.x - (x + 3 + ts.x * 0.5f));
            if (mouse_in_row && d < ts.x * 0.5f + 3 && d < m_hover.distance) {
                m_hover.distance = d;
                m_hover.event = lane.end->event;
                m_hover.task = row.task;
            }
        }
    }

    // Marks.
    lod_marks(lane.marks, axis, view, clip_x0, clip_x1, m_marks);
    // ✗ marks a thrown error and a lane ended by one: when the throw is what ended the lane,
    // right at its end, the end's ✗ stands for both.
    const float end_x = lane.end && lane.end->outcome == Outcome::threw ? view.to_x(axis.event(lane.end->event, lane.end->time))
                                                                        : -1e9f;
    for (const LodMark& lm : m_marks) {
        const Mark& mk = lane.marks[lm.index];
        if (mk.kind == MarkKind::threw && std::fabs(lm.x - end_x) < m_m.font) continue;
        const char* g = mark_glyph(mk.kind);
        float fs = m_m.font * 0.95f;
        float y;
        if (mk.kind == MarkKind::cancel_requested) {
            fs = m_m.font * 0.8f;
            y = y_mid - bar * 0.5f - fs * 0.95f;  // above the bar, pointing down at it
        } else if (mk.kind == MarkKind::narration || mk.kind == MarkKind::printed || mk.kind == MarkKind::lint) {
            y = y_mid - bar * 0.5f - fs * 1.0f;   // above the bar, out of the state's way
            if (mk.kind == MarkKind::printed) fs = m_m.font * 1.1f;
        } else {
            y = y_mid - fs * 0.5f;
        }
        const ImVec2 ts = text_size(font, fs, g);
        float x = lm.x - ts.x * 0.5f;
        if (mk.kind == MarkKind::narration) x = lm.x + 2;             // beside a print at the same moment
        if (mk.kind == MarkKind::printed) x = lm.x - ts.x - 1;
        const bool on_bar = mk.kind != MarkKind::cancel_requested && mk.kind != MarkKind::narration &&
                            mk.kind != MarkKind::printed && mk.kind != MarkKind::lint;
        if (on_bar) {
            // A chip in the background colour, so the glyph stands out on any pattern.
            m_dl->AddRectFilled(ImVec2(x - 2, y + ts.y * 0.12f), ImVec2(x + ts.x + 2, y + ts.y * 0.92f), pal.background,
                                3.0f);
            m_dl->AddText(font, fs, ImVec2(x, y), pal.mark[static_cast<int>(mk.kind)], g);
        } else {
            outlined_text(m_dl, font, fs, ImVec2(x, y), pal.mark[static_cast<int>(mk.kind)], pal.background, g);
        }
        const float d = std::fabs(m_mouse.x - (x + ts.x * 0.5f));
        if (mouse_in_row && m_mouse.y >= y - 2 && m_mouse.y <= y + ts.y + 2 && d < std::max(6.0f, ts.x * 0.5f + 2) &&
            d < m_hover.distance) {
            m_hover.distance = d;
            m_hover.event = mk.event;
            m_hover.task = row.task;
            m_hover.interval.reset();
        }
    }
}

void TimelineCanvas::draw_arrows(Session& s, const LaneLayout& lanes, const AxisPositions& axis, const TimeView& view,
                                 float top, std::uint32_t first, std::uint32_t last, ImVec2 plot_min, ImVec2 plot_max) {
    const Palette& pal = m_app.theme().palette();
    const TimelineModel& model = s.timeline();
    const auto& arrows = model.arrows();
    if (arrows.empty() || first >= last) return;
    const float half_bar = m_m.bar * 0.5f + 1;
    const float scale = std::max(1.0f, m_app.theme().scale());
    auto centre = [&](std::int64_t r) { return top + static_cast<float>(r) * m_m.row + m_m.row * 0.5f; };
    // Scope → header row, for the implicit arrows that pass through their scope.
    std::vector<std::int64_t> header_row;
    for (const Bracket& b : lanes.brackets()) {
        if (header_row.size() <= b.scope) header_row.resize(std::size_t{b.scope} + 1, -1);
        header_row[b.scope] = b.first_row;
    }
    const double v_lo = view.to_position(plot_min.x - 20);
    const double v_hi = view.to_position(plot_max.x + 20);
    // Arrows come in event order, mostly many to a step: remember the last step's event range
    // so the step axis needs no search per arrow.
    std::uint64_t step_lo = 1, step_hi = 0, step_index = 0;
    auto pos = [&](const Arrow& a) {
        if (!axis.steps()) return axis.event(a.event, a.time);
        if (a.event < step_lo || a.event >= step_hi) {
            step_index = model.step_of_event(a.event);
            step_lo = model.first_event_of_step(step_index);
            step_hi = model.first_event_of_step(step_index + 1);
        }
        const double n = step_hi > step_lo ? static_cast<double>(step_hi - step_lo) : 1.0;
        return static_cast<double>(step_index) + (static_cast<double>(a.event - step_lo) + 0.5) / n;
    };
    std::size_t i = static_cast<std::size_t>(
        std::partition_point(arrows.begin(), arrows.end(), [&](const Arrow& a) { return pos(a) < v_lo; }) - arrows.begin());
    const float y_lo = plot_min.y - m_m.row, y_hi = plot_max.y + m_m.row;

    // Arrows leaving one row of one kind in one pixel column share a trunk (a group spawning
    // 100,000 children is one line); heads are drawn only on visible rows, once per row.
    struct Trunk {
        ArrowKind kind;
        std::int64_t from_row;
        float x, y_min, y_max;
        std::int64_t via_row;
    };
    std::vector<Trunk> trunks;
    std::vector<std::pair<std::int64_t, int>> heads;  // (row, kind) drawn in this column
    std::int64_t column = INT64_MIN;
    std::size_t fast_trunk = SIZE_MAX;  // the trunk the previous arrow joined
    auto flush = [&]() {
        for (const Trunk& t : trunks) {
            const ArrowStyle st = arrow_style(t.kind);
            const ImU32 col = pal.arrow[static_cast<int>(t.kind)];
            const float a = std::clamp(t.y_min, y_lo, y_hi), b = std::clamp(t.y_max, y_lo, y_hi);
            stroke(m_dl, col, st, ImVec2(t.x, a), ImVec2(t.x, b), scale);
            if (t.via_row >= 0) {
                const float vy = centre(t.via_row);
                if (vy > y_lo && vy < y_hi) {
                    const float d = 4.5f * scale;
                    m_dl->AddQuadFilled(ImVec2(t.x, vy - d), ImVec2(t.x + d, vy), ImVec2(t.x, vy + d), ImVec2(t.x - d, vy), col);
                }
            }
        }
        trunks.clear();
        heads.clear();
    };
    for (; i < arrows.size(); ++i) {
        const Arrow& a = arrows[i];
        const double p = pos(a);
        if (p > v_hi) break;
        const std::int64_t rf = lanes.row_of(a.from), rt = lanes.row_of(a.to);
        if (rf < 0 || rt < 0 || rf == rt) continue;
        std::int64_t via = -1;
        if (a.kind == ArrowKind::implicit && a.scope < header_row.size()) via = header_row[a.scope];
        const std::int64_t lo = std::min({rf, rt, via < 0 ? rf : via}), hi = std::max({rf, rt, via < 0 ? rf : via});
        if (hi < static_cast<std::int64_t>(first) || lo >= static_cast<std::int64_t>(last)) continue;
        const float x = view.to_x(p);
        const auto col = static_cast<std::int64_t>(std::floor(x));
        const bool target_visible = rt >= static_cast<std::int64_t>(first) && rt < static_cast<std::int64_t>(last);
        if (col == column && fast_trunk < trunks.size() && a.kind == trunks[fast_trunk].kind &&
            rf == trunks[fast_trunk].from_row && via == trunks[fast_trunk].via_row && !target_visible) {
            // The common case when zoomed out: one more target of the same trunk, off screen.
            const float yt = centre(rt);
            trunks[fast_trunk].y_min = std::min(trunks[fast_trunk].y_min, yt);
            trunks[fast_trunk].y_max = std::max(trunks[fast_trunk].y_max, yt);
            continue;
        }
        if (col != column) {
            flush();
            column = col;
        }
        const float yf = centre(rf), yt = centre(rt);
        const ArrowRoute route = route_arrow(a.kind, x, yf, yt, half_bar);
        const Vec2 tip = route.points[route.count - 1];
        auto it = std::find_if(trunks.begin(), trunks.end(),
                               [&](const Trunk& t) { return t.kind == a.kind && t.from_row == rf; });
        if (it == trunks.end()) {
            // The stub out of the source lane, then a trunk that grows with each target.
            const ArrowStyle st = arrow_style(a.kind);
            if (route.count == 3)
                stroke(m_dl, pal.arrow[static_cast<int>(a.kind)], st, ImVec2(route.points[0].x, route.points[0].y),
                       ImVec2(route.points[1].x, route.points[1].y), scale);
            const float via_y = via >= 0 ? centre(via) : yf;
            trunks.push_back(Trunk{a.kind, rf, tip.x, std::min({yf, tip.y, via_y}), std::max({yf, tip.y, via_y}), via});
            fast_trunk = trunks.size() - 1;
        } else {
            it->y_min = std::min(it->y_min, tip.y);
            it->y_max = std::max(it->y_max, tip.y);
            fast_trunk = static_cast<std::size_t>(it - trunks.begin());
        }
        if (target_visible) {
            const std::pair<std::int64_t, int> key{rt, static_cast<int>(a.kind)};
            if (std::find(heads.begin(), heads.end(), key) == heads.end()) {
                heads.push_back(key);
                const float dir = tip.y > (via >= 0 ? centre(via) : yf) ? 1.0f : -1.0f;
                arrow_head(m_dl, pal.arrow[static_cast<int>(a.kind)], arrow_style(a.kind), ImVec2(tip.x, tip.y),
                           route.count == 2 && std::fabs(route.points[1].y - route.points[0].y) < 0.5f ? ImVec2(1, 0)
                                                                                                      : ImVec2(0, dir),
                           scale);
            }
        }
    }
    flush();
}

void TimelineCanvas::draw_choice_marks(Session& s, const LaneLayout& lanes, const AxisPositions& axis, const TimeView& view,
                                       float top, std::uint32_t first, std::uint32_t last, ImVec2 plot_min, ImVec2 plot_max) {
    m_choice_marks.clear();
    m_choice_drawn = {0, 0};
    const auto& choices = s.choices();
    if (choices.empty()) return;
    m_choice_marks = choice_marks(choices, s.trace());
    const Palette& pal = m_app.theme().palette();
    const float r = std::max(4.0f, std::round(m_m.font * 0.32f));
    for (std::size_t k = 0; k < m_choice_marks.size(); ++k) {
        const ChoiceMark& cm = m_choice_marks[k];
        const float x = std::round(view.to_x(axis.event(static_cast<std::uint32_t>(cm.event), cm.now)));
        if (x < plot_min.x - r || x > plot_max.x + r) continue;
        // On the lane of the task that went first, at its top edge; the loop's (a timer of no
        // task) at the top of the canvas.
        float y = plot_min.y + r + 2;
        const std::int64_t row = cm.taken != 0 ? lanes.row_of(cm.taken) : -1;
        if (row >= 0) {
            const auto ur = static_cast<std::uint32_t>(row);
            if (ur < first || ur >= last) continue;
            y = top + static_cast<float>(ur) * m_m.row + r + 1;
        }
        const ImVec2 c(x, y);
        ++m_choice_drawn.first;
        if (cm.departs) ++m_choice_drawn.second;
        const ImVec2 pts[4] = {ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y), ImVec2(c.x, c.y + r), ImVec2(c.x - r, c.y)};
        if (cm.departs) {
            m_dl->AddConvexPolyFilled(pts, 4, pal.gap);
            m_dl->AddPolyline(pts, 4, pal.background, ImDrawFlags_Closed, 1.0f);
        } else {
            m_dl->AddConvexPolyFilled(pts, 4, alpha(pal.background, 0.85f));
            m_dl->AddPolyline(pts, 4, pal.gap, ImDrawFlags_Closed, std::max(1.5f, r * 0.3f));
        }
        if (m_plot_hovered) {
            const float dx = m_mouse.x - c.x, dy = m_mouse.y - c.y;
            const float d = std::sqrt(dx * dx + dy * dy);
            if (d <= r * 1.8f && d < m_hover.distance) {
                m_hover = Hover{};
                m_hover.choice = k;
                m_hover.distance = d;
            }
        }
    }
}

void TimelineCanvas::tooltip(Session& s, const AxisPositions& axis) {
    const Trace& trace = s.trace();
    const TimelineModel& model = s.timeline();
    const Palette& pal = m_app.theme().palette();
    const ast::Program* program = &s.program();
    auto location = [&](Span span) -> std::string {
        std::string loc = span_location(program, span);
        if (loc.empty()) return loc;
        const LineCol lc = s.source().locate(span.begin);
        std::string_view line = s.source().line_text(lc.line);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        if (line.size() > 90) line = line.substr(0, 90);
        return loc + "   " + std::string(line);
    };
    auto header = [&](const Event& e) {
        ImGui::TextDisabled("time %s   step %llu   event #%llu", format_time(e.time).c_str(),
                            static_cast<unsigned long long>(e.step), static_cast<unsigned long long>(e.index));
    };
    if (m_hover.choice && *m_hover.choice < m_choice_marks.size()) {
        const ChoiceMark& cm = m_choice_marks[*m_hover.choice];
        ImGui::BeginTooltip();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.gap));
        ImGui::TextUnformatted(cm.departs ? "choice point (this outcome departs here)" : "choice point");
        ImGui::PopStyleColor();
        ImGui::TextDisabled("time %s   event #%llu", format_time(cm.now).c_str(), static_cast<unsigned long long>(cm.event));
        ImGui::TextUnformatted(Theme::shown(cm.text).c_str());
        ImGui::EndTooltip();
        return;
    }
    if (m_hover.event) {
        const Event e = trace.at(*m_hover.event);
        ImGui::BeginTooltip();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.gap));
        ImGui::TextUnformatted(std::string(words(e.kind)).c_str());
        ImGui::PopStyleColor();
        header(e);
        ImGui::TextUnformatted(("task: " + Theme::shown(lane_name(trace, e.task))).c_str());
        std::string detail = plain_details(trace, e, program);
        if (!detail.empty()) ImGui::TextUnformatted(Theme::shown(detail).c_str());
        if (e.kind == EventKind::cancel_requested && e.related != 0)
            ImGui::TextUnformatted(("requested by: " + Theme::shown(lane_name(trace, e.related))).c_str());
        const std::string loc = location(e.span);
        if (!loc.empty()) ImGui::TextDisabled("%s", Theme::shown(loc).c_str());
        ImGui::TextDisabled("click: select, show in source");
        ImGui::EndTooltip();
        return;
    }
    if (m_hover.gap) {
        const CancelGap& g = model.gaps()[*m_hover.gap];
        ImGui::BeginTooltip();
        ImGui::TextUnformatted((std::string(glyph::delta) + " time until " + Theme::shown(lane_name(trace, g.task)) + " noticed the cancel").c_str());
        // Every request this gap answers: the first, then those that came before the notice.
        const auto& stories = model.cancel_stories();
        for (std::size_t k = g.story; k < stories.size(); ++k) {
            const CancelStory& st = stories[k];
            if (st.task != g.task) continue;
            if (k != g.story && !st.joined) break;
            std::string line = std::string(k == g.story ? "requested at " : "asked again at ") + format_time(st.requested_at) +
                               ": " + std::string(words(st.cause));
            if (st.requested_by != 0) line += ", by " + lane_name(trace, st.requested_by);
            ImGui::TextUnformatted(Theme::shown(line).c_str());
        }
        if (g.observed()) {
            if (g.through_child != 0)
                ImGui::Text("noticed at %s through %s's error (the child noticed the cancel)",
                            format_time(g.observed_time).c_str(), Theme::shown(lane_name(trace, g.through_child)).c_str());
            else
                ImGui::Text("noticed at %s: %s", format_time(g.observed_time).c_str(), std::string(words(g.observed_by)).c_str());
            const auto gap_steps = static_cast<unsigned long long>(model.step_of_event(g.observed_event) -
                                                                   model.step_of_event(g.requested_event));
            ImGui::Text("gap: %s of virtual time, %llu %s", format_duration(g.observed_time - g.requested_time).c_str(),
                        gap_steps, gap_steps == 1 ? "step" : "steps");
        } else if (g.never_observed) {
            ImGui::TextUnformatted("never noticed: the task finished without noticing");
        } else {
            ImGui::Text("not noticed yet (%s so far)", format_duration(model.now() - g.requested_time).c_str());
        }
        ImGui::EndTooltip();
        return;
    }
    if (m_hover.interval && m_hover.task != 0) {
        const LaneData& lane = model.lane(m_hover.task);
        if (*m_hover.interval >= lane.intervals.size()) return;
        const Interval& iv = lane.intervals[*m_hover.interval];
        const Event begin = trace.at(iv.e0);
        ImGui::BeginTooltip();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.state[static_cast<int>(iv.state)]));
        std::string title(words(iv.state));
        if (iv.state == LaneState::suspended) title += ": " + std::string(words(iv.reason));
        ImGui::TextUnformatted(title.c_str());
        ImGui::PopStyleColor();
        ImGui::TextUnformatted(("task: " + Theme::shown(lane_name(trace, m_hover.task))).c_str());
        if (begin.kind == EventKind::task_suspended) {
            const std::string what(trace.payload_text(begin));
            if (!what.empty()) ImGui::TextUnformatted(("waits for: " + Theme::shown(what)).c_str());
        }
        const Tick t1 = iv.open() ? model.now() : iv.t1;
        ImGui::Text("from %s to %s%s  (%s)", format_time(iv.t0).c_str(), format_time(t1).c_str(), iv.open() ? " (now)" : "",
                    format_duration(t1 - iv.t0).c_str());
        const std::uint64_t s0 = model.step_of_event(iv.e0);
        const std::uint64_t s1 = iv.open() ? model.last_step() : model.step_of_event(iv.e1);
        ImGui::Text("steps %llu to %llu", static_cast<unsigned long long>(s0), static_cast<unsigned long long>(s1));
        if (iv.cancel_pending) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.cancel_pending));
            ImGui::TextUnformatted("cancel requested, the task has not finished yet");
            ImGui::PopStyleColor();
        }
        const std::string loc = location(begin.span);
        if (!loc.empty()) ImGui::TextDisabled("%s", Theme::shown(loc).c_str());
        ImGui::EndTooltip();
        (void)axis;
    }
}

}  // namespace tasklab::viz
