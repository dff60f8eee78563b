// The fold's rules (fold_event), the incremental TaskFold over a trace, and the lane tree.
#include "fold.hpp"

#include <algorithm>

namespace tasklab {

std::string_view lane_state_name(LaneState s) {
    switch (s) {
        case LaneState::waiting_to_start: return "waiting to start";
        case LaneState::running: return "running";
        case LaneState::suspended: return "suspended";
        case LaneState::sleeping: return "sleeping";
        case LaneState::blocked: return "blocked";
        case LaneState::actor_wait: return "waiting for an actor";
    }
    return "?";
}

namespace {

void close_interval(TaskLane& lane, const Event& e) {
    if (lane.intervals.empty() || !lane.intervals.back().open()) return;
    StateInterval& last = lane.intervals.back();
    last.t1 = e.time;
    last.e1 = static_cast<std::uint32_t>(e.index);
}

// Ends the open interval at `e` and begins `next` there (with the lane's cancel flag).
void begin_interval(TaskLane& lane, StateInterval next, const Event& e, FoldKeeps keeps) {
    close_interval(lane, e);
    next.t0 = e.time;
    next.t1 = k_open_time;
    next.e0 = static_cast<std::uint32_t>(e.index);
    next.e1 = k_open_index;
    next.cancel_pending = lane.cancel_pending && !lane.end;
    if (keeps == FoldKeeps::current_interval) lane.intervals.clear();
    lane.intervals.push_back(next);
}

StateInterval state(LaneState s, WaitReason reason, const Event& e, ActorId actor = 0) {
    StateInterval iv;
    iv.state = s;
    iv.reason = reason;
    iv.cause = static_cast<std::uint32_t>(e.index);
    iv.actor = actor;
    return iv;
}

// The same state goes on from `e`, with the lane's cancel flag as it now is.
LaneChange split(TaskLane& lane, const Event& e, FoldKeeps keeps) {
    if (lane.intervals.empty() || !lane.intervals.back().open()) return LaneChange::none;
    const StateInterval current = lane.intervals.back();
    begin_interval(lane, current, e, keeps);
    return LaneChange::began;
}

}  // namespace

LaneChange fold_event(TaskLane& lane, const Event& e, FoldKeeps keeps) {
    switch (e.kind) {
        case EventKind::task_created:
            lane.created_event = static_cast<std::uint32_t>(e.index);
            lane.created_time = e.time;
            begin_interval(lane, state(LaneState::waiting_to_start, WaitReason::forever, e), e, keeps);
            return LaneChange::began;
        case EventKind::task_started:
        case EventKind::task_resumed:
        case EventKind::task_unblocked:
            begin_interval(lane, state(LaneState::running, WaitReason::forever, e), e, keeps);
            return LaneChange::began;
        case EventKind::task_suspended: {
            const auto reason = static_cast<WaitReason>(e.detail);
            const LaneState s = reason == WaitReason::sleep   ? LaneState::sleeping
                                : reason == WaitReason::actor ? LaneState::actor_wait
                                                              : LaneState::suspended;
            begin_interval(lane, state(s, reason, e, reason == WaitReason::actor ? e.related : 0), e, keeps);
            return LaneChange::began;
        }
        case EventKind::actor_waiting: {
            // Woken while another task held its actor, or hopping there: it queues for the
            // actor. A hop records task_suspended (actor) first: that wait simply goes on.
            if (!lane.intervals.empty() && lane.intervals.back().open() &&
                lane.intervals.back().state == LaneState::actor_wait && lane.intervals.back().actor == e.related)
                return LaneChange::none;
            begin_interval(lane, state(LaneState::actor_wait, WaitReason::actor, e, e.related), e, keeps);
            return LaneChange::began;
        }
        case EventKind::task_blocked:  // `related`: the actor it keeps while blocked
            begin_interval(lane, state(LaneState::blocked, WaitReason::forever, e, e.related), e, keeps);
            return LaneChange::began;
        case EventKind::task_finished:
            close_interval(lane, e);
            lane.end = LaneEnd{static_cast<Outcome>(e.detail), static_cast<std::uint32_t>(e.index), e.time};
            lane.cancel_pending = false;
            return LaneChange::ended;
        case EventKind::cancel_requested:
            // From here on the task is "cancelled but still going" (a second request while one
            // is pending changes nothing; a finished task is past caring).
            if (lane.end || lane.cancel_pending) return LaneChange::none;
            lane.cancel_pending = true;
            return split(lane, e, keeps);
        case EventKind::uncancelled:
            // asyncio uncancel() (a timeout or TaskGroup taking its cancel back): with no request
            // left pending the task is no longer "cancel requested, still going".
            if (e.payload != 0 || lane.end || !lane.cancel_pending) return LaneChange::none;
            lane.cancel_pending = false;
            return split(lane, e, keeps);
        default:
            return LaneChange::none;
    }
}

// ---- TaskFold --------------------------------------------------------------------------------

void TaskFold::reset() {
    m_events_read = 0;
    m_lanes.clear();
}

LaneChange TaskFold::read_next(const Trace& trace) {
    const std::uint64_t i = m_events_read++;
    const StoredEvent& s = trace.stored(i);
    if (s.task == 0 || s.task >= trace.tasks().size()) return LaneChange::none;
    if (m_lanes.size() < trace.tasks().size()) m_lanes.resize(trace.tasks().size());
    return fold_event(m_lanes[s.task], trace.at(i), m_keeps);
}

void TaskFold::sync(const Trace& trace) {
    if (trace.size() < m_events_read) reset();
    if (m_lanes.size() < trace.tasks().size()) m_lanes.resize(trace.tasks().size());
    while (m_events_read < trace.size()) read_next(trace);
}

std::span<const StateInterval> TaskFold::intervals_at(TaskId task, std::uint64_t cursor) const {
    if (task >= m_lanes.size()) return {};
    const auto& ivs = m_lanes[task].intervals;
    // Intervals begin at increasing events: those begun before `cursor` are a prefix.
    const auto end = std::partition_point(ivs.begin(), ivs.end(),
                                          [cursor](const StateInterval& iv) { return iv.e0 < cursor; });
    return {ivs.data(), static_cast<std::size_t>(end - ivs.begin())};
}

std::optional<StateInterval> TaskFold::interval_at(TaskId task, std::uint64_t cursor) const {
    if (m_keeps == FoldKeeps::current_interval) return std::nullopt;
    const auto begun = intervals_at(task, cursor);
    if (begun.empty()) return std::nullopt;
    StateInterval iv = begun.back();
    if (!iv.open() && iv.e1 < cursor) return std::nullopt;  // finished by then
    if (!iv.open() && iv.e1 >= cursor) {
        iv.e1 = k_open_index;
        iv.t1 = k_open_time;
    }
    return iv;
}

// ---- LaneTree --------------------------------------------------------------------------------

void LaneTree::reset() {
    m_nodes.clear();
    m_roots.clear();
}

bool LaneTree::sync(const Trace& trace) {
    const auto& tasks = trace.tasks();
    if (tasks.size() < m_nodes.size()) reset();  // a shorter table: a replay or another run
    if (m_nodes.empty() && !tasks.empty()) m_nodes.resize(1);  // index 0 is a placeholder
    const std::size_t seen = m_nodes.size();
    if (tasks.size() <= seen) return false;
    m_nodes.resize(tasks.size());
    for (std::size_t id = seen; id < tasks.size(); ++id) add(tasks[id]);
    return true;
}

void LaneTree::add(const TaskInfo& info) {
    const TaskId id = info.id;
    if (id == 0 || id >= m_nodes.size()) return;
    Node& node = m_nodes[id];
    node.known = true;
    node.thread = info.kind == TaskKind::thread;
    // A structured child sits under its parent, grouped by its scope.
    if (is_structured(info.kind) && info.parent != 0 && info.parent != id && info.parent < m_nodes.size()) {
        node.lane_parent = info.parent;
        auto& groups = m_nodes[info.parent].scoped;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == info.scope; });
        if (it == groups.end()) groups.emplace_back(info.scope, std::vector<TaskId>{id});
        else it->second.push_back(id);
        return;
    }
    // Unstructured work (Task {}, Task.detached, GCD work items, asyncio tasks outside a
    // TaskGroup) has no parent: its creator's cancel does not reach it. It is filed under its
    // creator as spawned work; main (and work whose creator is unknown) is a root.
    node.unstructured = info.kind != TaskKind::main;
    if (info.kind != TaskKind::main && info.creator != 0 && info.creator != id && info.creator < m_nodes.size())
        m_nodes[info.creator].spawned.push_back(id);
    else
        m_roots.push_back(id);
}

std::vector<TimelineLane> LaneTree::depth_first() const {
    const std::size_t n = m_nodes.size();
    std::vector<TimelineLane> out;
    out.reserve(n);
    std::vector<bool> seen(n, false);
    struct Item {
        TaskId task;
        std::uint32_t depth;
    };
    std::vector<Item> stack;
    std::vector<TaskId> children;
    auto walk = [&](TaskId root) {
        stack.push_back({root, 0});
        while (!stack.empty()) {
            const Item it = stack.back();
            stack.pop_back();
            if (seen[it.task]) continue;
            seen[it.task] = true;
            const Node& node = m_nodes[it.task];
            out.push_back({it.task, it.depth, node.unstructured});
            // Pushed in reverse so they pop in order: structured children first (in creation
            // order, whatever their scope), then the unstructured work this task created, at
            // this task's own depth.
            for (auto s = node.spawned.rbegin(); s != node.spawned.rend(); ++s) stack.push_back({*s, it.depth});
            children.clear();
            for (const auto& group : node.scoped) children.insert(children.end(), group.second.begin(), group.second.end());
            if (node.scoped.size() > 1) std::sort(children.begin(), children.end());
            for (auto c = children.rbegin(); c != children.rend(); ++c) stack.push_back({*c, it.depth + 1});
        }
    };
    for (const TaskId r : m_roots) walk(r);
    for (TaskId t = 1; t < n; ++t)  // anything unreachable (a creator cycle): at the end
        if (m_nodes[t].known && !seen[t]) walk(t);
    return out;
}

std::vector<TimelineLane> timeline_lanes(const Trace& trace) {
    LaneTree tree;
    tree.sync(trace);
    return tree.depth_first();
}

}  // namespace tasklab
