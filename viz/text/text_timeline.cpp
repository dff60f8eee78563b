#include "text_timeline.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <sstream>
#include <string_view>

#include "event_log.hpp"
#include "text_util.hpp"

namespace tasklab {

namespace {

// ---- glyphs ------------------------------------------------------------------------------

// What a column can show. States come first (chosen by duration), then marks in rising
// precedence (a higher mark wins a shared column).
enum class Glyph : std::uint8_t {
    blank,
    // states
    not_started,
    running,
    waiting,
    actor_wait,
    sleeping,
    blocked,
    cancel_pending,
    // marks, lowest precedence first
    printed,
    threw,
    cancel_observed,
    cancel_requested,
    end_returned,
    end_threw,
    end_cancelled,
    end_skipped,
    end_abandoned,
    count_,
};
constexpr std::size_t k_glyph_count = static_cast<std::size_t>(Glyph::count_);
constexpr std::size_t k_first_state = static_cast<std::size_t>(Glyph::not_started);
constexpr std::size_t k_state_count = static_cast<std::size_t>(Glyph::cancel_pending) - k_first_state + 1;

struct GlyphStyle {
    std::string_view glyph;
    std::string_view color;  // ANSI SGR parameters
    std::string_view meaning;
};

constexpr std::array<GlyphStyle, k_glyph_count> k_styles = {{
    {" ", "", ""},
    {"·", "2", "created, not started"},
    {"█", "32", "running"},
    {"─", "2", "waiting (task, group, network…)"},
    {"═", "33", "waiting for a busy actor"},
    {"░", "34", "sleeping"},
    {"▓", "33", "blocked (thread or loop held)"},
    {"╱", "35", "cancel requested, still going"},
    {"•", "36", "printed"},
    {"!", "1;31", "threw"},
    {"◆", "1;35", "cancel observed"},
    {"▼", "1;31", "cancel requested"},
    {"✓", "1;32", "returned"},
    {"✗", "1;31", "ended by an error"},
    {"⊘", "1;35", "ended cancelled"},
    {"∅", "2", "skipped (never ran)"},
    {"»", "2", "still running at the end"},
}};

const GlyphStyle& style(Glyph g) { return k_styles[static_cast<std::size_t>(g)]; }

Glyph end_glyph(std::uint8_t outcome) {
    switch (outcome) {
    case static_cast<std::uint8_t>(Outcome::returned): return Glyph::end_returned;
    case static_cast<std::uint8_t>(Outcome::threw): return Glyph::end_threw;
    case static_cast<std::uint8_t>(Outcome::cancelled): return Glyph::end_cancelled;
    case static_cast<std::uint8_t>(Outcome::skipped): return Glyph::end_skipped;
    default: return Glyph::end_abandoned;
    }
}

// ---- the axis ----------------------------------------------------------------------------

enum class AxisUnit : std::uint8_t { time, steps };

struct Axis {
    AxisUnit unit = AxisUnit::time;
    std::int64_t end = 0;       // last position (time in ticks or a step index)
    std::int64_t tick = 1;      // positions per column
    std::uint32_t columns = 1;
    std::uint32_t label_every = 10;  // columns between ruler labels

    [[nodiscard]] std::uint32_t column(std::int64_t pos) const {
        if (pos <= 0) return 0;
        const auto c = static_cast<std::uint64_t>(pos / tick);
        return c >= columns ? columns - 1 : static_cast<std::uint32_t>(c);
    }
    [[nodiscard]] std::string label(std::int64_t pos) const {
        return unit == AxisUnit::time ? format_duration(pos) : std::to_string(pos);
    }
};

// The smallest 1-2-5 tick that fits `end` into `width` columns (plus the column holding end).
Axis make_axis(AxisUnit unit, std::int64_t end, std::uint32_t width) {
    Axis a;
    a.unit = unit;
    a.end = end;
    width = std::max<std::uint32_t>(width, 10);
    std::int64_t base = 1;
    for (;;) {
        bool found = false;
        for (const std::int64_t m : {1, 2, 5}) {
            const std::int64_t t = base * m;
            if (end / t <= static_cast<std::int64_t>(width)) {
                a.tick = t;
                found = true;
                break;
            }
        }
        if (found) break;
        base *= 10;
    }
    a.columns = static_cast<std::uint32_t>(end / a.tick) + 1;
    // Labels every 10 columns (a 1-2-5 value again), wider apart when labels would touch.
    a.label_every = 10;
    for (;;) {
        std::uint32_t widest = 0;
        for (std::uint32_t c = 0; c < a.columns; c += a.label_every)
            widest = std::max(widest, display_width(a.label(static_cast<std::int64_t>(c) * a.tick)));
        if (widest < a.label_every) break;
        a.label_every *= 2;
    }
    return a;
}

// ---- per-lane accumulation ---------------------------------------------------------------
//
// Events arrive in time order, so each lane only needs an accumulator for the column it is
// in; a column is settled into one glyph byte as soon as the lane moves past it. Memory is
// one byte per lane and column (111,111 tasks × 100 columns ≈ 11 MB), not a cell record.

struct Cell {
    std::array<std::int64_t, k_state_count> duration{};
    Glyph mark = Glyph::blank;
    Glyph displaced = Glyph::blank;  // the best mark that lost this column to `mark`
    bool ran = false;
};

Glyph cell_glyph(const Cell& c) {
    if (c.mark != Glyph::blank) return c.mark;
    if (c.ran) return Glyph::running;
    std::size_t best = k_state_count;
    std::int64_t best_d = 0;
    // Later states win ties: they are the rarer, more telling ones (cancel pending, blocked).
    for (std::size_t s = 0; s < k_state_count; ++s)
        if (c.duration[s] > 0 && c.duration[s] >= best_d) {
            best = s;
            best_d = c.duration[s];
        }
    if (best == k_state_count) return Glyph::blank;
    return static_cast<Glyph>(best + k_first_state);
}

// The glyph of a folded state (a pending cancel shows as such, except while running).
Glyph state_glyph(const StateInterval& iv) {
    if (iv.cancel_pending && iv.state != tasklab::LaneState::running) return Glyph::cancel_pending;
    switch (iv.state) {
    case tasklab::LaneState::waiting_to_start: return Glyph::not_started;
    case tasklab::LaneState::running: return Glyph::running;
    case tasklab::LaneState::suspended: return Glyph::waiting;
    case tasklab::LaneState::sleeping: return Glyph::sleeping;
    case tasklab::LaneState::blocked: return Glyph::blocked;
    case tasklab::LaneState::actor_wait: return Glyph::actor_wait;
    }
    return Glyph::blank;
}

struct PaintLane {
    bool alive = false;
    bool cancel_pending = false;
    Glyph shown = Glyph::blank;  // the glyph of the open interval (state_glyph)
    std::int64_t since = 0;
    std::uint32_t column = 0;    // the column `cell` accumulates
    Cell cell;
    std::uint32_t end_column = 0;     // where the task's end mark landed
    Glyph end_displaced = Glyph::blank;  // a mark the end mark hid there
};

class Painter {
public:
    // Each row has one spare column past the axis, for an end mark pushed aside (finish_all).
    Painter(const Axis& axis, std::size_t lanes)
        : m_axis(axis), m_stride(axis.columns + 1), m_lanes(lanes),
          m_glyphs(lanes * m_stride, static_cast<std::uint8_t>(Glyph::blank)) {}

    /// Accounts the open state up to `pos` and goes on in it from there, so no later interval
    /// reaches back into a column before `pos` (columns are settled in order). A cancel request
    /// may change no state (one is pending already), yet its mark must not be lost.
    void checkpoint(std::size_t lane, std::int64_t pos) {
        PaintLane& l = m_lanes[lane];
        if (!l.alive) return;
        close(lane, pos);
        l.since = pos;
    }
    void mark(std::size_t lane, std::int64_t pos, Glyph g) {
        Cell& c = cell_at(lane, pos);
        if (g > c.mark) {
            c.displaced = std::max(c.displaced, c.mark);
            c.mark = g;
        } else {
            c.displaced = std::max(c.displaced, g);
        }
    }
    void ran(std::size_t lane, std::int64_t pos) { cell_at(lane, pos).ran = true; }
    /// Ends the current state interval at `pos` and starts the folded interval `next` there.
    void enter(std::size_t lane, std::int64_t pos, const StateInterval& next) {
        PaintLane& l = m_lanes[lane];
        close(lane, pos);
        l.shown = state_glyph(next);
        l.cancel_pending = next.cancel_pending;
        l.alive = true;
        l.since = pos;
    }
    /// The task finished at `pos`: its last interval ends there.
    void end(std::size_t lane, std::int64_t pos) {
        PaintLane& l = m_lanes[lane];
        close(lane, pos);
        l.shown = Glyph::blank;
        l.alive = false;
        l.cancel_pending = false;
        l.since = pos;
    }
    /// Adds a state for [from, to) directly (asyncio's loop-blocking work), then carries on
    /// in the current state from `to`.
    void span(std::size_t lane, std::int64_t from, std::int64_t to, Glyph g) {
        PaintLane& l = m_lanes[lane];
        close(lane, from);
        add(lane, from, to, shown(l, g));
        l.since = to;
    }
    /// Closes every open interval at `end` and settles every lane's last column. Then
    /// collisions are settled: when a task's end shares its column with another mark (a
    /// cancel requested and the task cancelled in the same instant), the end moves one column
    /// right if the lane is empty there, so both show.
    void finish_all(std::int64_t end) {
        for (std::size_t lane = 0; lane < m_lanes.size(); ++lane) {
            PaintLane& l = m_lanes[lane];
            if (l.alive) close(lane, end);
            settle(lane);
            if (l.end_displaced == Glyph::blank) continue;
            std::uint8_t* row = &m_glyphs[lane * m_stride];
            const std::uint32_t c = l.end_column;
            if (c + 1 < m_stride && row[c + 1] == static_cast<std::uint8_t>(Glyph::blank)) {
                row[c + 1] = row[c];
                row[c] = static_cast<std::uint8_t>(l.end_displaced);
            }
        }
    }
    /// The settled glyphs of a lane: the axis columns plus one spare.
    [[nodiscard]] std::span<const std::uint8_t> row(std::size_t lane) const {
        return {&m_glyphs[lane * m_stride], m_stride};
    }

private:
    static Glyph shown(const PaintLane& l, Glyph g) {
        if (l.cancel_pending && g != Glyph::running) return Glyph::cancel_pending;
        return g;
    }
    // The accumulator of the column holding `pos`, settling the columns before it.
    Cell& cell_at(std::size_t lane, std::int64_t pos) {
        PaintLane& l = m_lanes[lane];
        const std::uint32_t c = m_axis.column(pos);
        if (c != l.column) {
            settle(lane);
            l.column = c;
        }
        return l.cell;
    }
    void settle(std::size_t lane) {
        PaintLane& l = m_lanes[lane];
        const Glyph g = cell_glyph(l.cell);
        if (g >= Glyph::end_returned) {
            l.end_column = l.column;
            l.end_displaced = l.cell.displaced;
        }
        m_glyphs[lane * m_stride + l.column] = static_cast<std::uint8_t>(g);
        l.cell = Cell{};
    }
    void close(std::size_t lane, std::int64_t pos) {
        const PaintLane& l = m_lanes[lane];
        if (!l.alive) return;
        add(lane, l.since, pos, l.shown);
    }
    void add(std::size_t lane, std::int64_t from, std::int64_t to, Glyph g) {
        if (to <= from || g == Glyph::blank) return;
        const auto s = static_cast<std::size_t>(g) - k_first_state;
        while (from < to) {
            const std::uint32_t c = m_axis.column(from);
            const std::int64_t col_end =
                c + 1 >= m_axis.columns ? to : static_cast<std::int64_t>(c + 1) * m_axis.tick;
            const std::int64_t seg_end = std::min(to, col_end);
            cell_at(lane, from).duration[s] += seg_end - from;
            from = seg_end;
        }
    }

    const Axis& m_axis;
    std::size_t m_stride;
    std::vector<PaintLane> m_lanes;
    std::vector<std::uint8_t> m_glyphs;
};

// ---- output helpers ----------------------------------------------------------------------

class Row {
public:
    explicit Row(ColorMode color) : m_color(color) {}
    void plain(std::string_view s) {
        set_color({});
        m_text += s;
    }
    void styled(std::string_view sgr, std::string_view s) {
        set_color(sgr);
        m_text += s;
    }
    void glyph(Glyph g) {
        set_color(g == Glyph::blank ? std::string_view{} : style(g).color);
        m_text += style(g).glyph;
    }
    std::string take() {
        set_color({});
        // Trailing blanks carry no information; keep lines tidy for diffs and slides.
        while (!m_text.empty() && m_text.back() == ' ') m_text.pop_back();
        m_text += '\n';
        return std::move(m_text);
    }

private:
    void set_color(std::string_view c) {
        if (m_color != ColorMode::ansi || c == m_current) return;
        if (!m_current.empty()) m_text += "\x1b[0m";
        if (!c.empty()) {
            m_text += "\x1b[";
            m_text += c;
            m_text += 'm';
        }
        m_current = c;
    }
    ColorMode m_color;
    std::string m_text;
    std::string_view m_current;
};

constexpr std::string_view k_unstructured_marker = "⇢ ";
constexpr std::uint32_t k_max_indent_depth = 12;
constexpr std::uint32_t k_max_label_width = 36;

// "  ⇢ Task {} @12", clipped so that `suffix` (" +96 alike") always shows whole.
std::string lane_label(const Trace& trace, const TimelineLane& lane, const std::string& suffix) {
    std::string label(std::min(lane.depth, k_max_indent_depth) * 2, ' ');
    if (lane.unstructured) label += k_unstructured_marker;
    label += lane_name(trace, lane.task);
    return text::clip(label, k_max_label_width - display_width(suffix)) + suffix;
}

}  // namespace

void write_text_timeline(std::ostream& out, const Trace& trace, const TimelineOptions& options) {
    if (trace.size() == 0 || trace.tasks().size() <= 1) {
        out << "(no tasks ran)\n";
        return;
    }
    const Event last = trace.at(trace.size() - 1);
    const AxisUnit unit = last.time > 0 ? AxisUnit::time : AxisUnit::steps;
    const Axis axis = make_axis(unit, unit == AxisUnit::time ? last.time : static_cast<std::int64_t>(last.step),
                                options.width);
    auto position = [unit](const Event& e) {
        return unit == AxisUnit::time ? e.time : static_cast<std::int64_t>(e.step);
    };

    const std::vector<TimelineLane> all_lanes = timeline_lanes(trace);
    std::vector<std::int64_t> lane_of(trace.tasks().size(), -1);
    for (std::size_t i = 0; i < all_lanes.size(); ++i) lane_of[all_lanes[i].task] = static_cast<std::int64_t>(i);

    // One pass over the events paints every lane: the fold reads each event first and says
    // whether its task entered a new state there; marks come from the events themselves.
    Painter painter(axis, all_lanes.size());
    TaskFold fold(FoldKeeps::current_interval);
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const LaneChange change = fold.read_next(trace);
        const StoredEvent& s = trace.stored(i);
        if (s.task == 0 || s.task >= lane_of.size() || lane_of[s.task] < 0) continue;
        const auto lane = static_cast<std::size_t>(lane_of[s.task]);
        const Event e = trace.at(i);
        const std::int64_t pos = position(e);
        if (change == LaneChange::began) painter.enter(lane, pos, fold.lane(s.task).intervals.back());
        else if (change == LaneChange::ended) painter.end(lane, pos);
        switch (e.kind) {
        case EventKind::task_started:
        case EventKind::task_resumed:
        case EventKind::task_unblocked: painter.ran(lane, pos); break;
        case EventKind::loop_blocked:
            // The task keeps running, but the whole loop is held: drawn as blocked.
            if (unit == AxisUnit::time) painter.span(lane, pos, pos + trace.number(e.payload), Glyph::blocked);
            break;
        case EventKind::task_finished: painter.mark(lane, pos, end_glyph(e.detail)); break;
        case EventKind::cancel_requested:
            painter.checkpoint(lane, pos);
            painter.mark(lane, pos, Glyph::cancel_requested);
            break;
        case EventKind::cancel_observed: painter.mark(lane, pos, Glyph::cancel_observed); break;
        case EventKind::threw: painter.mark(lane, pos, Glyph::threw); break;
        case EventKind::printed: painter.mark(lane, pos, Glyph::printed); break;
        default: break;
        }
    }
    painter.finish_all(axis.end);

    // Rows: siblings in a run with the same picture share one row ("downloadImage #4 +96
    // alike"), so a group of a thousand children stays readable. Then the row cap.
    struct DrawnRow {
        std::size_t lane;
        std::size_t alike;  // further lanes folded into this row
    };
    // A run folds only when it has at least k_fold_from lanes of one family (same name but
    // for the instance number): a handful of rows reads better than "+3 alike".
    constexpr std::size_t k_fold_from = 5;
    std::vector<DrawnRow> rows;
    for (std::size_t i = 0; i < all_lanes.size();) {
        std::size_t j = i + 1;
        if (options.collapse == Collapse::alike) {
            const TimelineLane& a = all_lanes[i];
            const std::string first = lane_name(trace, a.task);
            while (j < all_lanes.size()) {
                const TimelineLane& b = all_lanes[j];
                if (a.depth != b.depth || a.unstructured != b.unstructured ||
                    !std::ranges::equal(painter.row(i), painter.row(j)) ||
                    text::family_name(first) != text::family_name(lane_name(trace, b.task)))
                    break;
                ++j;
            }
            if (j - i < k_fold_from) j = i + 1;
        }
        rows.push_back({i, j - i - 1});
        i = j;
    }
    const std::size_t shown = std::min(rows.size(), std::max<std::size_t>(options.max_lanes, 1));
    std::size_t hidden_tasks = 0;
    for (std::size_t r = shown; r < rows.size(); ++r) hidden_tasks += 1 + rows[r].alike;

    // Labels.
    std::vector<std::string> labels(shown);
    std::uint32_t label_w = 4;
    for (std::size_t r = 0; r < shown; ++r) {
        labels[r] = lane_label(trace, all_lanes[rows[r].lane],
                               rows[r].alike ? " +" + std::to_string(rows[r].alike) + " alike" : std::string());
        label_w = std::max(label_w, display_width(labels[r]));
    }
    const std::string gap = "  ";

    // Title.
    std::string title = "Timeline · 1 column = ";
    if (unit == AxisUnit::time) title += format_duration(axis.tick) + " · 0s … " + format_duration(axis.end);
    else {
        title += axis.tick == 1 ? "1 step" : std::to_string(axis.tick) + " steps";
        title += " · no virtual time passed: the axis counts scheduler steps, 0 … " + std::to_string(axis.end);
    }
    {
        Row title_row(options.color);
        title_row.styled("1", title);
        out << title_row.take();
    }

    // Ruler: labels over tick marks.
    {
        std::string label_line = text::pad_right(unit == AxisUnit::time ? "" : "step", label_w) + gap;
        std::uint32_t used = 0;
        for (std::uint32_t c = 0; c < axis.columns; c += axis.label_every) {
            if (c < used) continue;
            label_line.append(c - used, ' ');
            const std::string l = axis.label(static_cast<std::int64_t>(c) * axis.tick);
            label_line += l;
            used = c + display_width(l);
        }
        Row labels_row(ColorMode::plain);
        labels_row.plain(label_line);
        out << labels_row.take();

        Row ruler(options.color);
        ruler.plain(std::string(label_w, ' ') + gap);
        std::string marks;
        for (std::uint32_t c = 0; c < axis.columns; ++c) {
            if (c == 0) marks += "├";
            else if (c % axis.label_every == 0) marks += "┼";
            else if (c + 1 == axis.columns) marks += "┤";
            else marks += "─";
        }
        ruler.styled("2", marks);
        out << ruler.take();
    }

    // Lanes.
    std::array<bool, k_glyph_count> used{};
    for (std::size_t r = 0; r < shown; ++r) {
        Row row(options.color);
        row.plain(text::pad_right(labels[r], label_w) + gap);
        for (const std::uint8_t byte : painter.row(rows[r].lane)) {
            const auto g = static_cast<Glyph>(byte);
            used[byte] = true;
            row.glyph(g);
        }
        out << row.take();
    }
    if (hidden_tasks > 0)
        out << text::pad_right("", label_w) << gap << "… " << hidden_tasks << (hidden_tasks == 1 ? " more task" : " more tasks")
            << " not drawn\n";

    if (options.legend == Legend::hide) return;
    // Legend: only what appears above, states then marks then ends, flowed into lines no
    // wider than the timeline.
    out << '\n';
    const std::uint32_t limit = std::max<std::uint32_t>(72, label_w + static_cast<std::uint32_t>(gap.size()) + axis.columns);
    Row line(options.color);
    std::uint32_t line_w = 0;
    auto entry = [&](const Glyph* g, std::string_view meaning) {
        const std::uint32_t w = 2 + display_width(meaning);
        if (line_w > 0 && line_w + 3 + w > limit) {
            out << line.take();
            line = Row(options.color);
            line_w = 0;
        }
        line.plain(line_w == 0 ? "  " : "   ");
        line_w += line_w == 0 ? 2 : 3;
        if (g != nullptr) line.glyph(*g);
        else line.plain(k_unstructured_marker.substr(0, k_unstructured_marker.size() - 1));
        line.plain(" ");
        line.plain(meaning);
        line_w += w;
    };
    for (std::size_t i = k_first_state; i < k_glyph_count; ++i) {
        if (!used[i]) continue;
        const auto g = static_cast<Glyph>(i);
        entry(&g, style(g).meaning);
    }
    const bool has_unstructured = std::any_of(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown),
                                              [&](const DrawnRow& r) { return all_lanes[r.lane].unstructured; });
    if (has_unstructured) entry(nullptr, "unstructured (Task {}, work item): not a child, shown after its creator");
    if (line_w > 0) out << line.take();
}

std::string text_timeline(const Trace& trace, const TimelineOptions& options) {
    std::ostringstream s;
    write_text_timeline(s, trace, options);
    return s.str();
}

}  // namespace tasklab
