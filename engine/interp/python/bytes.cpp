// Python's bytes, kept small: literals `b"…"`, `bytes(n)`, `bytes([ints])`,
// `bytes(text, encoding)`, `str.encode()` and `bytes.decode()` (UTF-8, ASCII and Latin-1, strict
// errors with CPython's messages), repr, `len`, indexing (an int) and slicing (bytes), iteration
// over ints, `==`, `in`, `+` and `*`, `hex()`, `startswith`/`endswith`. A bytes value is
// hashable, so it can be a dict key or a set member.
#include <cstdio>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

Value make_bytes(std::string b) { return Value::of(std::make_shared<Bytes>(std::move(b))); }

std::string bytes_repr(const std::string& b) {
    const bool has_single = b.find('\'') != std::string::npos;
    const bool has_double = b.find('"') != std::string::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out = "b";
    out += quote;
    for (const unsigned char c : b) {
        if (c == static_cast<unsigned char>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c >= 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += quote;
    return out;
}

namespace {

/// The encoding names tasklab knows, normalised: "utf-8", "ascii", "latin-1"; "" otherwise.
std::string codec(const Value* v) {
    if (!v) return "utf-8";
    std::string n;
    for (const char c : as_str(*v)) n += c == '_' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (n == "utf-8" || n == "utf8") return "utf-8";
    if (n == "ascii" || n == "us-ascii") return "ascii";
    if (n == "latin-1" || n == "latin1" || n == "iso-8859-1") return "latin-1";
    return "";
}

/// The length of the UTF-8 sequence at `k`, or 0 with CPython's reason when it is invalid.
std::size_t utf8_length(const std::string& s, std::size_t k, std::string& reason) {
    const auto c = static_cast<unsigned char>(s[k]);
    std::size_t n = 0;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3;
    else if (c >= 0xF0 && c <= 0xF4) n = 4;
    else {
        reason = "invalid start byte";
        return 0;
    }
    for (std::size_t j = 1; j < n; ++j) {
        if (k + j >= s.size()) {
            reason = "unexpected end of data";
            return 0;
        }
        const auto d = static_cast<unsigned char>(s[k + j]);
        bool ok = (d & 0xC0) == 0x80;
        if (j == 1 && c == 0xE0) ok = d >= 0xA0 && d <= 0xBF;
        if (j == 1 && c == 0xED) ok = d >= 0x80 && d <= 0x9F;
        if (j == 1 && c == 0xF0) ok = d >= 0x90 && d <= 0xBF;
        if (j == 1 && c == 0xF4) ok = d >= 0x80 && d <= 0x8F;
        if (!ok) {
            reason = "invalid continuation byte";
            return 0;
        }
    }
    return n;
}

std::string escaped_char(std::uint32_t cp) {
    char buf[16];
    if (cp < 0x100) std::snprintf(buf, sizeof buf, "'\\x%02x'", static_cast<unsigned>(cp));
    else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "'\\u%04x'", static_cast<unsigned>(cp));
    else std::snprintf(buf, sizeof buf, "'\\U%08x'", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace

Res Machine::str_encode(const std::string& s, Args& args, Span span) {
    return encode_text(s, args.pos.empty() ? args.kwarg("encoding") : &args.pos[0], span);
}

Res Machine::encode_text(const std::string& s, const Value* enc, Span span) {
    if (enc && !is_str(*enc)) return raise_error("TypeError", "encode() argument 'encoding' must be str, not " + type_name(*enc));
    const std::string c = codec(enc);
    if (c.empty()) return fail(DiagnosticKind::unknown_member, span, "tasklab knows the encodings utf-8, ascii and latin-1 only");
    if (c == "utf-8") return Res::of(make_bytes(s));
    const std::uint32_t limit = c == "ascii" ? 0x80 : 0x100;
    std::string out;
    std::size_t position = 0;
    for (std::size_t k = 0; k < s.size(); ++position) {
        std::string reason;
        const std::size_t n = utf8_length(s, k, reason);
        const auto c0 = static_cast<unsigned char>(s[k]);
        std::uint32_t cp = n == 1 ? c0 : n == 2 ? c0 & 0x1F : n == 3 ? c0 & 0x0F : c0 & 0x07;
        for (std::size_t j = 1; j < n; ++j) cp = (cp << 6) | (static_cast<unsigned char>(s[k + j]) & 0x3F);
        if (cp >= limit)
            return raise_error("UnicodeEncodeError", "'" + c + "' codec can't encode character " + escaped_char(cp) + " in position " +
                                                         std::to_string(position) + ": ordinal not in range(" + std::to_string(limit) + ")");
        out += static_cast<char>(cp);
        k += n ? n : 1;
    }
    return Res::of(make_bytes(std::move(out)));
}

Res Machine::bytes_attr(const Value& obj, const std::string& name) {
    for (const char* m : {"decode", "hex", "startswith", "endswith"})
        if (name == m) return Res::of(builtin("bytes." + name, obj));
    if (name == "__class__") return Res::of(Value::of(type_of(obj)));
    return raise_error("AttributeError", "'bytes' object has no attribute '" + name + "'");
}

Res Machine::bytes_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_kind(self, OKind::bytes)) return raise_error("TypeError", "descriptor '" + name + "' requires a 'bytes' object");
    const std::string& b = as<Bytes>(self).b;
    if (name == "decode") {
        const Value* enc = args.pos.empty() ? args.kwarg("encoding") : &args.pos[0];
        if (enc && !is_str(*enc)) return raise_error("TypeError", "decode() argument 'encoding' must be str, not " + type_name(*enc));
        const std::string c = codec(enc);
        if (c.empty()) return fail(DiagnosticKind::unknown_member, span, "tasklab knows the encodings utf-8, ascii and latin-1 only");
        std::string out;
        for (std::size_t k = 0; k < b.size();) {
            const auto c0 = static_cast<unsigned char>(b[k]);
            if (c == "latin-1") {
                if (c0 < 0x80) out += static_cast<char>(c0);
                else {
                    out += static_cast<char>(0xC0 | (c0 >> 6));
                    out += static_cast<char>(0x80 | (c0 & 0x3F));
                }
                ++k;
                continue;
            }
            if (c == "ascii" && c0 >= 0x80) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "0x%02x", c0);
                return raise_error("UnicodeDecodeError",
                                   "'ascii' codec can't decode byte " + std::string(buf) + " in position " + std::to_string(k) + ": ordinal not in range(128)");
            }
            std::string reason;
            const std::size_t n = utf8_length(b, k, reason);
            if (n == 0) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "0x%02x", c0);
                // CPython names a position range when the bytes of a cut-off sequence run to the end.
                std::string where = "byte " + std::string(buf) + " in position " + std::to_string(k);
                if (reason == "unexpected end of data" && b.size() - k > 1)
                    where = "bytes in position " + std::to_string(k) + "-" + std::to_string(b.size() - 1);
                return raise_error("UnicodeDecodeError", "'utf-8' codec can't decode " + where + ": " + reason);
            }
            out.append(b, k, n);
            k += n;
        }
        return Res::of(make_str(std::move(out)));
    }
    if (name == "hex") {
        std::string out;
        char buf[4];
        for (const unsigned char c : b) {
            std::snprintf(buf, sizeof buf, "%02x", c);
            out += buf;
        }
        return Res::of(make_str(std::move(out)));
    }
    if (name == "startswith" || name == "endswith") {
        if (args.pos.size() != 1) return raise_error("TypeError", name + "() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
        std::vector<Value> options;
        if (is_kind(args.pos[0], OKind::tuple)) options = as<Tuple>(args.pos[0]).items;
        else options.push_back(args.pos[0]);
        for (const Value& o : options) {
            if (!is_kind(o, OKind::bytes))
                return raise_error("TypeError", name + " first arg must be bytes or a tuple of bytes, not " + type_name(o));
            const std::string& p = as<Bytes>(o).b;
            const bool hit = p.size() <= b.size() && (name == "startswith" ? b.compare(0, p.size(), p) == 0 : b.compare(b.size() - p.size(), p.size(), p) == 0);
            if (hit) return Res::of(Value::boolean(true));
        }
        return Res::of(Value::boolean(false));
    }
    handled = false;
    return Res::of();
}

Res Machine::bytes_arith(BinaryOp op, const Value& l, const Value& r, Span span) {
    const bool lb = is_kind(l, OKind::bytes), rb = is_kind(r, OKind::bytes);
    if (op == BinaryOp::add) {
        if (lb && rb) {
            const std::string& x = as<Bytes>(l).b;
            const std::string& y = as<Bytes>(r).b;
            if (!reserve_memory(MemoryKind::string, x.size() + y.size(), x.size() + y.size(), span)) return Res::make(Ctl::fatal);
            return Res::of(make_bytes(x + y));
        }
        if (lb) return raise_error("TypeError", "can't concat " + type_name(r) + " to bytes");
        if (is_str(l)) return raise_error("TypeError", "can only concatenate str (not \"bytes\") to str");
    }
    if (op == BinaryOp::mul && (lb != rb)) {
        const Value& n = lb ? r : l;
        const std::string& x = as<Bytes>(lb ? l : r).b;
        if (n.kind == VKind::integer || n.kind == VKind::boolean) {
            const std::int64_t times = n.kind == VKind::boolean ? n.b : n.i;
            if (times <= 0) return Res::of(make_bytes({}));
            const auto total = static_cast<std::uint64_t>(times) * x.size();
            if (!x.empty() && (total / x.size() != static_cast<std::uint64_t>(times) ||
                               !reserve_memory(MemoryKind::string, total, total, span)))
                return Res::make(Ctl::fatal);
            std::string out;
            out.reserve(total);
            for (std::int64_t k = 0; k < times; ++k) out += x;
            return Res::of(make_bytes(std::move(out)));
        }
    }
    const char* sym = op == BinaryOp::add ? "+" : op == BinaryOp::sub ? "-" : op == BinaryOp::mul ? "*" : op == BinaryOp::div ? "/"
                    : op == BinaryOp::floor_div ? "//" : op == BinaryOp::mod ? "%" : "**";
    return raise_error("TypeError", std::string("unsupported operand type(s) for ") + sym + ": '" + type_name(l) + "' and '" + type_name(r) + "'");
}

Res Machine::bytes_contains(const Bytes& b, const Value& item, bool& out) {
    if (item.kind == VKind::integer || item.kind == VKind::boolean) {
        const std::int64_t v = item.kind == VKind::boolean ? item.b : item.i;
        if (v < 0 || v > 255) return raise_error("ValueError", "byte must be in range(0, 256)");
        out = b.b.find(static_cast<char>(v)) != std::string::npos;
        return Res::of();
    }
    if (!is_kind(item, OKind::bytes)) return raise_error("TypeError", "a bytes-like object is required, not '" + type_name(item) + "'");
    out = b.b.find(as<Bytes>(item).b) != std::string::npos;
    return Res::of();
}

Res Machine::bytes_convert(Args& args, Span span) {
    if (args.pos.empty()) return Res::of(make_bytes({}));
    const Value& x = args.pos[0];
    if (is_str(x)) {
        const Value* enc = args.pos.size() > 1 ? &args.pos[1] : args.kwarg("encoding");
        if (!enc) return raise_error("TypeError", "string argument without an encoding");
        return encode_text(as_str(x), enc, span);
    }
    if (x.kind == VKind::integer || x.kind == VKind::boolean) {
        const std::int64_t n = x.kind == VKind::boolean ? x.b : x.i;
        if (n < 0) return raise_error("ValueError", "negative count");
        if (!reserve_memory(MemoryKind::string, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n), span)) return Res::make(Ctl::fatal);
        return Res::of(make_bytes(std::string(static_cast<std::size_t>(n), '\0')));
    }
    if (is_kind(x, OKind::bytes)) return Res::of(x);
    std::vector<Value> xs;
    Res it = iterate(x, xs, span);
    if (!it.ok()) return it;
    std::string out;
    for (const Value& v : xs) {
        if (v.kind != VKind::integer && v.kind != VKind::boolean)
            return raise_error("TypeError", "'" + type_name(v) + "' object cannot be interpreted as an integer");
        const std::int64_t c = v.kind == VKind::boolean ? v.b : v.i;
        if (c < 0 || c > 255) return raise_error("ValueError", "bytes must be in range(0, 256)");
        out += static_cast<char>(c);
    }
    return Res::of(make_bytes(std::move(out)));
}

}  // namespace tasklab::py
