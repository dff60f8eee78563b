// Lane order and brackets, axis positions, time↔pixel, level of detail, arrow routing.
#include "timeline_layout.hpp"

#include <algorithm>
#include <cmath>

namespace tasklab::viz {

// ---------------------------------------------------------------- LaneLayout

void LaneLayout::reset() {
    m_tree.reset();
    m_rows.clear();
    m_brackets.clear();
    m_row_of.clear();
    m_shown.clear();
    m_tasks_seen = 0;
    m_folded.clear();
    m_dirty = true;
}

void LaneLayout::update(const Trace& trace, const std::set<TaskId>& folded) {
    const auto& tasks = trace.tasks();
    if (tasks.size() < m_tasks_seen) reset();  // a shorter trace: a replay or another run
    if (m_tree.sync(trace)) m_dirty = true;
    m_tasks_seen = m_tree.size();
    if (folded != m_folded) {
        m_folded = folded;
        m_dirty = true;
    }
    if (m_dirty) rebuild(trace, folded);
}

void LaneLayout::rebuild(const Trace& trace, const std::set<TaskId>& folded) {
    m_dirty = false;
    m_rows.clear();
    m_brackets.clear();
    const auto& nodes = m_tree.nodes();
    m_row_of.assign(nodes.size(), -1);
    m_shown.assign(nodes.size(), false);

    enum class Item : std::uint8_t { task, header, close };
    struct Entry {
        Item item;
        std::uint32_t id;  // task, scope, or bracket index
        std::uint32_t depth;
        TaskId owner;
    };
    std::vector<Entry> stack;
    std::vector<TaskId> hidden_stack;
    std::vector<std::size_t> open_brackets;  // brackets nest: closes come in reverse order
    // Roots (main and every piece of unstructured work) in creation order. Unstructured work
    // has no parent: it is a top-level lane like main, linked to its creator only by the dashed
    // spawn arrow. Nesting it under its creator would say the creator's cancel reaches it,
    // which is exactly what does not happen.
    for (std::size_t id = nodes.size(); id-- > 1;)
        if (nodes[id].lane_parent == 0 && id < trace.tasks().size() && trace.task(static_cast<TaskId>(id)).id != 0)
            stack.push_back(Entry{Item::task, static_cast<std::uint32_t>(id), 0, 0});

    while (!stack.empty()) {
        const Entry e = stack.back();
        stack.pop_back();
        if (e.item == Item::close) {
            m_brackets[open_brackets.back()].last_row = static_cast<std::uint32_t>(m_rows.size() - 1);
            open_brackets.pop_back();
            continue;
        }
        if (e.item == Item::header) {
            Row row;
            row.kind = RowKind::scope_header;
            row.task = e.owner;
            row.scope = e.id;
            row.depth = e.depth;
            open_brackets.push_back(m_brackets.size());
            m_brackets.push_back(Bracket{e.id, e.owner, static_cast<std::uint32_t>(m_rows.size()),
                                         static_cast<std::uint32_t>(m_rows.size()), e.depth});
            m_rows.push_back(row);
            continue;
        }
        const TaskId id = e.id;
        const LaneTree::Node& node = nodes[id];
        Row row;
        row.kind = RowKind::task;
        row.task = id;
        row.scope = trace.task(id).scope;
        row.depth = e.depth;
        row.unstructured = node.unstructured;
        row.thread = node.thread;
        row.has_children = !node.scoped.empty();
        row.folded = row.has_children && folded.count(id) != 0;
        const auto row_index = static_cast<std::int64_t>(m_rows.size());
        m_row_of[id] = row_index;
        m_shown[id] = true;
        if (row.folded) {
            // Everything below maps to this row.
            std::uint32_t hidden = 0;
            hidden_stack.assign(1, id);
            while (!hidden_stack.empty()) {
                const TaskId h = hidden_stack.back();
                hidden_stack.pop_back();
                for (const auto& g : nodes[h].scoped)
                    for (TaskId c : g.second) {
                        m_row_of[c] = row_index;
                        ++hidden;
                        hidden_stack.push_back(c);
                    }
            }
            row.hidden = hidden;
            m_rows.push_back(row);
            continue;
        }
        m_rows.push_back(row);
        // Children pushed in reverse: structured groups (header, children, close) in order on
        // screen.
        for (auto g = node.scoped.rbegin(); g != node.scoped.rend(); ++g) {
            const bool bracketed = g->first != 0;
            if (bracketed) stack.push_back(Entry{Item::close, 0, e.depth + 1, id});
            for (auto c = g->second.rbegin(); c != g->second.rend(); ++c)
                stack.push_back(Entry{Item::task, *c, e.depth + 1, 0});
            if (bracketed) stack.push_back(Entry{Item::header, g->first, e.depth + 1, id});
        }
    }
}

std::int64_t LaneLayout::row_of(TaskId task) const { return task < m_row_of.size() ? m_row_of[task] : -1; }

bool LaneLayout::shown(TaskId task) const { return task < m_shown.size() && m_shown[task]; }

TaskId LaneLayout::lane_parent(TaskId task) const {
    return task < m_tree.size() ? m_tree.node(task).lane_parent : 0;
}

std::pair<std::uint32_t, std::uint32_t> LaneLayout::visible_rows(float scroll, float height, float row_height) const {
    const auto n = static_cast<std::uint32_t>(m_rows.size());
    if (row_height <= 0 || n == 0) return {0, 0};
    const double first = std::floor(std::max(0.0f, scroll) / row_height);
    const double last = std::ceil((std::max(0.0f, scroll) + std::max(0.0f, height)) / row_height);
    const auto f = static_cast<std::uint32_t>(std::min<double>(first, n));
    const auto l = static_cast<std::uint32_t>(std::min<double>(last, n));
    return {f, std::max(f, l)};
}

// ---------------------------------------------------------------- InstantTable

std::string_view time_axis_name(TimeAxis axis) {
    switch (axis) {
        case TimeAxis::virtual_time: return "time";
        case TimeAxis::steps: return "steps";
        case TimeAxis::time_and_steps: return "time+steps";
    }
    return "?";
}

double event_slot_weight(EventKind kind) {
    switch (kind) {
        case EventKind::cancel_requested:
        case EventKind::cancel_observed:
        case EventKind::handler_ran:
        case EventKind::threw:
        case EventKind::caught:
        case EventKind::error_delivered:
        case EventKind::printed:
        case EventKind::narration:
        case EventKind::lint:
        case EventKind::task_finished:
            return 1.0;
        case EventKind::task_created:
            return 0.5;
        default:
            return 0.0;
    }
}

namespace {
/// The least a step of an opened instant takes: half a glyph, so even a step of bookkeeping
/// (a task resuming and suspending again) shows as a bar of its own.
constexpr double k_min_step_slots = 0.5;
/// How many events of a fan-out (one kind, lane after lane) get their own slot.
constexpr std::size_t k_fan_out_slots = 3;
}  // namespace

void InstantTable::clear() {
    m_prefix.clear();
    m_step_first.clear();
    m_opened.clear();
    m_instants.clear();
    m_total = 0;
    m_crowded = false;
}

void InstantTable::build(const Trace& trace) {
    clear();
    const std::uint64_t n = trace.size();
    m_prefix.assign(n + 1, 0.0);
    // The events of the instant being read.
    struct Item {
        EventKind kind;
        TaskId task;
        std::uint64_t step;
    };
    std::vector<Item> buffer;
    std::vector<double> weights;
    std::uint64_t first = 0;
    Tick time = 0;
    double total = 0;
    auto flush = [&](std::uint64_t end) {
        if (buffer.empty()) return;
        const bool opened = buffer.front().step != buffer.back().step;
        if (!opened) {
            for (std::uint64_t e = first; e < end; ++e) m_prefix[e + 1] = total;
            buffer.clear();
            return;
        }
        Opened o;
        o.time = time;
        o.first_event = first;
        o.end_event = end;
        o.first_step = buffer.front().step;
        o.end_step = buffer.back().step + 1;
        o.slots_before = total;
        // Step by step: each event its weight, each step at least k_min_step_slots.
        // A fan-out — one kind of event on one lane after another (a group spawning its
        // children, cancelAll reaching them) — needs room for its first few only: the rest sit
        // on different lanes, and their arrows join one trunk.
        for (std::size_t i = 0; i < buffer.size();) {
            std::size_t j = i;
            double sum = 0;
            std::uint32_t keys = 0;
            std::size_t fan = 0;
            const Item* previous = nullptr;  // the previous event with a weight in this step
            weights.clear();
            while (j < buffer.size() && buffer[j].step == buffer[i].step) {
                double w = event_slot_weight(buffer[j].kind);
                if (w > 0) {
                    fan = previous != nullptr && previous->kind == buffer[j].kind && previous->task != buffer[j].task ? fan + 1 : 0;
                    previous = &buffer[j];
                    if (fan >= k_fan_out_slots) w = 0;
                }
                weights.push_back(w);
                sum += w;
                keys += w >= 1.0 ? 1 : 0;
                ++j;
            }
            o.key_events += keys;
            const double count = static_cast<double>(j - i);
            for (std::size_t k = i; k < j; ++k) {
                double w = weights[k - i];
                if (sum <= 0) w = k_min_step_slots / count;
                else if (sum < k_min_step_slots) w *= k_min_step_slots / sum;
                total += w;
                m_prefix[first + k + 1] = total;
            }
            i = j;
        }
        o.slots = total - o.slots_before;
        m_total = total;
        if (o.key_events >= 2) m_crowded = true;
        m_opened.push_back(o);
        buffer.clear();
    };
    for (std::uint64_t e = 0; e < n; ++e) {
        const Event ev = trace.at(e);
        if (e == 0 || ev.time != time) {
            flush(e);
            first = e;
            time = ev.time;
            m_instants.emplace_back(e, time);
        }
        while (m_step_first.size() <= ev.step) m_step_first.push_back(e);
        buffer.push_back(Item{ev.kind, ev.task, ev.step});
    }
    flush(n);
}

double InstantTable::slots_before_time(Tick t) const {
    auto it = std::lower_bound(m_opened.begin(), m_opened.end(), t, [](const Opened& o, Tick v) { return o.time < v; });
    return it == m_opened.end() ? total_slots() : it->slots_before;
}

InstantTable InstantTable::merged(const InstantTable& a, const InstantTable& b) {
    InstantTable m;
    std::size_t i = 0, j = 0;
    double total = 0;
    while (i < a.m_opened.size() || j < b.m_opened.size()) {
        const bool take_a = j == b.m_opened.size() || (i < a.m_opened.size() && a.m_opened[i].time <= b.m_opened[j].time);
        const bool take_b = i == a.m_opened.size() || (j < b.m_opened.size() && b.m_opened[j].time <= a.m_opened[i].time);
        Opened o = take_a ? a.m_opened[i] : b.m_opened[j];
        if (take_a && take_b) o.slots = std::max(a.m_opened[i].slots, b.m_opened[j].slots);
        o.first_event = o.end_event = 0;  // not any one run's
        o.slots_before = total;
        total += o.slots;
        m.m_opened.push_back(o);
        i += take_a ? 1 : 0;
        j += take_b ? 1 : 0;
    }
    m.m_total = total;
    m.m_crowded = a.m_crowded || b.m_crowded;
    return m;
}

Tick InstantTable::time_of_event(std::uint64_t e) const {
    auto it = std::upper_bound(m_instants.begin(), m_instants.end(), e,
                               [](std::uint64_t v, const std::pair<std::uint64_t, Tick>& run) { return v < run.first; });
    return it == m_instants.begin() ? 0 : (it - 1)->second;
}

const InstantTable::Opened* InstantTable::opened_at(Tick t) const {
    auto it = std::lower_bound(m_opened.begin(), m_opened.end(), t, [](const Opened& o, Tick v) { return o.time < v; });
    return it != m_opened.end() && it->time == t ? &*it : nullptr;
}

double fit_slot_width(Tick total_time, double total_slots, float width_px, float min_px, double max_fraction) {
    if (total_slots <= 0) return 0.0;
    if (total_time <= 0) return 1.0;  // nothing but slots: the unit is arbitrary
    const double w = std::max(1.0f, width_px);
    const double slots_px = std::min(static_cast<double>(std::max(0.0f, min_px)) * total_slots, w * max_fraction);
    // slots_px / w of the width for the slots, the rest for the time: σ·K / (T + σ·K) = slots_px / w.
    const double t = static_cast<double>(total_time);
    return slots_px * t / ((w - slots_px) * total_slots);
}

// ---------------------------------------------------------------- AxisPositions

double AxisPositions::event(std::uint32_t e, Tick time) const {
    switch (m_kind) {
        case TimeAxis::steps: return m_model->step_position(e);
        case TimeAxis::time_and_steps:
            if (m_slot > 0) return static_cast<double>(time) + m_slot * (m_instants->event_centre(e) + shift(time));
            break;
        case TimeAxis::virtual_time: break;
    }
    return static_cast<double>(time);
}

double AxisPositions::end(const Interval& iv) const {
    if (iv.open()) return cursor();
    return event(iv.e1, iv.t1);
}

double AxisPositions::cursor() const {
    switch (m_kind) {
        case TimeAxis::steps: return static_cast<double>(m_model->last_step() + 1);
        case TimeAxis::time_and_steps:
            // The end of the last step read: inside an opened instant, the right edge of its slots.
            if (m_slot > 0)
                return static_cast<double>(m_model->now()) +
                       m_slot * (m_instants->slots_before_event(m_model->event_count()) + shift(m_model->now()));
            break;
        case TimeAxis::virtual_time: break;
    }
    return static_cast<double>(m_model->now());
}

std::pair<double, double> AxisPositions::extent(Tick total_time, std::uint64_t total_steps) const {
    if (m_kind == TimeAxis::steps) return {0.0, std::max(static_cast<double>(total_steps + 1), cursor())};
    const InstantTable* table = layout_instants();
    double hi = std::max(static_cast<double>(total_time) + slot() * (table ? table->total_slots() : 0.0), cursor());
    return {0.0, hi > 0 ? hi : static_cast<double>(k_second)};
}

double AxisPositions::time_position(Tick t) const {
    switch (m_kind) {
        case TimeAxis::steps: return m_model->step_position(m_model->first_event_at_or_after(t));
        case TimeAxis::time_and_steps:
            if (m_slot > 0) return static_cast<double>(t) + m_slot * layout_instants()->slots_before_time(t);
            break;
        case TimeAxis::virtual_time: break;
    }
    return static_cast<double>(t);
}

double AxisPositions::step_position(std::uint64_t s) const {
    switch (m_kind) {
        case TimeAxis::steps: return static_cast<double>(s) + 0.5;
        case TimeAxis::time_and_steps:
            if (m_slot > 0) {
                const std::uint64_t e0 = m_instants->first_event_of_step(s), e1 = m_instants->first_event_of_step(s + 1);
                const Tick t = m_instants->time_of_event(e0);
                return static_cast<double>(t) +
                       m_slot * ((m_instants->slots_before_event(e0) + m_instants->slots_before_event(e1)) * 0.5 + shift(t));
            }
            break;
        case TimeAxis::virtual_time: break;
    }
    return static_cast<double>(m_model->time_of_event(m_model->first_event_of_step(s)));
}

AxisPoint AxisPositions::at(double position) const {
    AxisPoint p;
    if (m_kind == TimeAxis::steps) {
        const double s = std::max(0.0, std::floor(position));
        p.in_step = true;
        p.step = static_cast<std::uint64_t>(s);
        p.time = m_model->time_of_event(m_model->first_event_of_step(p.step));
        return p;
    }
    if (m_kind == TimeAxis::virtual_time || m_slot <= 0) {
        p.time = static_cast<Tick>(std::llround(position));
        return p;
    }
    // Time and steps: the last opened instant starting at or before `position`.
    const auto& opened = layout_instants()->opened();
    auto begin_of = [&](const InstantTable::Opened& o) { return static_cast<double>(o.time) + m_slot * o.slots_before; };
    auto it = std::upper_bound(opened.begin(), opened.end(), position,
                               [&](double v, const InstantTable::Opened& o) { return v < begin_of(o); });
    if (it == opened.begin()) {
        p.time = static_cast<Tick>(std::llround(position));
        return p;
    }
    const InstantTable::Opened& o = *(it - 1);
    const double inside = (position - begin_of(o)) / m_slot;  // slots into the instant
    if (inside > o.slots) {
        p.time = static_cast<Tick>(std::llround(position - m_slot * (o.slots_before + o.slots)));
        return p;
    }
    p.time = o.time;
    if (m_shared != nullptr) return p;  // the shared table knows no steps
    p.in_step = true;
    // The last step of the instant whose slots begin at or before that point.
    const double slots = o.slots_before + inside;
    std::uint64_t lo = o.first_step, hi = o.end_step;
    while (hi - lo > 1) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if (m_instants->slots_before_event(m_instants->first_event_of_step(mid)) <= slots) lo = mid;
        else hi = mid;
    }
    p.step = lo;
    return p;
}

// ---------------------------------------------------------------- TimeView

void TimeView::set_pixels(float x0, float width) {
    m_x0 = x0;
    m_width = std::max(1.0f, width);
}

void TimeView::fit(double lo, double hi) {
    if (!(hi > lo)) hi = lo + 1;
    const double margin = (hi - lo) * 0.02;
    set_range(lo - margin, hi + margin);
}

void TimeView::set_range(double lo, double hi) {
    if (!(hi > lo)) hi = lo + 1e-9;
    m_begin = lo;
    m_end = hi;
}

void TimeView::zoom(double factor, float anchor_x) {
    factor = std::clamp(factor, 1e-3, 1e3);
    const double anchor = to_position(anchor_x);
    double span = (m_end - m_begin) * factor;
    span = std::clamp(span, 1e-3, 1e18);
    const double t = (static_cast<double>(anchor_x) - static_cast<double>(m_x0)) / static_cast<double>(m_width);
    m_begin = anchor - span * t;
    m_end = m_begin + span;
}

void TimeView::pan_pixels(float dx) {
    const double d = static_cast<double>(dx) * units_per_pixel();
    m_begin -= d;
    m_end -= d;
}

float TimeView::to_x(double position) const {
    return m_x0 + static_cast<float>((position - m_begin) / (m_end - m_begin) * static_cast<double>(m_width));
}

double TimeView::to_position(float x) const {
    return m_begin + (static_cast<double>(x) - static_cast<double>(m_x0)) / static_cast<double>(m_width) * (m_end - m_begin);
}

double TimeView::tick_step(float min_pixels) const {
    const double min_units = units_per_pixel() * static_cast<double>(std::max(1.0f, min_pixels));
    const double p = std::pow(10.0, std::floor(std::log10(min_units)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (p * m >= min_units) return p * m;
    return p * 10;
}

// ---------------------------------------------------------------- level of detail

namespace {

int state_priority(LaneState s) {
    switch (s) {
        case LaneState::running: return 5;
        case LaneState::blocked: return 4;
        case LaneState::actor_wait: return 3;
        case LaneState::sleeping: return 2;
        case LaneState::suspended: return 1;
        case LaneState::waiting_to_start: return 0;
    }
    return 0;
}

}  // namespace

void lod_spans(const std::vector<Interval>& intervals, const AxisPositions& axis, const TimeView& view, float clip_x0,
               float clip_x1, std::vector<LodSpan>& out) {
    out.clear();
    const std::size_t n = intervals.size();
    if (n == 0 || clip_x1 <= clip_x0) return;
    const double v_lo = view.to_position(clip_x0);
    const double v_hi = view.to_position(clip_x1);
    // First interval ending after the left edge (ends are monotonic: intervals are back to back).
    auto first_ending_after = [&](std::size_t from, double v) {
        std::size_t lo = from, hi = n;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (axis.end(intervals[mid]) <= v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    };
    std::size_t i = first_ending_after(0, v_lo);
    while (i < n) {
        const Interval& iv = intervals[i];
        const double b = axis.begin(iv);
        if (b >= v_hi) break;
        float x0 = std::max(view.to_x(b), clip_x0);
        float x1 = std::min(view.to_x(axis.end(iv)), clip_x1);
        if (x1 - x0 >= 1.0f) {
            if (!out.empty() && out.back().merged == 1 && out.back().state == iv.state &&
                out.back().cancel_pending == iv.cancel_pending && out.back().x1 >= x0 - 0.01f &&
                intervals[out.back().first].reason == iv.reason) {
                out.back().x1 = x1;
                out.back().open = iv.open();
            } else {
                out.push_back(LodSpan{x0, x1, iv.state, iv.cancel_pending, iv.open(), 1, static_cast<std::uint32_t>(i)});
            }
            ++i;
            continue;
        }
        // Sub-pixel: everything ending within this pixel column becomes one span.
        const float col = std::floor(x0);
        const double v_col_end = view.to_position(col + 1.0f);
        std::size_t j = first_ending_after(i, v_col_end);
        if (j == i) j = i + 1;
        // Pick the state that matters most; sample long runs (at most 32 looks).
        const std::size_t count = j - i;
        const std::size_t stride = count > 32 ? count / 32 : 1;
        LaneState best = iv.state;
        bool pending = false;
        for (std::size_t k = i; k < j; k += stride) {
            if (state_priority(intervals[k].state) > state_priority(best)) best = intervals[k].state;
            pending = pending || intervals[k].cancel_pending;
        }
        pending = pending || intervals[j - 1].cancel_pending;
        const float end_x = std::min(std::max(col + 1.0f, view.to_x(axis.end(intervals[j - 1]))), clip_x1);
        const float start_x = std::max(col, clip_x0);
        if (!out.empty() && out.back().merged > 1 && out.back().state == best && out.back().cancel_pending == pending &&
            out.back().x1 >= start_x - 0.01f) {
            out.back().x1 = std::max(out.back().x1, end_x);
            out.back().merged += static_cast<std::uint32_t>(count);
        } else {
            out.push_back(LodSpan{start_x, std::max(end_x, start_x + 1.0f), best, pending, intervals[j - 1].open(),
                                  static_cast<std::uint32_t>(count), static_cast<std::uint32_t>(i)});
        }
        i = j;
    }
}

void lod_marks(const std::vector<Mark>& marks, const AxisPositions& axis, const TimeView& view, float clip_x0,
               float clip_x1, std::vector<LodMark>& out) {
    out.clear();
    const std::size_t n = marks.size();
    if (n == 0 || clip_x1 <= clip_x0) return;
    const double v_lo = view.to_position(clip_x0 - 1.0f);
    const double v_hi = view.to_position(clip_x1 + 1.0f);
    auto first_at_or_after = [&](std::size_t from, double v) {
        std::size_t lo = from, hi = n;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (axis.event(marks[mid].event, marks[mid].time) < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    };
    // The last drawn mark of each kind and its pixel column.
    std::int64_t last_col[k_mark_kind_count];
    std::size_t last_out[k_mark_kind_count];
    for (auto& c : last_col) c = INT64_MIN;
    for (auto& o : last_out) o = 0;
    std::size_t run = 0;
    std::int64_t run_col = INT64_MIN;
    for (std::size_t i = first_at_or_after(0, v_lo); i < n;) {
        const Mark& m = marks[i];
        const double p = axis.event(m.event, m.time);
        if (p > v_hi) break;
        const float x = view.to_x(p);
        const auto col = static_cast<std::int64_t>(std::floor(x));
        const auto k = static_cast<std::size_t>(m.kind);
        if (col == run_col) {
            ++run;
        } else {
            run_col = col;
            run = 1;
        }
        if (last_col[k] == col) {
            ++out[last_out[k]].count;
        } else {
            last_col[k] = col;
            last_out[k] = out.size();
            out.push_back(LodMark{x, static_cast<std::uint32_t>(i), 1});
        }
        ++i;
        if (run > 64) {
            // A crowded column: jump to the next one, counting the skipped marks on the current one.
            const std::size_t j = first_at_or_after(i, view.to_position(static_cast<float>(col) + 1.0f));
            out[last_out[k]].count += static_cast<std::uint32_t>(j - i);
            i = j;
            run = 0;
        }
    }
}

// ---------------------------------------------------------------- arrows

ArrowRoute route_arrow(ArrowKind kind, float x, float y_from, float y_to, float half_bar) {
    float offset = 0;
    switch (kind) {
        case ArrowKind::spawn:
        case ArrowKind::spawn_unstructured: offset = 0; break;
        case ArrowKind::explicit_cancel: offset = 4; break;
        case ArrowKind::propagated: offset = 4; break;
        case ArrowKind::implicit: offset = 8; break;
        case ArrowKind::error_delivered: offset = -4; break;
    }
    ArrowRoute r;
    if (std::fabs(y_to - y_from) < 1.0f) {
        r.points[0] = {x, y_from};
        r.points[1] = {x + 14.0f, y_from};
        r.count = 2;
        return r;
    }
    const float dir = y_to > y_from ? 1.0f : -1.0f;
    const float end_y = y_to - dir * half_bar;
    r.points[0] = {x, y_from};
    r.points[1] = {x + offset, y_from};
    r.points[2] = {x + offset, end_y};
    r.count = 3;
    if (offset == 0) {  // straight down/up
        r.points[1] = r.points[2];
        r.count = 2;
    }
    return r;
}

}  // namespace tasklab::viz
