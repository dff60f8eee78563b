// The methods and attributes of generators, async generators and iterators (send, throw,
// close, asend, athrow, aclose, __next__, gi_running, …) and the built-ins that make or pull
// iterators (next, iter, anext, aiter, and enumerate/zip/map/filter over an iterator), as
// tables of name → handler.
#include "engine/interp/python/builtin_table.hpp"
#include "engine/interp/python/generators.hpp"

namespace tasklab::py {

Res Machine::generator_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto& n = static_cast<const NativeObj&>(*obj.obj);
    if (n.nkind == NKind::seq_iter) {
        if (name == "__next__" || name == "__iter__") return Res::of(builtin("generator." + name, obj));
        if (name == "__repr__") return Res::of(make_str("<list_iterator object at " + hex_address(static_cast<const SeqIter&>(n).serial) + ">"));
        handled = false;
        return Res::of();
    }
    auto& g = gen_of(obj);
    if (name == "__repr__")
        return Res::of(make_str(std::string(g.is_async ? "<async_generator object " : "<generator object ") + g.qualname + " at " +
                                hex_address(g.serial) + ">"));
    if (name == "__name__") return Res::of(make_str(g.name));
    if (name == "__qualname__") return Res::of(make_str(g.qualname));
    if (!g.is_async) {
        if (name == "gi_running") return Res::of(Value::boolean(g.state == GenState::running));
        if (name == "gi_suspended") return Res::of(Value::boolean(g.state == GenState::suspended));
        for (const char* m : {"send", "throw", "close", "__next__", "__iter__"})
            if (name == m) return Res::of(builtin("generator." + name, obj));
    } else {
        if (name == "ag_running") return Res::of(Value::boolean(g.state == GenState::running));
        for (const char* m : {"asend", "athrow", "aclose", "__anext__", "__aiter__"})
            if (name == m) return Res::of(builtin("generator." + name, obj));
    }
    (void)span;
    handled = false;
    return Res::of();
}

namespace {

// ---- the built-ins ----

Res gen_next(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (args.pos.empty() || args.pos.size() > 2) return vm.raise_error("TypeError", "next expected at least 1 argument, got " + std::to_string(args.pos.size()));
    const Value it = args.pos[0];
    if (!vm.is_lazy_iterator(it) && !is_kind(it, OKind::instance))
        return vm.raise_error("TypeError", "'" + vm.type_name(it) + "' object is not an iterator");
    if (vm.is_generator(it)) {
        Res r = gen_send(vm, gen_of(it), Res::of(), bc.span);
        if (args.pos.size() == 2 && r.ctl == Ctl::raise && vm.isinstance(r.value, vm.cls("StopIteration").get())) return Res::of(args.pos[1]);
        return r;
    }
    bool done = false;
    Res r = vm.next_item(it, done, bc.span);
    if (!r.ok()) return r;
    if (done) {
        if (args.pos.size() == 2) return Res::of(args.pos[1]);
        return Res::raised(vm.new_exception(vm.cls("StopIteration"), {}));
    }
    return r;
}

/// enumerate, zip, map and filter, reached only when an argument is a generator or an
/// iterator (builtin_functions.cpp keeps the list-returning forms for the rest).
Res gen_lazy_adapter(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    auto si = std::make_shared<SeqIter>();
    si->cls = vm.cls("list_iterator");
    si->serial = ++vm.m_generator_serial;
    std::size_t first = 0;
    if (name == "enumerate") {
        si->mode = SeqIter::Mode::enumerate;
        if (args.pos.empty()) return vm.raise_error("TypeError", "enumerate() missing required argument 'iterable' (pos 1)");
        if (args.pos.size() > 1) si->count = args.pos[1].kind == VKind::integer ? args.pos[1].i : 0;
        if (const Value* s = args.kwarg("start"); s && s->kind == VKind::integer) si->count = s->i;
        args.pos.resize(1);
    } else if (name == "zip") {
        si->mode = SeqIter::Mode::zip;
    } else {
        if (args.pos.size() != 2) return vm.raise_error("TypeError", name + "() must have at least two arguments.");
        si->mode = name == "map" ? SeqIter::Mode::map : SeqIter::Mode::filter;
        si->fn = args.pos[0];
        first = 1;
    }
    for (std::size_t k = first; k < args.pos.size(); ++k) {
        Args one;
        one.pos.push_back(args.pos[k]);
        Res it = vm.generator_call("iter", Value::none(), one, bc.span, bc.handled);
        if (!it.ok()) return it;
        si->sources.push_back(it.value);
    }
    return Res::of(Value::of(std::move(si)));
}

Res gen_iter(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (args.pos.size() != 1) return vm.raise_error("TypeError", "iter expected 1 argument, got " + std::to_string(args.pos.size()));
    const Value& v = args.pos[0];
    if (vm.is_lazy_iterator(v)) return Res::of(v);
    if (is_kind(v, OKind::instance)) {
        Args none;
        Res r = vm.call_method(v, "__iter__", none, bc.span);
        if (r.ctl == Ctl::raise && vm.isinstance(r.value, vm.cls("AttributeError").get()))
            return vm.raise_error("TypeError", "'" + vm.type_name(v) + "' object is not iterable");
        return r;
    }
    auto si = std::make_shared<SeqIter>();
    si->cls = vm.cls("list_iterator");
    si->serial = ++vm.m_generator_serial;
    Res seq = vm.iterate(v, si->items, bc.span);
    if (!seq.ok()) return seq;
    return Res::of(Value::of(std::move(si)));
}

Res gen_anext_aiter(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    if (args.pos.empty() || args.pos.size() > (name == "anext" ? 2u : 1u))
        return vm.raise_error("TypeError", name + " expected 1 argument, got " + std::to_string(args.pos.size()));
    const Value g = args.pos[0];
    if (!vm.is_async_generator(g)) {
        Args none;
        return vm.call_method(g, name == "anext" ? "__anext__" : "__aiter__", none, span);
    }
    if (name == "aiter") return Res::of(g);
    if (args.pos.size() == 1) return vm.generator_call("generator.__anext__", g, args, span, bc.handled);
    const Value dflt = args.pos[1];
    return Res::of(vm.make_native_coroutine("anext", [&vm, g, dflt, span]() -> Flow<Res> {
        return [](Machine* m, Value g2, Value d, Span s) -> Flow<Res> {
            Res r = co_await m->agen_method_co(g2, "anext", Value::none(), s);
            if (r.ctl == Ctl::raise && m->isinstance(r.value, m->cls("StopAsyncIteration").get())) co_return Res::of(d);
            co_return r;
        }(&vm, g, dflt, span);
    }));
}

const BuiltinTable& iteration_table() {
    static const BuiltinTable table{
        {"next", gen_next},
        {"enumerate", gen_lazy_adapter},
        {"zip", gen_lazy_adapter},
        {"map", gen_lazy_adapter},
        {"filter", gen_lazy_adapter},
        {"iter", gen_iter},
        {"anext", gen_anext_aiter},
        {"aiter", gen_anext_aiter},
    };
    return table;
}

// ---- a generator's methods (bc.name is the method) ----

Res gen_self(Machine& /*vm*/, BuiltinCall& bc) { return Res::of(bc.self); }

Res gen_method_next(Machine& vm, BuiltinCall& bc) { return gen_send(vm, gen_of(bc.self), Res::of(), bc.span); }

Res gen_method_send(Machine& vm, BuiltinCall& bc) {
    const auto& pos = bc.args.pos;
    if (pos.size() != 1) return vm.raise_error("TypeError", "generator.send() takes exactly one argument (" + std::to_string(pos.size()) + " given)");
    return gen_send(vm, gen_of(bc.self), Res::of(pos[0]), bc.span);
}

Res gen_method_throw(Machine& vm, BuiltinCall& bc) {
    Res e = thrown_exception(vm, bc.args, bc.span);
    if (!e.ok()) return e;
    return gen_send(vm, gen_of(bc.self), Res::raised(e.value), bc.span);
}

Res gen_method_close(Machine& vm, BuiltinCall& bc) { return gen_close(vm, gen_of(bc.self), bc.span); }

/// The async generator's methods return awaitables.
Res gen_method_async(Machine& vm, BuiltinCall& bc) {
    const std::string& method = bc.name;
    Value arg = Value::none();
    if (method == "asend") {
        if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", "asend() takes exactly one argument (" + std::to_string(bc.args.pos.size()) + " given)");
        arg = bc.args.pos[0];
    } else if (method == "athrow") {
        Res e = thrown_exception(vm, bc.args, bc.span);
        if (!e.ok()) return e;
        arg = e.value;
    }
    const std::string verb = method == "__anext__" || method == "asend" ? "anext" : method;
    const Value gv = bc.self;
    const Span span = bc.span;
    return Res::of(vm.make_native_coroutine(gen_of(bc.self).qualname + "." + method, [&vm, gv, verb, arg, span]() {
        return vm.agen_method_co(gv, verb, arg, span);
    }));
}

const BuiltinTable& generator_methods_table() {
    static const BuiltinTable table{
        {"__iter__", gen_self},
        {"__aiter__", gen_self},
        {"__next__", gen_method_next},
        {"send", gen_method_send},
        {"throw", gen_method_throw},
        {"close", gen_method_close},
        {"asend", gen_method_async},
        {"athrow", gen_method_async},
        {"__anext__", gen_method_async},
        {"aclose", gen_method_async},
    };
    return table;
}

/// An iterator's __iter__ and __next__.
Res seq_iter_method(Machine& vm, const std::string& method, const Value& self, Span span) {
    if (method == "__iter__") return Res::of(self);
    bool done = false;
    Res r = vm.next_item(self, done, span);
    if (!r.ok()) return r;
    if (done) return Res::raised(vm.new_exception(vm.cls("StopIteration"), {}));
    return r;
}

}  // namespace

Res Machine::generator_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (const BuiltinHandler h = iteration_table().find(name)) {
        BuiltinCall bc{name, self, args, span, handled};
        return h(*this, bc);
    }
    const std::string method = name.substr(name.find('.') + 1);
    if (is_kind(self, OKind::native) && as<NativeObj>(self).nkind == NKind::seq_iter) return seq_iter_method(*this, method, self, span);
    if (!is_generator(self)) {
        handled = false;
        return Res::of();
    }
    BuiltinCall bc{method, self, args, span, handled};
    if (const BuiltinHandler h = generator_methods_table().find(method)) return h(*this, bc);
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
