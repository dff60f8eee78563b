// The `logging` module: basicConfig, getLogger and a Logger's methods as a table of
// name → handler. Records are formatted with the format basicConfig sets (%(name)s-style
// fields) and printed only when the scenario logs to stdout; stderr is not part of the
// compared output.
#include <cmath>
#include <cstdio>

#include "engine/interp/python/builtin_table.hpp"
#include "engine/interp/python/native_objects.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }
bool is_intlike(const Value& v) { return v.kind == VKind::integer || v.kind == VKind::boolean; }

const char* level_name(int level) {
    switch (level) {
    case 10: return "DEBUG";
    case 20: return "INFO";
    case 30: return "WARNING";
    case 40: return "ERROR";
    case 50: return "CRITICAL";
    default: return "NOTSET";
    }
}

/// The logger getLogger(name) returns: the same object for the same name.
Value get_logger(Machine& vm, const std::string& lname) {
    Machine::Logging& lg = *vm.m_logging;
    auto it = lg.loggers.find(lname);
    if (it != lg.loggers.end()) return it->second;
    auto l = std::make_shared<LoggerObj>();
    l->cls = vm.cls("logging.Logger");
    l->name = lname;
    Value v = Value::of(l);
    lg.loggers[lname] = v;
    return v;
}

/// The logger a record goes to: the receiver, or the root logger for the module's functions.
std::string logger_name(const Value& self) {
    if (is_kind(self, OKind::native) && as<NativeObj>(self).nkind == NKind::logger) return static_cast<const LoggerObj&>(*self.obj).name;
    return "root";
}

/// The level of the logger `lname`: its own, else its nearest ancestor's, else the root's.
int effective_level(const Machine::Logging& lg, const std::string& lname) {
    std::string n = lname;
    while (n != "root") {
        auto it = lg.levels.find(n);
        if (it != lg.levels.end() && it->second != 0) return it->second;
        const auto dot = n.rfind('.');
        if (dot == std::string::npos) break;
        n = n.substr(0, dot);
    }
    return lg.root_level;
}

Res log_basic_config(Machine& vm, BuiltinCall& bc) {
    Machine::Logging& lg = *vm.m_logging;
    if (lg.configured) return Res::of();  // basicConfig does nothing once the root has a handler
    lg.configured = true;
    for (auto& [k, v] : bc.args.kw) {
        if (k == "format" && is_str(v)) lg.format = as_str(v);
        else if (k == "level" && is_intlike(v)) lg.root_level = static_cast<int>(int_of(v));
        else if (k == "level" && is_str(v)) {
            static const std::pair<const char*, int> names[] = {{"DEBUG", 10}, {"INFO", 20}, {"WARNING", 30}, {"ERROR", 40}, {"CRITICAL", 50}};
            for (const auto& [n, l] : names)
                if (as_str(v) == n) lg.root_level = l;
        } else if (k == "stream") {
            lg.to_stdout = is_kind(v, OKind::native) && as<NativeObj>(v).nkind == NKind::stream && static_cast<const StreamObj&>(*v.obj).is_stdout;
        } else if (k == "datefmt" || k == "style" || k == "force" || k == "handlers" || k == "filename") {
            if (k == "filename") return vm.fail(DiagnosticKind::unknown_member, bc.span, "tasklab cannot log to a file");
        }
    }
    return Res::of();
}

Res log_get_logger(Machine& vm, BuiltinCall& bc) {
    std::string lname = "root";
    if (!bc.args.pos.empty() && is_str(bc.args.pos[0])) lname = as_str(bc.args.pos[0]);
    return Res::of(get_logger(vm, lname));
}

Res log_set_level(Machine& vm, BuiltinCall& bc) {
    Machine::Logging& lg = *vm.m_logging;
    const std::string lname = logger_name(bc.self);
    if (bc.args.pos.empty()) return vm.raise_error("TypeError", "setLevel() missing 1 required positional argument: 'level'");
    int level = is_intlike(bc.args.pos[0]) ? static_cast<int>(int_of(bc.args.pos[0])) : 0;
    if (lname == "root") lg.root_level = level;
    else lg.levels[lname] = level;
    return Res::of();
}

Res log_is_enabled_for(Machine& vm, BuiltinCall& bc) {
    const auto& pos = bc.args.pos;
    return Res::of(Value::boolean(!pos.empty() && int_of(pos[0]) >= effective_level(*vm.m_logging, logger_name(bc.self))));
}

Res log_get_effective_level(Machine& vm, BuiltinCall& bc) {
    return Res::of(Value::integer(effective_level(*vm.m_logging, logger_name(bc.self))));
}

/// A record's fields, by the names a format string uses.
std::shared_ptr<Dict> record_fields(Machine& vm, int level, const std::string& lname, const std::string& message) {
    auto d = std::make_shared<Dict>();
    dict_set(*d, make_str("levelname"), make_str(level_name(level)));
    dict_set(*d, make_str("levelno"), Value::integer(level));
    dict_set(*d, make_str("name"), make_str(lname));
    dict_set(*d, make_str("message"), make_str(message));
    dict_set(*d, make_str("msg"), make_str(message));
    const double secs = static_cast<double>(vm.m_sched.now()) / 1e9;
    dict_set(*d, make_str("created"), Value::real(secs));
    dict_set(*d, make_str("relativeCreated"), Value::real(secs * 1000));
    dict_set(*d, make_str("msecs"), Value::real(std::fmod(secs, 1.0) * 1000));
    {
        const auto total = static_cast<std::int64_t>(secs);
        char buf[64];
        std::snprintf(buf, sizeof buf, "1970-01-01 %02lld:%02lld:%02lld,%03lld", static_cast<long long>(total / 3600 % 24),
                      static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60),
                      static_cast<long long>(vm.m_sched.now() / 1'000'000 % 1000));
        dict_set(*d, make_str("asctime"), make_str(buf));
    }
    dict_set(*d, make_str("threadName"), make_str("MainThread"));
    dict_set(*d, make_str("processName"), make_str("MainProcess"));
    dict_set(*d, make_str("funcName"), make_str("?"));
    dict_set(*d, make_str("module"), make_str("__main__"));
    dict_set(*d, make_str("filename"), make_str(vm.m_program.file ? vm.m_program.file->name() : "scenario.py"));
    return d;
}

/// Prints a record with the configured format: "%(key)<flags><width>s" fields.
Res print_record(Machine& vm, const std::shared_ptr<Dict>& d, Span span) {
    const Machine::Logging& lg = *vm.m_logging;
    std::string out;
    const std::string& f = lg.format;
    for (std::size_t k = 0; k < f.size(); ++k) {
        if (f[k] == '%' && k + 1 < f.size() && f[k + 1] == '%') {
            out += '%';
            ++k;
            continue;
        }
        if (f[k] != '%' || k + 1 >= f.size() || f[k + 1] != '(') {
            out += f[k];
            continue;
        }
        const auto close = f.find(')', k);
        if (close == std::string::npos) break;
        const std::string key = f.substr(k + 2, close - k - 2);
        std::size_t j = close + 1;
        std::string spec;
        while (j < f.size() && std::string("0123456789.-+ #").find(f[j]) != std::string::npos) spec += f[j++];
        if (j >= f.size()) break;
        const char type = f[j];
        k = j;
        Value* v = dict_find(*d, make_str(key));
        if (!v) return Res::raised(vm.new_exception(vm.cls("KeyError"), {make_str(key)}));
        std::string piece;
        if (type == 'd' || type == 'f') {
            Res p = vm.format_value(type == 'd' ? Value::integer(static_cast<std::int64_t>(v->as_double())) : *v,
                                 (spec.size() && spec[0] == '-' ? "<" + spec.substr(1) : spec) + (type == 'f' ? "f" : ""), span);
            if (!p.ok()) return p;
            piece = as_str(p.value);
        } else {
            Res s = type == 'r' ? vm.py_repr(*v) : vm.py_str(*v);
            if (!s.ok()) return s;
            piece = as_str(s.value);
            if (!spec.empty()) {
                Res p = vm.format_value(make_str(piece), spec[0] == '-' ? "<" + spec.substr(1) : ">" + spec, span);
                if (!p.ok()) return p;
                piece = as_str(p.value);
            }
        }
        out += piece;
    }
    vm.print_text(out + "\n");
    return Res::of();
}

/// A record at `level` on the logger bc.self (the root logger for the module's functions).
Res log_record(Machine& vm, BuiltinCall& bc, int level) {
    Machine::Logging& lg = *vm.m_logging;
    Args& args = bc.args;
    const std::string lname = logger_name(bc.self);
    if (args.pos.empty()) return vm.raise_error("TypeError", bc.name + "() missing 1 required positional argument: 'msg'");
    // The module-level functions configure the root logger first (stderr) when nobody did.
    if (lname == "root" && !lg.configured) lg.configured = true;
    if (level < effective_level(lg, lname)) return Res::of();
    Res msg = vm.py_str(args.pos[0]);
    if (!msg.ok()) return msg;
    std::string message = as_str(msg.value);
    if (args.pos.size() > 1) {
        std::vector<Value> rest(args.pos.begin() + 1, args.pos.end());
        Res m = vm.arith(BinaryOp::mod, msg.value, rest.size() == 1 ? rest[0] : make_tuple(rest), bc.span);
        if (!m.ok()) return m;
        message = as_str(m.value);
    }
    if (!lg.configured || !lg.to_stdout) return Res::of();  // stderr: not part of the compared output
    return print_record(vm, record_fields(vm, level, lname, message), bc.span);
}

Res log_debug(Machine& vm, BuiltinCall& bc) { return log_record(vm, bc, 10); }
Res log_info(Machine& vm, BuiltinCall& bc) { return log_record(vm, bc, 20); }
Res log_warning(Machine& vm, BuiltinCall& bc) { return log_record(vm, bc, 30); }
Res log_error(Machine& vm, BuiltinCall& bc) { return log_record(vm, bc, 40); }
Res log_critical(Machine& vm, BuiltinCall& bc) { return log_record(vm, bc, 50); }

Res log_log(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (args.pos.empty()) return vm.raise_error("TypeError", "log() missing 1 required positional argument: 'level'");
    const int level = static_cast<int>(int_of(args.pos[0]));
    args.pos.erase(args.pos.begin());
    return log_record(vm, bc, level);
}

const BuiltinTable& logging_table() {
    static const BuiltinTable table{
        {"basicConfig", log_basic_config},
        {"getLogger", log_get_logger},
        {"setLevel", log_set_level},
        {"isEnabledFor", log_is_enabled_for},
        {"getEffectiveLevel", log_get_effective_level},
        {"debug", log_debug},
        {"info", log_info},
        {"warning", log_warning},
        {"warn", log_warning},
        {"error", log_error},
        {"exception", log_error},
        {"critical", log_critical},
        {"fatal", log_critical},
        {"log", log_log},
    };
    return table;
}

}  // namespace

Res Machine::logging_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = logging_table().find(name)) return h(*this, bc);
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
