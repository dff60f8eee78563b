// Swift's printing rules (see format.hpp).
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "engine/interp/swift/bridges.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/text_clip.hpp"
#include "engine/interp/swift/integers.hpp"
#include "scenarios/ast.hpp"

namespace tasklab::interp {

std::string format_double(double d) {
    if (std::isnan(d)) return std::signbit(d) ? "-nan" : "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
    // Shortest round-trip digits, in scientific form, then laid out as the Swift runtime
    // does (SwiftDtoa: exponential when the decimal exponent is below -3 or |d| > 2^53).
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const bool negative = sci[0] == '-';
    if (negative) sci.erase(0, 1);
    const auto e = sci.find('e');
    std::string digits;
    for (std::size_t k = 0; k < e; ++k)
        if (sci[k] != '.') digits += sci[k];
    const int sci_exp = std::atoi(sci.c_str() + e + 1);
    const int exponent = sci_exp + 1;  // value = 0.digits × 10^exponent
    std::string out = negative ? "-" : "";
    if (exponent < -3 || std::fabs(d) > 9007199254740992.0) {
        out += digits[0];
        if (digits.size() > 1) out += "." + digits.substr(1);
        out += 'e';
        int x = exponent - 1;
        out += x < 0 ? '-' : '+';
        if (x < 0) x = -x;
        std::string num = std::to_string(x);
        if (num.size() < 2) num = "0" + num;
        out += num;
        return out;
    }
    const int n = static_cast<int>(digits.size());
    if (exponent <= 0) {
        out += "0.";
        out += std::string(static_cast<std::size_t>(-exponent), '0');
        out += digits;
    } else if (exponent < n) {
        out += digits.substr(0, static_cast<std::size_t>(exponent));
        out += ".";
        out += digits.substr(static_cast<std::size_t>(exponent));
    } else {
        out += digits;
        out += std::string(static_cast<std::size_t>(exponent - n), '0');
        out += ".0";
    }
    return out;
}

std::string clip(std::string s, std::size_t n) { return clip_utf8(std::move(s), n); }

std::string quote_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\0': out += "\\0"; break;
        default: out += c;
        }
    }
    out += '"';
    return out;
}

namespace {

std::string qualified(const std::string& name, Style style) { return style == Style::reflecting ? "main." + name : name; }

std::string enum_case_name(const Value& v) {
    const auto& t = static_cast<const TypeObj&>(*v.ref);
    if (t.decl && v.i >= 0 && static_cast<std::size_t>(v.i) < t.decl->cases.size()) return t.decl->cases[static_cast<std::size_t>(v.i)];
    return "?";
}

std::string describe_inner(const Value& v, Style style);

std::string describe_element(const Value& v, Style style) {
    return describe(v, style == Style::reflecting ? Style::reflecting : Style::debug);
}

/// An Array, a Dictionary or a tuple.
std::string describe_collection(const Value& v, Style style) {
    if (v.kind == Kind::array) {
        std::string out = "[";
        bool first = true;
        for (const auto& x : items(v)) {
            if (!first) out += ", ";
            first = false;
            out += describe_element(x, style);
        }
        return out + "]";
    }
    if (v.kind == Kind::dict) {
        const auto& entries = static_cast<const DictObj&>(*v.ref).entries;
        if (entries.empty()) return "[:]";
        std::string out = "[";
        bool first = true;
        for (const auto& [k, x] : entries) {
            if (!first) out += ", ";
            first = false;
            out += describe_element(k, style) + ": " + describe_element(x, style);
        }
        return out + "]";
    }
    const auto& t = static_cast<const TupleObj&>(*v.ref);
    std::string out = "(";
    for (std::size_t k = 0; k < t.items.size(); ++k) {
        if (k) out += ", ";
        if (k < t.labels.size() && !t.labels[k].empty()) out += t.labels[k] + ": ";
        out += describe_element(t.items[k], style);
    }
    return out + ")";
}

/// An instance of a user type: a class by its name, a struct with its fields.
std::string describe_instance(const Value& v, Style style) {
    const auto& inst = static_cast<const InstanceObj&>(*v.ref);
    if (inst.is_class) return "main." + inst.type->name;
    std::string out = qualified(inst.type->name, style) + "(";
    for (std::size_t k = 0; k < inst.fields.size(); ++k) {
        if (k) out += ", ";
        out += inst.fields[k].first + ": " + describe_element(inst.fields[k].second, style);
    }
    return out + ")";
}

/// A case of a user enum, with its associated values.
std::string describe_enum_case(const Value& v, Style style) {
    std::string name = enum_case_name(v);
    // Associated values print as a tuple of their debug descriptions: `failed(main.E.boom)`.
    if (const Value* payload = enum_payload(v)) {
        const auto& t = static_cast<const TupleObj&>(*payload->ref);
        name += "(";
        for (std::size_t k = 0; k < t.items.size(); ++k) {
            if (k) name += ", ";
            if (k < t.labels.size() && !t.labels[k].empty()) name += t.labels[k] + ": ";
            name += describe(t.items[k], Style::reflecting);
        }
        name += ")";
    }
    // Inside a collection or an Optional Swift prints the qualified name (`[main.E.a]`).
    return style == Style::describing ? name : "main." + static_cast<const TypeObj&>(*v.ref).name + "." + name;
}

std::string describe_inner(const Value& v, Style style) {
    switch (v.kind) {
    case Kind::nil: return "nil";
    case Kind::void_: return "()";
    case Kind::boolean: return v.b ? "true" : "false";
    case Kind::integer: return int_to_text(v);
    case Kind::real: return format_double(v.d);
    case Kind::string: return style == Style::describing ? str(v) : quote_string(str(v));
    case Kind::array:
    case Kind::dict:
    case Kind::tuple: return describe_collection(v, style);
    case Kind::range: {
        const auto& r = static_cast<const RangeObj&>(*v.ref);
        if (r.real) return format_double(r.dlo) + (r.closed ? "..." : "..<") + format_double(r.dhi);
        return std::to_string(r.lo) + (r.closed ? "..." : "..<") + std::to_string(r.hi);
    }
    case Kind::function:
    case Kind::closure:
    case Kind::builtin: return "(Function)";
    case Kind::type: return qualified(static_cast<const TypeObj&>(*v.ref).name, style);
    case Kind::instance: return describe_instance(v, style);
    case Kind::enum_case: return describe_enum_case(v, style);
    case Kind::symbol: return str(v);
    case Kind::cancellation_error: return style == Style::reflecting ? "Swift.CancellationError()" : "CancellationError()";
    case Kind::url_error:
        // Darwin's NSError description (Linux Foundation prints differently; docs/semantics.md).
        return "Error Domain=NSURLErrorDomain Code=" + std::to_string(url_error_code_number(str(v))) + " \"(null)\"";
    case Kind::data: return std::to_string(v.i) + " bytes";
    case Kind::url: return str(v);
    case Kind::url_response: return "<NSHTTPURLResponse>";
    case Kind::url_session: return "<__NSURLSessionLocal>";
    case Kind::duration: return format_double(static_cast<double>(v.i) / 1e9) + " seconds";
    case Kind::dispatch_time: return "DispatchTime(rawValue: " + std::to_string(v.i) + ")";
    case Kind::task: return "Task(#" + std::to_string(v.i) + ")";
    case Kind::group: return "TaskGroup";
    case Kind::queue: return "<OS_dispatch_queue: " + static_cast<const QueueObj&>(*v.ref).label + ">";
    case Kind::work_item: return "Dispatch.DispatchWorkItem";
    case Kind::dispatch_group: return "<OS_dispatch_group>";
    case Kind::semaphore: return "<OS_dispatch_semaphore>";
    case Kind::async_let: return "async let";
    case Kind::continuation:
        return static_cast<const ContinuationObj&>(*v.ref).checked ? "CheckedContinuation(canary: Swift.CheckedContinuationCanary)"
                                                                   : "UnsafeContinuation(context: Swift.UnsafeContinuationContext)";
    case Kind::stream:
        return static_cast<const StreamObj&>(*v.ref).throwing ? "AsyncThrowingStream(context: _Concurrency.AsyncThrowingStream._Context)"
                                                              : "AsyncStream(context: _Concurrency.AsyncStream._Context)";
    case Kind::stream_continuation: return "Continuation(storage: _Concurrency._AsyncStreamCriticalStorage)";
    case Kind::mutex: {
        const auto& m = static_cast<const MutexObj&>(*v.ref);
        return m.is_nslock ? "<NSLock>" : "Mutex(value: " + describe_element(m.value, style) + ")";
    }
    case Kind::result: {
        // Result prints as an enum with a payload: `success(1)`; inside a collection or an
        // Optional with its full type when tasklab knows it (`Swift.Result<Swift.Int, Swift.Error>.success(1)`).
        const auto& r = static_cast<const ResultObj&>(*v.ref);
        std::string out = v.i == 0 ? "success(" : "failure(";
        out += describe_element(r.payload, style) + ")";
        if (style != Style::describing && !r.type_text.empty()) out = r.type_text + "." + out;
        return out;
    }
    }
    return "?";
}

}  // namespace

std::string describe(const Value& v, Style style) {
    if (v.is_nil()) return "nil";
    if (v.opt > 0) {
        Value inner = v;
        --inner.opt;
        return "Optional(" + describe(inner, style == Style::reflecting ? Style::reflecting : Style::debug) + ")";
    }
    return describe_inner(v, style);
}

std::string localized_description(const Value& e) {
    const Value v = e.unwrapped();
    const std::string prefix = "The operation couldn\xE2\x80\x99t be completed. (";
    switch (v.kind) {
    case Kind::url_error:
        // URLSession's own cancellation error carries the localized text "cancelled".
        if (v.i == 1) return "cancelled";
        return prefix + "NSURLErrorDomain error " + std::to_string(url_error_code_number(str(v))) + ".)";
    case Kind::cancellation_error: return prefix + "Swift.CancellationError error 1.)";
    case Kind::enum_case:
        return prefix + "main." + static_cast<const TypeObj&>(*v.ref).name + " error " + std::to_string(v.i) + ".)";
    case Kind::instance: return prefix + "main." + static_cast<const InstanceObj&>(*v.ref).type->name + " error 1.)";
    default: return describe(v);
    }
}

}  // namespace tasklab::interp
