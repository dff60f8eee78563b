// Filling the timeline's layout report and writing it as JSON.
#include "layout_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace tasklab::viz {

namespace {

/// Marks are recorded for every lane of timelines up to this many rows (a lesson's), for the
/// visible lanes only beyond.
constexpr std::size_t k_report_marks_max_rows = 2000;

std::array<std::uint8_t, 3> rgb(ImU32 c) {
    return {static_cast<std::uint8_t>((c >> IM_COL32_R_SHIFT) & 0xFF), static_cast<std::uint8_t>((c >> IM_COL32_G_SHIFT) & 0xFF),
            static_cast<std::uint8_t>((c >> IM_COL32_B_SHIFT) & 0xFF)};
}

/// A pixel value with one decimal ("-0.0" never appears).
std::string number(float v) {
    if (std::fabs(v) < 0.05f) v = 0.0f;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
    return buf;
}

/// A JSON string literal: UTF-8 passes through, quotes, backslashes and control bytes escaped.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string rect_json(const ReportRect& r) {
    return "[" + number(r.x0) + ", " + number(r.y0) + ", " + number(r.x1) + ", " + number(r.y1) + "]";
}

std::string color_json(const std::array<std::uint8_t, 3>& c) {
    return "[" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ", " + std::to_string(c[2]) + "]";
}

}  // namespace

std::string_view report_state_name(int state) {
    if (state == k_report_cancel_pending) return "cancelled, still going";
    if (state >= 0 && state < k_lane_state_count) return lane_state_name(static_cast<LaneState>(state));
    return "?";
}

void record_timeline_layout(LayoutReport& out, std::uint32_t run, const std::string& scenario, const std::string& title,
                            const Trace& trace, const TimelineModel& model, const LaneLayout& lanes,
                            const AxisPositions& axis, const TimeView& view, const Palette& palette, ReportRect canvas,
                            ReportRect plot, float top, float row, float bar) {
    if (run == 0) {
        out.filled = true;
        out.scenario = scenario;
        out.title = title;
        out.steps_axis = axis.steps();
        out.axis = axis.kind();
        out.instants.clear();
        if (axis.slot() > 0 && axis.instants() != nullptr) {
            for (const InstantTable::Opened& o : axis.instants()->opened()) {
                const double b = static_cast<double>(o.time) + axis.slot() * o.slots_before;
                const float x0 = view.to_x(b), x1 = view.to_x(b + axis.slot() * o.slots);
                if (x1 < plot.x0 || x0 > plot.x1) continue;
                out.instants.push_back(InstantReport{o.time, o.first_step, o.end_step, x0, x1});
            }
        }
        out.canvas = canvas;
        out.plot = plot;
        out.row_height = row;
        out.cursor_x = view.to_x(axis.cursor());
        out.tasks = trace.tasks().empty() ? 0 : trace.tasks().size() - 1;
        out.background = rgb(palette.background);
        for (int s = 0; s < k_lane_state_count; ++s)
            out.state_colors[static_cast<std::size_t>(s)] = rgb(palette.state[static_cast<std::size_t>(s)]);
        out.state_colors[k_report_cancel_pending] = rgb(palette.cancel_pending);
    }
    // Drawn again in one frame (a second pass): the run's earlier record goes.
    std::erase_if(out.lanes, [&](const LaneReport& l) { return l.run == run; });
    std::erase_if(out.runs, [&](const RunReport& r) { return r.tag == (run == 0 ? "A" : "B"); });
    RunReport rr;
    rr.tag = run == 0 ? "A" : "B";
    rr.scenario = scenario;
    rr.title = title;
    rr.canvas = canvas;
    rr.plot = plot;
    rr.row_height = row;
    rr.tasks = trace.tasks().empty() ? 0 : trace.tasks().size() - 1;
    out.runs.push_back(std::move(rr));
    std::sort(out.runs.begin(), out.runs.end(), [](const RunReport& a, const RunReport& b) { return a.tag < b.tag; });

    std::vector<LodSpan> spans;
    std::vector<LodMark> marks;
    const auto& rows = lanes.rows();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].kind != RowKind::task) continue;
        LaneReport lane;
        lane.run = run;
        lane.task = rows[r].task;
        lane.alike = rows[r].alike;
        lane.name = rows[r].task < trace.tasks().size() ? trace.tasks()[rows[r].task].name : std::string("?");
        lane.row = static_cast<std::uint32_t>(r);
        const float y = top + static_cast<float>(r) * row;
        lane.rect = ReportRect{canvas.x0, y, canvas.x1, y + row};
        lane.bar_y0 = y + row * 0.5f - bar * 0.5f;
        lane.bar_y1 = y + row * 0.5f + bar * 0.5f;
        lane.visible = lane.rect.y0 >= canvas.y0 && lane.rect.y1 <= canvas.y1;
        if (lane.visible && lane.task < model.lanes().size()) {
            // The spans TimelineCanvas::draw_lane draws (same clip, same merge); a span narrower
            // than a pixel is drawn one pixel wide.
            lod_spans(model.lane(lane.task).intervals, axis, view, plot.x0, plot.x1, spans);
            auto add = [&](std::size_t state, float x0, float x1) {
                auto& list = lane.state_spans[state];
                if (!list.empty() && x0 <= list.back().second + 0.01f) list.back().second = std::max(list.back().second, x1);
                else list.emplace_back(x0, x1);
            };
            for (const LodSpan& sp : spans) {
                const float x1 = std::max(sp.x1, sp.x0 + 1.0f);
                add(static_cast<std::size_t>(sp.state), sp.x0, x1);
                if (sp.cancel_pending) add(k_report_cancel_pending, sp.x0, x1);
            }
        }
        if (lane.task < model.lanes().size() && (lane.visible || rows.size() <= k_report_marks_max_rows)) {
            // The marks TimelineCanvas::draw_lane draws (same merge), then the end glyph. Their x
            // does not depend on the vertical scroll, so lanes scrolled away get them too.
            const LaneData& data = model.lane(lane.task);
            lod_marks(data.marks, axis, view, plot.x0, plot.x1, marks);
            for (const LodMark& m : marks)
                lane.marks.push_back(
                    MarkReport{std::string(mark_kind_name(data.marks[m.index].kind)), data.marks[m.index].event, m.x});
            if (data.end) {
                const float x = view.to_x(axis.event(data.end->event, data.end->time));
                if (x >= plot.x0 && x <= plot.x1) lane.marks.push_back(MarkReport{"end", data.end->event, x});
            }
        }
        out.lanes.push_back(std::move(lane));
    }
    std::stable_sort(out.lanes.begin(), out.lanes.end(), [](const LaneReport& a, const LaneReport& b) { return a.run < b.run; });
}

void record_outcome(LayoutReport& out, std::uint32_t run, std::size_t outcome, std::size_t marks, std::size_t departing) {
    for (RunReport& r : out.runs)
        if (r.tag == (run == 0 ? "A" : "B")) {
            r.outcome = outcome;
            r.choice_marks = marks;
            r.departing_marks = departing;
        }
}

void record_selection(LayoutReport& out, std::uint32_t run, TaskId task) {
    for (LaneReport& l : out.lanes)
        if (l.run == run) l.selected = task != 0 && l.task == task;
}

void record_caption(LayoutReport& out, std::uint32_t run, ReportRect box, float font_size) {
    const std::string tag = run == 0 ? "A" : "B";
    for (RunReport& r : out.runs) {
        if (r.tag != tag) continue;
        r.has_caption = true;
        r.caption = box;
        r.caption_font = font_size;
        return;
    }
    RunReport r;
    r.tag = tag;
    r.has_caption = true;
    r.caption = box;
    r.caption_font = font_size;
    out.runs.push_back(std::move(r));
    std::sort(out.runs.begin(), out.runs.end(), [](const RunReport& a, const RunReport& b) { return a.tag < b.tag; });
}

void record_covering_windows(LayoutReport& out, const ImDrawData& draw_data, std::string_view timeline_window) {
    out.covered.clear();
    // The lanes' window is the one the App says drew them (the compare view when comparing).
    if (!out.timeline_window.empty()) timeline_window = out.timeline_window;
    bool above = false;
    std::vector<ReportRect> canvases;
    for (const RunReport& r : out.runs) canvases.push_back(r.canvas);
    if (canvases.empty()) canvases.push_back(out.canvas);
    for (int i = 0; i < draw_data.CmdListsCount; ++i) {
        const ImDrawList& list = *draw_data.CmdLists[i];
        const std::string_view owner = list._OwnerName ? list._OwnerName : "";
        if (!above) {
            above = owner == timeline_window;
            continue;
        }
        // What each draw command can reach: its vertices' bounds within its clip rectangle.
        ReportRect box{1e30f, 1e30f, -1e30f, -1e30f};
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr || cmd.ElemCount == 0) continue;
            ReportRect cb{1e30f, 1e30f, -1e30f, -1e30f};
            for (unsigned k = 0; k < cmd.ElemCount; ++k) {
                const ImVec2 p = list.VtxBuffer[static_cast<int>(list.IdxBuffer[static_cast<int>(cmd.IdxOffset + k)] + cmd.VtxOffset)].pos;
                cb = {std::min(cb.x0, p.x), std::min(cb.y0, p.y), std::max(cb.x1, p.x), std::max(cb.y1, p.y)};
            }
            cb = {std::max(cb.x0, cmd.ClipRect.x), std::max(cb.y0, cmd.ClipRect.y), std::min(cb.x1, cmd.ClipRect.z),
                  std::min(cb.y1, cmd.ClipRect.w)};
            if (cb.x1 <= cb.x0 || cb.y1 <= cb.y0) continue;
            box = {std::min(box.x0, cb.x0), std::min(box.y0, cb.y0), std::max(box.x1, cb.x1), std::max(box.y1, cb.y1)};
        }
        // Only what reaches into a canvas.
        for (const ReportRect& c : canvases) {
            const ReportRect in{std::max(box.x0, c.x0), std::max(box.y0, c.y0), std::min(box.x1, c.x1), std::min(box.y1, c.y1)};
            if (in.x1 <= in.x0 || in.y1 <= in.y0) continue;
            out.covered.push_back(CoverReport{std::string(owner), in});
        }
    }
}

std::string layout_report_json(const LayoutReport& report) {
    std::string j = "{\n";
    j += "  \"format\": \"tasklab-viz-layout\",\n  \"version\": 2,\n";
    j += "  \"mode\": " + quoted(report.mode) + ",\n";
    j += "  \"presenter\": " + std::string(report.presenter ? "true" : "false") + ",\n";
    j += "  \"scale\": " + number(report.scale) + ",\n";
    j += "  \"scenario\": " + quoted(report.scenario) + ",\n";
    j += "  \"title\": " + quoted(report.title) + ",\n";
    j += "  \"image\": {\"width\": " + std::to_string(report.image_width) + ", \"height\": " +
         std::to_string(report.image_height) + "},\n";
    j += "  \"timeline_drawn\": " + std::string(report.filled ? "true" : "false") + ",\n";
    j += "  \"lanes_window\": " + quoted(report.timeline_window) + ",\n";
    j += "  \"axis\": " + quoted(time_axis_name(report.axis)) + ",\n";
    j += "  \"instants\": [";
    for (std::size_t i = 0; i < report.instants.size(); ++i) {
        const InstantReport& in = report.instants[i];
        j += (i ? ", " : "") + std::string("{\"time\": ") + std::to_string(in.time) + ", \"first_step\": " +
             std::to_string(in.first_step) + ", \"end_step\": " + std::to_string(in.end_step) + ", \"x0\": " + number(in.x0) +
             ", \"x1\": " + number(in.x1) + "}";
    }
    j += "],\n";
    j += "  \"canvas\": " + rect_json(report.canvas) + ",\n";
    j += "  \"plot\": " + rect_json(report.plot) + ",\n";
    j += "  \"row_height\": " + number(report.row_height) + ",\n";
    j += "  \"cursor_x\": " + number(report.cursor_x) + ",\n";
    j += "  \"background\": " + color_json(report.background) + ",\n";
    j += "  \"state_colors\": {";
    for (int s = 0; s < k_report_state_count; ++s) {
        j += s ? ", " : "";
        j += quoted(report_state_name(s)) + ": " + color_json(report.state_colors[static_cast<std::size_t>(s)]);
    }
    j += "},\n";
    j += "  \"tasks\": " + std::to_string(report.tasks) + ",\n";
    j += "  \"lanes\": [";
    for (std::size_t i = 0; i < report.lanes.size(); ++i) {
        const LaneReport& l = report.lanes[i];
        j += i ? ",\n    " : "\n    ";
        j += "{\"run\": " + quoted(l.run == 0 ? "A" : "B") + ", \"task\": " + std::to_string(l.task) + ", \"name\": " +
             quoted(l.name) + ", \"alike\": " + std::to_string(l.alike) + ", \"row\": " + std::to_string(l.row);
        j += ", \"visible\": " + std::string(l.visible ? "true" : "false");
        j += ", \"selected\": " + std::string(l.selected ? "true" : "false");
        j += ", \"y0\": " + number(l.rect.y0) + ", \"y1\": " + number(l.rect.y1);
        j += ", \"bar_y0\": " + number(l.bar_y0) + ", \"bar_y1\": " + number(l.bar_y1);
        j += ", \"states\": {";
        bool first = true;
        for (int s = 0; s < k_report_state_count; ++s) {
            const auto& list = l.state_spans[static_cast<std::size_t>(s)];
            if (list.empty()) continue;
            float px = 0;
            std::string xs;
            for (const auto& [x0, x1] : list) {
                px += x1 - x0;
                xs += (xs.empty() ? "[" : ", [") + number(x0) + ", " + number(x1) + "]";
            }
            j += first ? "" : ", ";
            first = false;
            j += quoted(report_state_name(s)) + ": {\"pixels\": " + number(px) + ", \"spans\": [" + xs + "]}";
        }
        j += "}, \"marks\": [";
        for (std::size_t k = 0; k < l.marks.size(); ++k)
            j += (k ? ", " : "") + std::string("{\"kind\": ") + quoted(l.marks[k].kind) + ", \"event\": " +
                 std::to_string(l.marks[k].event) + ", \"x\": " + number(l.marks[k].x) + "}";
        j += "]}";
    }
    j += report.lanes.empty() ? "],\n" : "\n  ],\n";
    j += "  \"runs\": [";
    for (std::size_t i = 0; i < report.runs.size(); ++i) {
        const RunReport& r = report.runs[i];
        j += i ? ",\n    " : "\n    ";
        j += "{\"run\": " + quoted(r.tag) + ", \"scenario\": " + quoted(r.scenario) + ", \"title\": " + quoted(r.title);
        j += ", \"tasks\": " + std::to_string(r.tasks) + ", \"focused\": " + std::string(r.focused ? "true" : "false");
        j += ", \"canvas\": " + rect_json(r.canvas) + ", \"plot\": " + rect_json(r.plot) + ", \"row_height\": " + number(r.row_height);
        j += ", \"caption\": " + (r.has_caption ? rect_json(r.caption) : std::string("null"));
        j += ", \"caption_font\": " + number(r.caption_font);
        j += ", \"outcome\": " + std::to_string(r.outcome) + ", \"choice_marks\": " + std::to_string(r.choice_marks) +
             ", \"departing_marks\": " + std::to_string(r.departing_marks) + "}";
    }
    j += report.runs.empty() ? "],\n" : "\n  ],\n";
    j += "  \"windows\": [";
    for (std::size_t i = 0; i < report.windows.size(); ++i) {
        const WindowReport& w = report.windows[i];
        j += i ? ",\n    " : "\n    ";
        j += "{\"window\": " + quoted(w.name) + ", \"rect\": " + rect_json(w.rect) + ", \"content\": " + rect_json(w.content) +
             ", \"scrolls\": " + std::string(w.scrolls ? "true" : "false") + "}";
    }
    j += report.windows.empty() ? "],\n" : "\n  ],\n";
    j += "  \"covered\": [";
    for (std::size_t i = 0; i < report.covered.size(); ++i)
        j += (i ? ", " : "") + std::string("{\"window\": ") + quoted(report.covered[i].window) + ", \"rect\": " +
             rect_json(report.covered[i].rect) + "}";
    j += "]\n";
    j += "}\n";
    return j;
}

std::string write_layout_report(const std::string& path, const LayoutReport& report) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return "cannot write " + path;
    f << layout_report_json(report);
    f.close();
    if (!f) return "cannot write " + path;
    return "";
}

}  // namespace tasklab::viz
