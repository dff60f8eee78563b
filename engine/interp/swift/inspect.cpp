// The inspector's view of a Swift/GCD task (Controller::inspect, engine/inspection.hpp).
//
// Each task keeps the chain of function frames it is running (Machine::m_frames): a frame is
// pushed when a suspending call starts and popped when it returns, and it notes the innermost
// block Env its statements run in. Only the coroutine path keeps frames: code on the
// synchronous path always finishes within the step that started it, so between steps (where
// the inspector looks) every live frame of a task is a coroutine frame.
//
// Values are rendered as Swift's debug description (strings quoted, `Optional(…)`), with the
// limits of inspect_text.hpp. Class instances print as `main.Name`, as Swift prints them, so
// reference cycles between objects cannot make the text endless.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/inspect_text.hpp"
#include "engine/interp/swift/interpreter.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace inspect_limits;

namespace {

class Renderer {
public:
    explicit Renderer(const std::vector<Res>& results) : m_results(results) {}

    std::string text(const Value& v) {
        std::string out;
        render(v, 0, out);
        return clip_chars(out, k_value_chars);
    }

private:
    void render(const Value& v, int depth, std::string& out) {
        if (full(out)) return;
        if (v.is_nil()) {
            out += "nil";
            return;
        }
        if (v.opt > 0) {
            Value inner = v;
            --inner.opt;
            out += "Optional(";
            render(inner, depth + 1, out);
            out += ")";
            return;
        }
        switch (v.kind) {
        case Kind::string: out += quote_string(clip_chars(str(v), k_string_chars)); return;
        case Kind::array: {
            const auto& xs = static_cast<const ArrayObj&>(*v.ref).items;
            if (depth >= k_depth && !xs.empty()) {
                out += std::string("[") + k_more + "]";
                return;
            }
            out += "[";
            for (std::size_t k = 0; k < xs.size(); ++k) {
                if (k) out += ", ";
                if (k == k_elements || full(out)) {
                    out += k_more;
                    break;
                }
                render(xs[k], depth + 1, out);
            }
            out += "]";
            return;
        }
        case Kind::dict: {
            const auto& entries = static_cast<const DictObj&>(*v.ref).entries;
            if (entries.empty()) {
                out += "[:]";
                return;
            }
            if (depth >= k_depth) {
                out += std::string("[") + k_more + "]";
                return;
            }
            out += "[";
            for (std::size_t k = 0; k < entries.size(); ++k) {
                if (k) out += ", ";
                if (k == k_elements || full(out)) {
                    out += k_more;
                    break;
                }
                render(entries[k].first, depth + 1, out);
                out += ": ";
                render(entries[k].second, depth + 1, out);
            }
            out += "]";
            return;
        }
        case Kind::tuple: {
            const auto& t = static_cast<const TupleObj&>(*v.ref);
            out += "(";
            for (std::size_t k = 0; k < t.items.size(); ++k) {
                if (k) out += ", ";
                if (k < t.labels.size() && !t.labels[k].empty()) out += t.labels[k] + ": ";
                render(t.items[k], depth + 1, out);
            }
            out += ")";
            return;
        }
        case Kind::instance: {
            const auto& inst = static_cast<const InstanceObj&>(*v.ref);
            if (inst.is_class || depth >= k_depth) break;  // Swift prints a class instance as its type
            out += inst.type->name + "(";
            for (std::size_t k = 0; k < inst.fields.size(); ++k) {
                if (k) out += ", ";
                out += inst.fields[k].first + ": ";
                render(inst.fields[k].second, depth + 1, out);
            }
            out += ")";
            return;
        }
        case Kind::async_let: {
            // An `async let` not read yet: its child's value once that has finished.
            const auto* a = dynamic_cast<const AsyncLetObj*>(v.ref.get());
            out += "async let";
            if (a && a->task < m_results.size() && a->index < 0) {
                const Res& r = m_results[a->task];
                if (r.ctl == Ctl::normal && r.value.kind != Kind::nil) {
                    out += " (done: ";
                    render(r.value, depth + 1, out);
                    out += ")";
                }
            }
            return;
        }
        default: break;
        }
        out += describe(v, Style::debug);
    }

    const std::vector<Res>& m_results;
};

/// "downloadImage(id:)", "Worker.run()": the function as Swift names it.
std::string function_name(const FrameRecord& f) {
    if (!f.func) return f.closure ? "closure" : "top level";
    std::string out;
    if (f.owner) out = *f.owner + ".";
    out += f.func->name + "(";
    for (const ast::Param& p : f.func->params) out += (p.label.empty() ? p.name : p.label) + ":";
    return out + ")";
}

/// The Envs of a frame from its innermost block out to its own Env (inclusive).
std::vector<const Env*> frame_envs(const FrameRecord& f) {
    std::vector<const Env*> chain;
    for (const Env* e = f.env.get(); e; e = e->parent.get()) {
        chain.push_back(e);
        if (e == f.base) return chain;
        if (chain.size() > 10'000) break;
    }
    // The innermost Env always lies inside the frame, and its parent chain keeps `base` alive;
    // should that ever not hold, show nothing rather than read a frame that may be gone.
    return {};
}

}  // namespace

void Machine::push_frame(TaskId task, FrameRecord frame) {
    if (task == 0) return;
    if (task >= m_frames.size()) m_frames.resize(task + 1);
    m_frames[task].push_back(std::move(frame));
}

void Machine::pop_frame(TaskId task) {
    if (task < m_frames.size() && !m_frames[task].empty()) m_frames[task].pop_back();
}

void Machine::inspect(TaskId task, TaskInspection& out) const {
    if (const gcd::ItemId item = m_gcd.item_of(task)) {
        out.cancel_label = "item.isCancelled";
        out.is_cancelled = m_gcd.is_cancelled(item);
    } else {
        out.cancel_label = "Task.isCancelled";
        out.is_cancelled = m_swift.is_cancelled(task);
    }
    Renderer render(m_results);

    // A work item's closure returns nothing; an abandoned or skipped task stored no result.
    const bool ran_to_end = out.outcome && (*out.outcome == Outcome::returned || *out.outcome == Outcome::threw ||
                                            *out.outcome == Outcome::cancelled);
    if (ran_to_end && m_gcd.item_of(task) == 0 && task < m_results.size()) {
        const Res& r = m_results[task];
        if (r.ctl == Ctl::throw_) {
            out.result = render.text(r.value);
            out.result_is_error = true;
        } else if (r.ctl == Ctl::fatal) {
            out.result = "runtime error";
            out.result_is_error = true;
        } else if (r.value.kind != Kind::void_) {
            out.result = render.text(r.value);
        }
    }

    if (task >= m_frames.size()) return;
    const std::vector<FrameRecord>& frames = m_frames[task];
    for (std::size_t i = frames.size(); i-- > 0;) {
        const FrameRecord& f = frames[i];
        InspectedScope scope;
        scope.name = function_name(f);
        if (f.closure) scope.name += " @" + std::to_string(m_program.file ? m_program.file->locate(f.closure->span.begin).line : 0);
        scope.span = i + 1 == frames.size() ? (task < m_task_span.size() ? m_task_span[task] : Span{}) : frames[i + 1].call;
        const std::vector<const Env*> envs = frame_envs(f);
        // Inner blocks shadow outer ones; the list reads in declaration order (outer first).
        std::vector<std::string> seen;
        std::vector<std::vector<InspectedVariable>> per_env(envs.size());
        for (std::size_t k = 0; k < envs.size(); ++k) {
            for (const Binding& b : envs[k]->vars) {
                const Kind kind = b.value.unwrapped().kind;
                if (kind == Kind::function || kind == Kind::type) continue;  // declarations, not data
                if (std::find(seen.begin(), seen.end(), b.name) != seen.end()) continue;
                seen.push_back(b.name);
                per_env[k].push_back(InspectedVariable{b.name, render.text(b.value), b.type ? *b.type : type_name(b.value)});
            }
        }
        for (std::size_t k = envs.size(); k-- > 0;)
            for (InspectedVariable& v : per_env[k]) scope.variables.push_back(std::move(v));
        out.scopes.push_back(std::move(scope));
    }
}

void Interpreter::inspect(TaskId task, TaskInspection& out) const { m->inspect(task, out); }

}  // namespace tasklab::interp
