// The inspector's view of an asyncio task (Controller::inspect, engine/inspection.hpp).
//
// Each task keeps the chain of coroutines it is running (Machine::m_frames): a frame is pushed
// when a coroutine starts running in the task (the task's own, or one it awaits) and popped
// when it returns. Plain `def` calls are not kept: they cannot suspend, so they always end
// within the step that made them and are never live between steps.
//
// Values are rendered as repr() renders them, with the limits of inspect_text.hpp, and
// without running scenario code: a class's own __repr__ is not called (the default
// `<__main__.Name object>` is shown instead), and a container that contains itself prints
// `[...]` / `{...}` as CPython's reprlib guard does.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/interp/inspect_text.hpp"
#include "engine/interp/python/interpreter.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace interp::inspect_limits;

namespace {

std::string int_text(std::int64_t i) { return std::to_string(i); }

class Renderer {
public:
    explicit Renderer(const asyncio::Model& model) : m_model(model) {}

    std::string text(const Value& v) {
        std::string out;
        render(v, 0, out);
        return clip_chars(out, k_value_chars);
    }

    static std::string type_of(const Value& v) {
        switch (v.kind) {
        case VKind::none: return "NoneType";
        case VKind::boolean: return "bool";
        case VKind::integer: return "int";
        case VKind::real: return "float";
        case VKind::object: break;
        }
        switch (v.obj->okind) {
        case OKind::str: return "str";
        case OKind::bytes: return "bytes";
        case OKind::list: return "list";
        case OKind::tuple: return "tuple";
        case OKind::dict: return "dict";
        case OKind::set: return "set";
        case OKind::range: return "range";
        case OKind::function: return "function";
        case OKind::bound_method: return "method";
        case OKind::builtin: return "builtin_function_or_method";
        case OKind::cls: return "type";
        case OKind::instance: return as<Instance>(v).cls ? as<Instance>(v).cls->name : "object";
        case OKind::coroutine: return "coroutine";
        case OKind::future: return as<FutureRef>(v).is_task ? "Task" : "Future";
        case OKind::module: return "module";
        case OKind::native: return as<Native>(v).cls ? as<Native>(v).cls->name : "object";
        }
        return "object";
    }

private:
    void seq(const std::vector<Value>& xs, const char* open, const char* close, bool one_comma, int depth, std::string& out) {
        if (depth >= k_depth && !xs.empty()) {
            out += std::string(open) + k_more + close;
            return;
        }
        out += open;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            if (k) out += ", ";
            if (k == k_elements || full(out)) {
                out += k_more;
                break;
            }
            render(xs[k], depth + 1, out);
        }
        if (one_comma && xs.size() == 1) out += ",";
        out += close;
    }

    void render(const Value& v, int depth, std::string& out) {
        if (full(out)) return;
        switch (v.kind) {
        case VKind::none: out += "None"; return;
        case VKind::boolean: out += v.b ? "True" : "False"; return;
        case VKind::integer: out += int_text(v.i); return;
        case VKind::real: out += float_repr(v.d); return;
        case VKind::object: break;
        }
        const Obj* self = v.obj.get();
        const bool container = self->okind == OKind::list || self->okind == OKind::dict || self->okind == OKind::set ||
                               self->okind == OKind::tuple || self->okind == OKind::instance;
        if (container && std::find(m_active.begin(), m_active.end(), self) != m_active.end()) {
            // reprlib.recursive_repr: a container already being printed further out.
            out += self->okind == OKind::list ? "[...]" : self->okind == OKind::tuple ? "(...)" : "{...}";
            return;
        }
        if (container) m_active.push_back(self);
        render_object(v, depth, out);
        if (container) m_active.pop_back();
    }

    void render_object(const Value& v, int depth, std::string& out) {
        switch (v.obj->okind) {
        case OKind::str: out += str_repr(clip_chars(as<Str>(v).s, k_string_chars)); return;
        case OKind::bytes: out += bytes_repr(as<Bytes>(v).b.substr(0, k_string_chars)); return;
        case OKind::list: seq(as<List>(v).items, "[", "]", false, depth, out); return;
        case OKind::tuple: seq(as<Tuple>(v).items, "(", ")", true, depth, out); return;
        case OKind::set:
            if (as<Set>(v).items.empty()) out += "set()";
            else seq(as<Set>(v).items, "{", "}", false, depth, out);
            return;
        case OKind::dict: {
            const auto& entries = as<Dict>(v).entries;
            if (depth >= k_depth && !entries.empty()) {
                out += std::string("{") + k_more + "}";
                return;
            }
            out += "{";
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
            out += "}";
            return;
        }
        case OKind::range: {
            const auto& r = as<Range>(v);
            out += "range(" + int_text(r.start) + ", " + int_text(r.stop);
            if (r.step != 1) out += ", " + int_text(r.step);
            out += ")";
            return;
        }
        case OKind::function: out += "<function " + as<Function>(v).qualname + ">"; return;
        case OKind::bound_method: {
            const auto& bm = as<BoundMethod>(v);
            out += "<bound method " + (is_kind(bm.func, OKind::function) ? as<Function>(bm.func).qualname : std::string("?")) + " of ";
            render(bm.self, depth + 1, out);
            out += ">";
            return;
        }
        case OKind::builtin: {
            const auto& b = as<Builtin>(v);
            const std::string short_name = b.name.substr(b.name.rfind('.') + 1);
            if (b.self.is_none()) out += "<built-in function " + short_name + ">";
            else out += "<built-in method " + short_name + " of " + type_of(b.self) + " object>";
            return;
        }
        case OKind::cls: {
            const auto& c = as<Class>(v);
            out += "<class '" + (c.module == "builtins" ? c.name : c.module + "." + c.name) + "'>";
            return;
        }
        case OKind::instance: {
            const auto& inst = as<Instance>(v);
            if (inst.exc && !(inst.cls && inst.cls->lookup("__repr__") && is_kind(*inst.cls->lookup("__repr__"), OKind::function))) {
                const ExcData& e = *inst.exc;
                out += inst.cls->name + "(";
                if (e.is_group) {
                    out += str_repr(e.group_message) + ", ";
                    seq(e.exceptions, "[", "]", false, depth, out);
                } else {
                    for (std::size_t k = 0; k < e.args.size(); ++k) {
                        if (k) out += ", ";
                        render(e.args[k], depth + 1, out);
                    }
                }
                out += ")";
                return;
            }
            out += "<" + (inst.cls ? inst.cls->module + "." + inst.cls->name : std::string("object")) + " object>";
            return;
        }
        case OKind::coroutine: out += "<coroutine object " + as<Coroutine>(v).name + ">"; return;
        case OKind::future: {
            const auto& f = as<FutureRef>(v);
            const std::string state = m_model.done(f.id) ? (m_model.cancelled(f.id) ? "cancelled" : "finished") : "pending";
            if (f.is_task) out += "<Task " + state + " name='" + f.name + "'>";
            else out += "<Future " + state + ">";
            return;
        }
        case OKind::module: out += "<module '" + as<Module>(v).name + "'>"; return;
        case OKind::native: {
            const auto& n = as<Native>(v);
            out += "<" + (n.cls ? n.cls->qualified() : std::string("object")) + " object>";
            return;
        }
        }
        out += "<object>";
    }

    const asyncio::Model& m_model;
    std::vector<const Obj*> m_active;  // containers being printed, outermost first
};

/// Module-level names that are not the program's data: functions and classes it defined,
/// modules it imported, and dunder names.
bool is_declaration(const std::string& name, const Value& v) {
    if (name.size() > 4 && name.rfind("__", 0) == 0) return true;
    if (v.kind != VKind::object) return false;
    const OKind k = v.obj->okind;
    return k == OKind::cls || k == OKind::module || (k == OKind::function && as<Function>(v).decl != nullptr);
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

void Machine::store_result(TaskId task, const Res& r) {
    if (task == 0) return;
    if (task >= m_results.size()) m_results.resize(task + 1);
    m_results[task] = r;
}

void Machine::inspect(TaskId task, TaskInspection& out) const {
    if (const asyncio::FutureId f = m_model.future_of(task)) {
        out.cancel_label = "cancelling()";
        out.cancelling = m_model.cancelling(f);
    }
    Renderer render(m_model);

    const bool ran_to_end = out.outcome && (*out.outcome == Outcome::returned || *out.outcome == Outcome::threw ||
                                            *out.outcome == Outcome::cancelled);
    if (ran_to_end && task < m_results.size()) {
        const Res& r = m_results[task];
        if (r.ctl == Ctl::raise) {
            out.result = render.text(r.value);
            out.result_is_error = true;
        } else if (r.ctl == Ctl::fatal) {
            out.result = "runtime error";
            out.result_is_error = true;
        } else if (task != m_module_task) {
            out.result = render.text(r.value);
        }
    }

    if (task >= m_frames.size()) return;
    const std::vector<FrameRecord>& frames = m_frames[task];
    for (std::size_t i = frames.size(); i-- > 0;) {
        const FrameRecord& f = frames[i];
        InspectedScope scope;
        scope.name = f.name ? *f.name + "()" : "<module>";
        scope.span = i + 1 == frames.size() ? (task < m_task_span.size() ? m_task_span[task] : Span{}) : frames[i + 1].call;
        if (f.env) {
            for (const auto& [name, value] : f.env->vars.items) {
                if (f.env->is_module && is_declaration(name, value)) continue;
                scope.variables.push_back(InspectedVariable{name, render.text(value), Renderer::type_of(value)});
            }
        }
        out.scopes.push_back(std::move(scope));
    }
}

void Interpreter::inspect(TaskId task, TaskInspection& out) const { m->inspect(task, out); }

}  // namespace tasklab::py
