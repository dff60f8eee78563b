// Attribute access on Python values: getattr and setattr on instances, classes, modules,
// functions, exceptions and the built-in types (their methods are bound built-ins), with
// CPython's AttributeError texts.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Attributes
// =========================================================================================

namespace {
Value bind_method(const Value& fn, const Value& self) {
    auto bm = std::make_shared<BoundMethod>();
    bm->func = fn;
    bm->self = self;
    return Value::of(std::move(bm));
}
}  // namespace

namespace {

/// The attributes every exception has (args, __cause__, …) and those of some classes
/// (StopIteration.value, OSError.errno, ExceptionGroup.exceptions).
std::optional<Res> exception_attr(Machine& vm, const Value& obj, const std::string& name) {
    auto& inst = as<Instance>(obj);
    auto& e = *inst.exc;
    if (name == "args") return Res::of(make_tuple(e.args));
    if (name == "__cause__") return Res::of(e.cause);
    if (name == "__context__") return Res::of(e.context);
    if (name == "__suppress_context__") return Res::of(Value::boolean(e.suppress_context));
    if (name == "__traceback__") return Res::of();
    if (name == "value" && (inst.cls->is_subclass_of(vm.cls("StopIteration").get())))
        return Res::of(e.args.empty() ? Value::none() : e.args[0]);  // StopIteration.value: a generator's return value
    if (e.is_group && name == "exceptions") return Res::of(make_tuple(e.exceptions));
    if (e.is_group && name == "message") return Res::of(make_str(e.group_message));
    if (name == "errno" && inst.cls->is_subclass_of(vm.cls("OSError").get()))
        return Res::of(e.args.size() >= 2 ? e.args[0] : Value::none());
    if (name == "strerror" && inst.cls->is_subclass_of(vm.cls("OSError").get()))
        return Res::of(e.args.size() >= 2 ? e.args[1] : Value::none());
    if (name == "with_traceback" || name == "add_note" || (e.is_group && (name == "split" || name == "subgroup" || name == "derive")))
        return Res::of(vm.builtin("BaseException." + name, obj));
    return std::nullopt;
}

/// An instance's attribute: its own, its class's (methods bound), or an exception's.
Res instance_attr(Machine& vm, const Value& obj, const std::string& name, Span span) {
    auto& inst = as<Instance>(obj);
    if (Value* v = inst.attrs.find(name)) return Res::of(*v);
    if (const Value* v = inst.cls->lookup(name)) {
        if (is_kind(*v, OKind::function)) {
            const auto& f = as<Function>(*v);
            if (f.is_static) return Res::of(*v);
            if (f.is_classmethod) return Res::of(bind_method(*v, Value::of(inst.cls)));
            if (f.is_property) {
                Args none;
                return vm.call(bind_method(*v, obj), none, span);
            }
            return Res::of(bind_method(*v, obj));
        }
        // A method decorated with @contextmanager / @asynccontextmanager binds like a function.
        if (is_kind(*v, OKind::builtin) && as<Builtin>(*v).name.rfind("contextlib._", 0) == 0) return Res::of(bind_method(*v, obj));
        return Res::of(*v);
    }
    if (name == "__class__") return Res::of(Value::of(inst.cls));
    if (name == "__dict__") {
        auto d = std::make_shared<Dict>();
        for (auto& [k, v] : inst.attrs.items) d->entries.emplace_back(make_str(k), v);
        return Res::of(Value::of(d));
    }
    if (inst.exc) {
        if (auto r = exception_attr(vm, obj, name)) return *r;
    }
    return vm.raise_error("AttributeError", "'" + inst.cls->name + "' object has no attribute '" + name + "'");
}

/// A class's attribute: __name__, __mro__, what it or its bases define, or a built-in type's
/// unbound method.
Res class_attr(Machine& vm, const Value& obj, const std::string& name) {
    auto& c = as<Class>(obj);
    if (name == "__name__" || name == "__qualname__") return Res::of(make_str(c.name));
    if (name == "__module__") return Res::of(make_str(c.module));
    if (name == "__mro__") {
        std::vector<Value> xs;
        for (Class* m : c.mro) xs.push_back(Value::of(ClassPtr(std::static_pointer_cast<Class>(obj.obj), m)));
        return Res::of(make_tuple(std::move(xs)));
    }
    if (const Value* v = c.lookup(name)) {
        if (is_kind(*v, OKind::function) && as<Function>(*v).is_classmethod) return Res::of(bind_method(*v, obj));
        return Res::of(*v);
    }
    if (c.builtin != BuiltinType::none_ && c.module == "builtins") {
        // Unbound methods of built-in types (str.upper, dict.fromkeys, …).
        return Res::of(vm.builtin(c.name + "." + name));
    }
    return vm.raise_error("AttributeError", "type object '" + c.name + "' has no attribute '" + name + "'");
}

/// The methods of str, list, tuple, dict and set, bound to `obj`.
Res builtin_type_attr(Machine& vm, const Value& obj, const std::string& name) {
    static const char* const str_methods[] = {"upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
                                              "startswith", "endswith", "find", "rfind", "index", "count", "isdigit", "isalpha",
                                              "isalnum", "isspace", "isupper", "islower", "title", "capitalize", "center", "ljust",
                                              "rjust", "zfill", "format", "splitlines", "encode", "casefold", "swapcase",
                                              "removeprefix", "removesuffix", "partition"};
    static const char* const list_methods[] = {"append", "extend", "insert", "pop", "remove", "index", "count", "sort",
                                               "reverse", "clear", "copy"};
    static const char* const tuple_methods[] = {"index", "count"};
    static const char* const dict_methods[] = {"get", "keys", "values", "items", "pop", "setdefault", "update", "clear",
                                               "copy", "popitem"};
    static const char* const set_methods[] = {"add", "discard", "remove", "pop", "clear", "copy", "update", "union",
                                              "intersection", "difference", "issubset", "issuperset"};
    const char* prefix = "str";
    auto check = [&](auto& names, const char* p) -> bool {
        prefix = p;
        for (const char* n : names)
            if (name == n) return true;
        return false;
    };
    bool found = false;
    switch (obj.obj->okind) {
    case OKind::str: found = check(str_methods, "str"); break;
    case OKind::list: found = check(list_methods, "list"); break;
    case OKind::tuple: found = check(tuple_methods, "tuple"); break;
    case OKind::dict: found = check(dict_methods, "dict"); break;
    default: found = check(set_methods, "set"); break;
    }
    if (found) return Res::of(vm.builtin(std::string(prefix) + "." + name, obj));
    if (name == "__class__") return Res::of(Value::of(vm.type_of(obj)));
    return vm.raise_error("AttributeError", "'" + vm.type_name(obj) + "' object has no attribute '" + name + "'");
}

}  // namespace

Res Machine::get_attr(const Value& obj, const std::string& name, Span span) {
    if (obj.kind != VKind::object) {
        if (obj.kind == VKind::real && name == "is_integer") return Res::of(builtin("float.is_integer", obj));
        if (obj.kind == VKind::real && name == "real") return Res::of(obj);
        if ((obj.kind == VKind::integer || obj.kind == VKind::boolean) && name == "real") return Res::of(obj);
        if (name == "__class__") return Res::of(Value::of(type_of(obj)));
        return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
    }
    switch (obj.obj->okind) {
    case OKind::instance: return instance_attr(*this, obj, name, span);
    case OKind::cls: return class_attr(*this, obj, name);
    case OKind::module: return module_attr(as<Module>(obj), name, span);
    case OKind::bytes: return bytes_attr(obj, name);
    case OKind::str:
    case OKind::list:
    case OKind::tuple:
    case OKind::dict:
    case OKind::set: return builtin_type_attr(*this, obj, name);
    case OKind::function: {
        auto& f = as<Function>(obj);
        if (name == "__name__") return Res::of(make_str(f.name));
        if (name == "__qualname__") return Res::of(make_str(f.qualname));
        if (name == "__module__") return Res::of(make_str("__main__"));
        return raise_error("AttributeError", "'function' object has no attribute '" + name + "'");
    }
    case OKind::bound_method: {
        auto& bm = as<BoundMethod>(obj);
        if (name == "__self__") return Res::of(bm.self);
        if (name == "__func__") return Res::of(bm.func);
        return get_attr(bm.func, name, span);
    }
    case OKind::builtin: {
        auto& b = as<Builtin>(obj);
        if (name == "__name__" || name == "__qualname__") return Res::of(make_str(b.name.substr(b.name.rfind('.') + 1)));
        if (name == "__self__") return Res::of(b.self);
        return raise_error("AttributeError", "'builtin_function_or_method' object has no attribute '" + name + "'");
    }
    case OKind::coroutine: {
        auto& c = as<Coroutine>(obj);
        if (name == "__name__" || name == "__qualname__") return Res::of(make_str(c.name));
        if (name == "close") return Res::of(builtin("coroutine.close", obj));
        if (name == "cr_running") return Res::of(Value::boolean(false));
        return raise_error("AttributeError", "'coroutine' object has no attribute '" + name + "'");
    }
    case OKind::future:
    case OKind::native: {
        if (const Value* set = set_attrs(obj).find(name)) return Res::of(*set);
        bool handled = false;
        Res r = native_attr(obj, name, span, handled);
        if (handled) return r;
        r = native_attr_default(obj, name, handled);
        if (handled) return r;
        return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
    }
    case OKind::range: {
        auto& r = as<Range>(obj);
        if (name == "start") return Res::of(Value::integer(r.start));
        if (name == "stop") return Res::of(Value::integer(r.stop));
        if (name == "step") return Res::of(Value::integer(r.step));
        return raise_error("AttributeError", "'range' object has no attribute '" + name + "'");
    }
    }
    return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

Res Machine::set_attr(const Value& obj, const std::string& name, Value v, Span span) {
    if (is_kind(obj, OKind::instance)) {
        auto& inst = as<Instance>(obj);
        if (inst.exc) {
            auto& e = *inst.exc;
            if (name == "__cause__") {
                e.cause = std::move(v);
                e.suppress_context = true;
                return Res::of();
            }
            if (name == "__context__") {
                e.context = std::move(v);
                return Res::of();
            }
            if (name == "args") {
                std::vector<Value> xs;
                Res r = iterate(v, xs, span);
                if (!r.ok()) return r;
                e.args = std::move(xs);
                return Res::of();
            }
        }
        if (const Value* p = inst.cls->lookup(name); p && is_kind(*p, OKind::function) && as<Function>(*p).is_property)
            return raise_error("AttributeError", "can't set attribute '" + name + "'");
        inst.attrs.set(name, std::move(v));
        inst.recharge();  // a new attribute counts toward the run's memory
        return Res::of();
    }
    if (is_kind(obj, OKind::cls)) {
        as<Class>(obj).attrs.set(name, std::move(v));
        return Res::of();
    }
    if (is_kind(obj, OKind::function)) {
        if (name == "__name__" && is_str(v)) as<Function>(obj).name = as_str(v);
        return Res::of();
    }
    if (is_kind(obj, OKind::module)) {
        as<Module>(obj).attrs.set(name, std::move(v));
        return Res::of();
    }
    if (obj.kind == VKind::object && (obj.obj->okind == OKind::native || obj.obj->okind == OKind::future)) return set_native_attr(obj, name, std::move(v), span);
    return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

}  // namespace tasklab::py
