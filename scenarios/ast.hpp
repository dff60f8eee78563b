// One AST for both scenario languages (the Swift subset and the Python/asyncio subset).
//
// Nodes are plain structs with a kind tag and a Span into the scenario's SourceFile; the
// interpreter switches on the tag and copies spans into trace events, so the visualizer can
// highlight the running line. Nodes are owned by their Program's arena and referred to by
// raw const pointers that live as long as the Program. Front ends fill the tree; nothing
// here runs or prints.
//
// Language differences that matter for meaning are kept, not normalised away: a Swift
// `catch` and a Python `except` are both Handler entries of a TryStmt, but the interpreter
// knows which language it runs and applies that language's rules.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "source.hpp"

namespace tasklab::ast {

enum class Language : std::uint8_t { swift, python };

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

enum class ExprKind : std::uint8_t {
    int_literal,     ///< 42, 1_000
    double_literal,  ///< 1.5
    string_literal,  ///< "a \(b)" / f"a {b}" / 'a' — parts, some interpolated
    bool_literal,    ///< true / True
    nil_literal,     ///< nil / None
    name,            ///< identifier (also `self`, `Task`, `asyncio`, `_`)
    member,          ///< base.name; base is null for Swift's implicit member `.seconds(1)`
    call,            ///< callee(args) with labels, trailing closures appended as args
    subscript,       ///< base[index]
    unary,           ///< -x, !x, not x
    binary,          ///< x + y, x == y, x ?? y, x and y, x is T, x as? T, x in xs
    compare_chain,   ///< Python `a < f() <= c`: every operand evaluated at most once, left to right
    ternary,         ///< c ? a : b  /  a if c else b
    named,           ///< Python `name := value` (an assignment expression)
    closure,         ///< { params in body } / lambda: expr
    try_,            ///< try / try? / try! expr (Swift only)
    await_,          ///< await expr
    yield_,          ///< Python `yield`, `yield x`, `yield from it` (only inside a def)
    array,           ///< [a, b] / Python list
    dict,            ///< [k: v] / {k: v}
    set,             ///< Python {a, b}
    tuple,           ///< (a, b); also a destructuring target
    starred,         ///< Python `*xs` in a display (`[*a, *b]`) or a target (`first, *rest = xs`)
    range,           ///< a...b / a..<b
    force_unwrap,    ///< x!
    optional_chain,  ///< x?.y — the `?` marker on the base of a member/call chain
    comprehension,   ///< Python [expr for x in xs if cond]
    stmt_expr,       ///< Swift 5.9 `if` / `switch` used as an expression (`let x = if c { 1 } else { 2 }`)
};

struct Expr {
    ExprKind kind;
    Span span;
    /// True when evaluating this expression can suspend the running task (contains an
    /// `await`, or a call the interpreter knows may suspend). Filled by the interpreter's
    /// resolver; front ends leave it false.
    mutable bool may_suspend = false;
    explicit Expr(ExprKind k, Span s) : kind(k), span(s) {}
    Expr(const Expr&) = delete;
    Expr& operator=(const Expr&) = delete;
    virtual ~Expr() = default;
};

struct IntLiteral : Expr {
    std::int64_t value = 0;
    bool above_int_max = false;  ///< a literal past Int.max: `value` is the bit pattern of a UInt64
    IntLiteral(Span s, std::int64_t v) : Expr(ExprKind::int_literal, s), value(v) {}
};

struct DoubleLiteral : Expr {
    double value = 0;
    DoubleLiteral(Span s, double v) : Expr(ExprKind::double_literal, s), value(v) {}
};

/// One piece of a string literal: literal text, or an interpolated expression with an
/// optional Python conversion (`!r`, `!s`) and format spec (`:>10`, `.2f`).
struct StringPart {
    std::string text;        ///< literal text (escapes already decoded), when expr is null
    const Expr* expr = nullptr;
    char conversion = 0;     ///< 'r', 's', 'a' or 0
    std::string format_spec; ///< Python format spec without the ':'
};

struct StringLiteral : Expr {
    std::vector<StringPart> parts;
    bool is_bytes = false;  ///< Python `b"…"`: each byte of `parts[0].text` is one byte (no interpolation)
    StringLiteral(Span s) : Expr(ExprKind::string_literal, s) {}
    [[nodiscard]] bool is_plain() const { return parts.size() <= 1 && (parts.empty() || !parts[0].expr); }
};

struct BoolLiteral : Expr {
    bool value = false;
    BoolLiteral(Span s, bool v) : Expr(ExprKind::bool_literal, s), value(v) {}
};

struct NilLiteral : Expr {
    explicit NilLiteral(Span s) : Expr(ExprKind::nil_literal, s) {}
};

struct Name : Expr {
    std::string name;
    Name(Span s, std::string n) : Expr(ExprKind::name, s), name(std::move(n)) {}
};

struct Member : Expr {
    const Expr* base = nullptr;  ///< null: Swift implicit member (`.seconds(1)`, `.now()`)
    std::string name;
    Span name_span;
    Member(Span s, const Expr* b, std::string n, Span ns) : Expr(ExprKind::member, s), base(b), name(std::move(n)), name_span(ns) {}
};

/// A call argument. `label` is the Swift argument label or Python keyword ("" when
/// positional). Trailing closures are appended with `trailing = true`; the first trailing
/// closure has an empty label, later ones carry theirs (`onCancel:`).
struct Arg {
    std::string label;
    const Expr* value = nullptr;
    Span span;
    bool trailing = false;
};

struct Call : Expr {
    const Expr* callee = nullptr;
    std::vector<Arg> args;
    Call(Span s, const Expr* c) : Expr(ExprKind::call, s), callee(c) {}
};

struct Subscript : Expr {
    const Expr* base = nullptr;
    std::vector<Arg> index;
    Subscript(Span s, const Expr* b) : Expr(ExprKind::subscript, s), base(b) {}
};

enum class UnaryOp : std::uint8_t {
    negate, plus, logical_not, bit_not,
    address_of,  ///< Swift `&x`: an argument passed to an `inout` parameter (written back after the call)
};

struct Unary : Expr {
    UnaryOp op;
    const Expr* operand = nullptr;
    Unary(Span s, UnaryOp o, const Expr* e) : Expr(ExprKind::unary, s), op(o), operand(e) {}
};

enum class BinaryOp : std::uint8_t {
    add, sub, mul, div, floor_div, mod, pow,
    wrapping_add, wrapping_sub, wrapping_mul,       ///< Swift `&+ &- &*`
    bit_and, bit_or, bit_xor,                       ///< `& | ^`
    shift_left, shift_right,                        ///< `<< >>`
    masking_shift_left, masking_shift_right,        ///< Swift `&<< &>>`
    eq, ne, lt, le, gt, ge,
    logical_and, logical_or,
    nil_coalesce,   ///< Swift ??
    is_type,        ///< Swift `x is T`
    cast,           ///< Swift `x as T`
    cast_optional,  ///< Swift `x as? T`
    cast_force,     ///< Swift `x as! T`
    identical,      ///< Python `is` / Swift `===`
    not_identical,  ///< Python `is not` / Swift `!==`
    contains,       ///< Python `in`
    not_contains,   ///< Python `not in`
};

struct Binary : Expr {
    BinaryOp op;
    const Expr* lhs = nullptr;
    const Expr* rhs = nullptr;
    Span op_span;
    Binary(Span s, BinaryOp o, const Expr* l, const Expr* r, Span os) : Expr(ExprKind::binary, s), op(o), lhs(l), rhs(r), op_span(os) {}
};

/// Python `a < b <= c` with an operand that is not a plain name or literal: `links[k]` compares
/// `operands[k]` with `operands[k + 1]` (its lhs and rhs are those operand nodes), and the
/// chain stops at the first false link. Each operand is evaluated once.
struct CompareChain : Expr {
    std::vector<const Expr*> operands;
    std::vector<const Binary*> links;
    CompareChain(Span s) : Expr(ExprKind::compare_chain, s) {}
};

struct Ternary : Expr {
    const Expr* cond = nullptr;
    const Expr* then_expr = nullptr;
    const Expr* else_expr = nullptr;
    Ternary(Span s, const Expr* c, const Expr* t, const Expr* e) : Expr(ExprKind::ternary, s), cond(c), then_expr(t), else_expr(e) {}
};

/// Python `name := value`: binds `name` (in the enclosing function when written inside a
/// comprehension, as CPython does) and gives the value.
struct NamedExpr : Expr {
    const Name* target = nullptr;
    const Expr* value = nullptr;
    NamedExpr(Span s, const Name* t, const Expr* v) : Expr(ExprKind::named, s), target(t), value(v) {}
};

struct Stmt;

/// How a Python parameter takes its argument.
enum class ParamKind : std::uint8_t {
    normal,           ///< by position or by keyword
    positional_only,  ///< before `/`
    keyword_only,     ///< after `*` or `*args`
    var_positional,   ///< `*args`: the remaining positional arguments as a tuple
    var_keyword,      ///< `**kwargs`: the remaining keyword arguments as a dict
};

struct Param {
    std::string label;  ///< Swift external label ("_" for none; same as name if omitted); Python: the name
    std::string name;   ///< internal name
    const Expr* default_value = nullptr;
    Span span;
    std::string type_text;  ///< the type as written (`ns: UInt64`, Python `x: int`); Swift's is applied as a declared type
    bool is_inout = false;  ///< Swift `x: inout T`: the argument `&place` is written back after the call
    bool variadic = false;  ///< Swift `xs: Int...`: the remaining unlabelled arguments as an array
    ParamKind kind = ParamKind::normal;  ///< Python: `/`, `*`, `*args`, `**kwargs`
    /// Swift `line: Int = #line` / `#column`: the default is the caller's line (or column).
    std::string caller_literal;
};

struct Closure : Expr {
    std::vector<Param> params;
    std::vector<std::string> captures;  ///< Swift capture list `[group, weak self]`: names only
    std::vector<const Stmt*> body;
    bool is_async = false;              ///< `{ () async in … }` (also inferred by the interpreter)
    bool throws = false;
    bool main_actor = false;            ///< Swift `{ @MainActor in … }`: runs on the main actor
    /// The body is a single expression whose value is the closure's result (Swift
    /// single-expression closures, Python lambda).
    bool implicit_return = false;
    Closure(Span s) : Expr(ExprKind::closure, s) {}
};

enum class TryKind : std::uint8_t { plain, optional, force };

struct Try : Expr {
    TryKind try_kind = TryKind::plain;
    const Expr* operand = nullptr;
    Try(Span s, TryKind k, const Expr* e) : Expr(ExprKind::try_, s), try_kind(k), operand(e) {}
};

struct Await : Expr {
    const Expr* operand = nullptr;
    Await(Span s, const Expr* e) : Expr(ExprKind::await_, s), operand(e) {}
};

/// Python `yield x` (operand null for a bare `yield`) or `yield from it` (`from` set). The
/// function around it is a generator (FuncDecl::is_generator).
struct Yield : Expr {
    const Expr* operand = nullptr;
    bool from = false;
    Yield(Span s, const Expr* e, bool f) : Expr(ExprKind::yield_, s), operand(e), from(f) {}
};

struct ArrayLiteral : Expr {
    std::vector<const Expr*> elements;
    ArrayLiteral(Span s) : Expr(ExprKind::array, s) {}
};

struct DictLiteral : Expr {
    std::vector<std::pair<const Expr*, const Expr*>> entries;
    DictLiteral(Span s) : Expr(ExprKind::dict, s) {}
};

struct SetLiteral : Expr {
    std::vector<const Expr*> elements;
    SetLiteral(Span s) : Expr(ExprKind::set, s) {}
};

struct TupleExpr : Expr {
    std::vector<const Expr*> elements;
    std::vector<std::string> labels;  ///< Swift tuple labels ("" when none); same length as elements
    TupleExpr(Span s) : Expr(ExprKind::tuple, s) {}
};

struct Starred : Expr {
    const Expr* operand = nullptr;
    Starred(Span s, const Expr* e) : Expr(ExprKind::starred, s), operand(e) {}
};

struct RangeExpr : Expr {
    const Expr* lower = nullptr;
    const Expr* upper = nullptr;
    bool closed = true;  ///< `...` (true) or `..<` (false)
    const Expr* step = nullptr;  ///< Python `a[lo:hi:step]` (null: none written)
    RangeExpr(Span s, const Expr* lo, const Expr* hi, bool c) : Expr(ExprKind::range, s), lower(lo), upper(hi), closed(c) {}
};

struct ForceUnwrap : Expr {
    const Expr* operand = nullptr;
    ForceUnwrap(Span s, const Expr* e) : Expr(ExprKind::force_unwrap, s), operand(e) {}
};

/// `base?` inside a chain: `item?.cancel()` parses as Call(Member(OptionalChain(item), cancel)).
/// If base is nil the whole enclosing chain evaluates to nil.
struct OptionalChain : Expr {
    const Expr* operand = nullptr;
    OptionalChain(Span s, const Expr* e) : Expr(ExprKind::optional_chain, s), operand(e) {}
};

/// Which brackets a Python comprehension was written with.
enum class ComprehensionKind : std::uint8_t {
    list,       ///< [x for x in xs]
    generator,  ///< (x for x in xs), also the sole argument of a call: sum(x for x in xs)
    dict,       ///< {k: v for k, v in pairs}: `key` is set, `element` is the value
    set,        ///< {x for x in xs}
};

/// A further `for target in iterable if cond…` clause of a comprehension.
struct ComprehensionFor {
    const Expr* target = nullptr;
    const Expr* iterable = nullptr;  ///< evaluated in the comprehension's scope, once per outer item
    std::vector<const Expr*> conditions;
    bool is_async = false;  ///< `async for`: the iterable is iterated with __aiter__/__anext__
};

/// Python comprehension: [element for target in iterable if cond …] — the first `for` clause
/// here, the ones after it in `more` (nested loops, left to right).
struct Comprehension : Expr {
    ComprehensionKind comp_kind = ComprehensionKind::list;
    const Expr* key = nullptr;  ///< dict comprehensions only
    const Expr* element = nullptr;
    const Expr* target = nullptr;
    const Expr* iterable = nullptr;
    std::vector<const Expr*> conditions;
    std::vector<ComprehensionFor> more;
    bool is_async = false;  ///< the first clause is `async for`
    Comprehension(Span s) : Expr(ExprKind::comprehension, s) {}
};

struct Stmt;

/// Swift 5.9 `if` or `switch` used as a value: `stmt` is an If or a Switch whose every branch
/// is one expression (or a `throw`, or a nested `if`/`switch` of the same form); the value of
/// the branch taken is the value of the whole.
struct StmtExpr : Expr {
    const Stmt* stmt = nullptr;
    StmtExpr(Span s, const Stmt* st) : Expr(ExprKind::stmt_expr, s), stmt(st) {}
};

// ---------------------------------------------------------------------------------------
// Patterns (Swift `switch` cases, `if case`, `for case`, `catch` clauses)
// ---------------------------------------------------------------------------------------

enum class PatternKind : std::uint8_t {
    wildcard,   ///< `_`
    binding,    ///< `let x` / `var x`, or a bare name inside `let (…)` / `let .ok(…)`
    tuple,      ///< `(p, q)`, elements may carry labels (`(x: 0, y: let y)`)
    enum_case,  ///< `.name`, `.name(p, …)`, `Type.name(…)`; also `.some(p)` / `.none` on Optionals
    optional,   ///< `p?`: matches a non-nil Optional and matches p against what it holds
    is_type,    ///< `is T`
    cast,       ///< `p as T`: the value is a T, and p matches it as a T
    expr,       ///< an expression, matched as Swift's `~=` does (a range holds the value, or `==`)
};

struct Pattern {
    PatternKind kind = PatternKind::wildcard;
    Span span;
    std::string name;                       ///< binding: the name bound; enum_case: the case name
    bool is_var = false;                    ///< binding: written under `var`
    const Expr* type = nullptr;             ///< is_type / cast: the type; enum_case: `Type` of `Type.name` (or null)
    const Expr* expr = nullptr;             ///< expr: the expression; enum_case: `.name`/`Type.name` as an expression
    bool has_payload = false;               ///< enum_case written with `(…)`
    std::vector<const Pattern*> elements;   ///< tuple elements, enum payload patterns, the inner pattern of optional/cast
    std::vector<std::string> labels;        ///< tuple / payload labels ("" when none); same length as elements
    explicit Pattern(PatternKind k, Span s) : kind(k), span(s) {}
    Pattern(const Pattern&) = delete;
    Pattern& operator=(const Pattern&) = delete;
};

/// One item of a `case` or `catch` list: a pattern and its own `where` clause.
struct CaseItem {
    const Pattern* pattern = nullptr;
    const Expr* where = nullptr;
};

// ---------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------

enum class StmtKind : std::uint8_t {
    expr,        ///< an expression evaluated for its effect
    var_decl,    ///< let / var / async let (Swift)
    assign,      ///< target = value, target += value (both languages; Python `x = 1` too)
    if_,         ///< if / else if / else; Python if / elif / else
    guard,       ///< Swift guard … else { … }
    switch_,     ///< Swift switch subject { case …: … default: … }
    while_,
    for_in,      ///< for x in xs; Swift `for try await x in group`
    break_,
    continue_,
    fallthrough, ///< Swift `fallthrough` inside a `switch` case
    return_,
    throw_,      ///< Swift throw e; Python raise e / bare raise
    try_,        ///< Swift do/catch; Python try/except/else/finally (also except*)
    defer,       ///< Swift defer { … }
    func_decl,   ///< func / def / async def
    type_decl,   ///< struct / class / enum
    import,      ///< import / from … import …
    with,        ///< Python with / async with
    pass,        ///< Python pass (and empty statements)
    global,      ///< Python global / nonlocal
    block,       ///< a plain nested block (Swift `do { … }` without catch is a try_ with no handlers)
};

struct Stmt {
    StmtKind kind;
    Span span;
    /// 1-based index into Program::notes of the narration attached to this statement by a
    /// `tasklab: note` directive just above it (0: none).
    std::uint32_t note = 0;
    /// 1-based index into Program::note_ats of the first `tasklab: note-at` attached to this
    /// statement (0: none); further ones follow through NoteAt::next.
    std::uint32_t note_at = 0;
    mutable bool may_suspend = false;  ///< filled by the interpreter's resolver
    /// Swift statement label (`outer: for …`, also on while/repeat/do/if/switch); empty: none.
    std::string label;
    explicit Stmt(StmtKind k, Span s) : kind(k), span(s) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    virtual ~Stmt() = default;
};

using Block = std::vector<const Stmt*>;

struct ExprStmt : Stmt {
    const Expr* expr = nullptr;
    ExprStmt(Span s, const Expr* e) : Stmt(StmtKind::expr, s), expr(e) {}
};

enum class BindingKind : std::uint8_t { let, var, async_let };

struct VarDecl : Stmt {
    BindingKind binding = BindingKind::let;
    /// A Name, a `_` Name, or a TupleExpr of those (`let (data, _) = …`).
    const Expr* target = nullptr;
    std::string type_text;            ///< the annotation as written (parsed and ignored)
    const Expr* init = nullptr;       ///< may be null (`var x: Int`)
    bool is_static = false;           ///< Swift `static var` / `class var`
    bool is_lazy = false;             ///< Swift `lazy var`: `init` runs at the first read
    /// A computed property (`var x: T { … }` or `{ get … set … }`): read runs `getter`, a write
    /// runs `setter` with `setter_param` (`newValue` unless named) bound.
    bool computed = false;
    bool requirement = false;         ///< a protocol's `var x: T { get }`: no storage, no body
    Block getter;
    Block setter;
    std::string setter_param = "newValue";
    /// Property observers of a stored property: `will_set` runs before a write with
    /// `will_set_param` (`newValue`), `did_set` after it with `did_set_param` (`oldValue`).
    Block will_set;
    Block did_set;
    bool has_will_set = false;
    bool has_did_set = false;
    std::string will_set_param = "newValue";
    std::string did_set_param = "oldValue";
    VarDecl(Span s, BindingKind b) : Stmt(StmtKind::var_decl, s), binding(b) {}
};

enum class AssignOp : std::uint8_t {
    set, add, sub, mul, div, mod,
    wrapping_add, wrapping_sub, wrapping_mul,  ///< Swift `&+= &-= &*=`
    bit_and, bit_or, bit_xor, shift_left, shift_right,  ///< `&= |= ^= <<= >>=`
    masking_shift_left, masking_shift_right,  ///< Swift `&<<= &>>=`
};

struct Assign : Stmt {
    AssignOp op = AssignOp::set;
    const Expr* target = nullptr;  ///< Name, Member, Subscript or TupleExpr
    /// Python `a = b = v`: the targets after the first, assigned the same value left to right.
    std::vector<const Expr*> more_targets;
    const Expr* value = nullptr;
    std::string type_text;         ///< Python annotated assignment `x: int = 1`
    Assign(Span s) : Stmt(StmtKind::assign, s) {}
};

/// One condition of an if/guard. Either a boolean expression, or an optional binding
/// `let name = expr` (Swift `if let x = e`, `guard let x = e`, shorthand `if let x`), or a
/// pattern match `case pattern = expr` (`if case .failed(let e) = outcome`; `if let (a, b) = e`
/// is the pattern `let (a, b)?`).
struct Condition {
    const Expr* expr = nullptr;
    bool is_binding = false;
    std::string name;
    Span span;
    const Pattern* pattern = nullptr;  ///< set for `case pattern = expr` (expr is the value matched)
};

struct If : Stmt {
    std::vector<Condition> conditions;
    Block then_body;
    Block else_body;  ///< `else if` / `elif` is a single If statement here
    If(Span s) : Stmt(StmtKind::if_, s) {}
};

struct Guard : Stmt {
    std::vector<Condition> conditions;
    Block else_body;
    Guard(Span s) : Stmt(StmtKind::guard, s) {}
};

struct While : Stmt {
    const Expr* cond = nullptr;       ///< the condition; null when `conditions` is used
    /// Swift `while let x = e, …`: a condition that binds makes the loop keep its conditions
    /// as an if does, bound afresh on every turn (`cond` is then null).
    std::vector<Condition> conditions;
    Block body;
    Block else_body;  ///< Python while … else
    bool repeat = false;  ///< Swift `repeat { body } while cond`: the body runs before the first test
    While(Span s) : Stmt(StmtKind::while_, s) {}
};

struct ForIn : Stmt {
    const Expr* target = nullptr;  ///< Name, `_`, or TupleExpr
    const Expr* iterable = nullptr;
    Block body;
    bool is_await = false;  ///< Swift `for await` / `for try await`; Python `async for`
    bool is_try = false;    ///< Swift `for try await`
    Block else_body;        ///< Python for … else: runs when the loop ends without `break`
    const Pattern* pattern = nullptr;  ///< Swift `for case pattern in xs`: elements that do not match are skipped
    const Expr* where = nullptr;       ///< Swift `for x in xs where cond`
    ForIn(Span s) : Stmt(StmtKind::for_in, s) {}
};

struct Break : Stmt {
    std::string target;  ///< Swift `break outer`: the label of the statement to leave; empty: the innermost
    explicit Break(Span s) : Stmt(StmtKind::break_, s) {}
};

struct Continue : Stmt {
    std::string target;  ///< Swift `continue outer`: the label of the loop to go on with; empty: the innermost
    explicit Continue(Span s) : Stmt(StmtKind::continue_, s) {}
};

struct Fallthrough : Stmt {
    explicit Fallthrough(Span s) : Stmt(StmtKind::fallthrough, s) {}
};

struct Return : Stmt {
    const Expr* value = nullptr;
    Return(Span s, const Expr* v) : Stmt(StmtKind::return_, s), value(v) {}
};

struct Throw : Stmt {
    const Expr* value = nullptr;  ///< null: Python bare `raise` (re-raise the current exception)
    const Expr* cause = nullptr;  ///< Python `raise X from Y`
    Throw(Span s, const Expr* v) : Stmt(StmtKind::throw_, s), value(v) {}
};

/// One `catch` or `except` clause.
struct Handler {
    /// Swift: the type after `is` / `as` (`catch is CancellationError`, `catch let e as URLError`)
    /// or a value pattern (`catch URLError.cancelled`); Python: the exception type expression
    /// (a Name, Member or TupleExpr of them). Null: catches everything.
    const Expr* type = nullptr;
    /// The name bound to the caught error: Swift `let e`, implicitly `error` for a bare `catch`;
    /// Python `as e`. Empty: nothing bound.
    std::string binding;
    const Expr* where = nullptr;  ///< Swift `catch … where cond`
    Block body;
    Span span;
    /// Swift patterns the simple forms above cannot say: several items (`catch A, B`) or enum
    /// payloads (`catch MyError.http(let code) where code > 500`). When set, they decide the
    /// match (type, binding and where are then unused).
    std::vector<CaseItem> items;
};

struct TryStmt : Stmt {
    Block body;
    std::vector<Handler> handlers;
    Block else_body;      ///< Python try … else
    Block finally_body;   ///< Python finally
    bool has_finally = false;
    bool star = false;    ///< Python except*
    TryStmt(Span s) : Stmt(StmtKind::try_, s) {}
};

/// One `case …:` (or `default:`) of a Swift switch.
struct SwitchCase {
    std::vector<CaseItem> items;  ///< empty for `default`
    bool is_default = false;
    Block body;
    Span span;                    ///< `case … :` / `default:`
};

struct Switch : Stmt {
    const Expr* subject = nullptr;
    std::vector<SwitchCase> cases;
    Switch(Span s) : Stmt(StmtKind::switch_, s) {}
};

struct Defer : Stmt {
    Block body;
    Defer(Span s) : Stmt(StmtKind::defer, s) {}
};

/// What a Swift declaration says about actor isolation: nothing (it follows its context),
/// `@MainActor`, or `nonisolated`.
enum class DeclIsolation : std::uint8_t { unspecified, main_actor, nonisolated };

struct FuncDecl : Stmt {
    std::string name;
    Span name_span;
    std::vector<Param> params;
    Block body;
    bool is_async = false;
    bool is_generator = false;       ///< Python: the body contains `yield` (with is_async: an async generator)
    bool throws = false;
    bool is_static = false;          ///< Swift static func / Python @staticmethod
    bool implicit_return = false;    ///< Swift single-expression body
    bool is_init = false;            ///< Swift `init(…)` of a struct/class (name is "init")
    bool failable = false;           ///< Swift `init?(…)`: may `return nil`
    bool is_deinit = false;          ///< Swift `deinit { … }` of a class (name is "deinit")
    bool is_subscript = false;       ///< Swift `subscript(…) -> T { … }` (name is "subscript")
    bool is_mutating = false;        ///< Swift `mutating func`: the receiver is written back after the call
    bool requirement = false;        ///< a protocol's requirement: no body
    std::string return_type_text;    ///< parsed and ignored
    std::vector<std::string> generic_params;  ///< Swift `<T, U: P>`: names the body may use as types (`(Int, T).self`)
    std::vector<const Expr*> decorators;
    DeclIsolation isolation = DeclIsolation::unspecified;  ///< Swift `@MainActor` / `nonisolated`
    FuncDecl(Span s) : Stmt(StmtKind::func_decl, s) {}
};

/// Swift: the type of an `actor` is a reference type whose instance is an actor.
enum class TypeKind : std::uint8_t {
    struct_, class_,
    actor_,      ///< Swift `actor A { … }`: a reference type whose instance is an actor
    enum_,
    protocol_,   ///< Swift `protocol P { requirements }`
    extension_,  ///< Swift `extension T: P { members }`: `name` is the extended type, `bases` the added conformances
    alias_,      ///< Swift `typealias Name = T`: `aliased` names T
};

/// What a Swift enum case declares beyond its name.
struct EnumCaseDecl {
    std::string name;
    Span span;
    const Expr* raw_value = nullptr;           ///< `case a = 1` / `case b = "bee"`; null: implicit
    bool has_payload = false;                  ///< `case failed(Error)` (associated values)
    std::vector<std::string> payload_labels;   ///< one per associated value ("" when unlabelled)
};

struct TypeDecl : Stmt {
    TypeKind type_kind = TypeKind::struct_;
    std::string name;
    Span name_span;
    std::vector<const Expr*> bases;   ///< Swift conformances / Python base classes
    Block members;                    ///< FuncDecl, VarDecl/Assign (stored properties), nested TypeDecl
    std::vector<std::string> cases;   ///< Swift enum case names
    std::vector<EnumCaseDecl> case_decls;  ///< Swift enum cases in full, same order and length as `cases`
    std::vector<const Expr*> decorators;  ///< Python `@dataclass` and the like, as written
    bool is_main = false;             ///< Swift `@main`: its `static func main()` is the program's entry point
    const Expr* aliased = nullptr;    ///< the type a `typealias` names (alias_ only)
    bool main_actor = false;          ///< Swift `@MainActor struct/class`: its members run on the main actor
    TypeDecl(Span s) : Stmt(StmtKind::type_decl, s) {}
};

struct Import : Stmt {
    std::string module;                ///< `asyncio`, `Foundation`, `websockets`
    std::vector<std::string> names;    ///< Python `from module import a, b` (empty for plain import)
    std::vector<std::string> name_aliases;  ///< Python `from m import a as b`: "b" (same length as names; "" when none)
    std::string alias;                 ///< Python `import x as y`
    Import(Span s) : Stmt(StmtKind::import, s) {}
};

struct WithItem {
    const Expr* context = nullptr;
    const Expr* target = nullptr;  ///< `as name` (a Name) or null
};

struct With : Stmt {
    std::vector<WithItem> items;
    Block body;
    bool is_async = false;
    With(Span s) : Stmt(StmtKind::with, s) {}
};

struct Pass : Stmt {
    explicit Pass(Span s) : Stmt(StmtKind::pass, s) {}
};

struct Global : Stmt {
    std::vector<std::string> names;
    bool nonlocal = false;
    Global(Span s) : Stmt(StmtKind::global, s) {}
};

struct BlockStmt : Stmt {
    Block body;
    BlockStmt(Span s) : Stmt(StmtKind::block, s) {}
};

// ---------------------------------------------------------------------------------------
// Directives and the program
// ---------------------------------------------------------------------------------------

/// Virtual time in nanoseconds (the engine's Tick).
using Nanos = std::int64_t;

/// `tasklab: latency URLSession.data 2s` or `… 1s..3s` (a seeded random pick per call).
struct LatencyRule {
    std::string api;       ///< "URLSession.data", "websockets.connect", …
    Nanos min = 0;
    Nanos max = 0;         ///< equal to min for a fixed latency
    Span span;
};

/// `tasklab: signal SIGINT at 5s`
struct SignalRule {
    std::string signal;    ///< "SIGINT", "SIGTERM"
    Nanos at = 0;
    Span span;
};

/// What a `tasklab: note-at <event> <text>` waits for, counted from the moment its statement
/// starts, in the task that runs the statement (docs/language.md).
enum class NoteEvent : std::uint8_t {
    end,       ///< the statement is over: its awaits have completed (or it threw)
    cancel,    ///< a cancel is requested for the task while the statement runs
    observed,  ///< the task notices a cancel while the statement runs
    throw_,    ///< an error is thrown while the statement runs
    finish,    ///< the task finishes (any time after the statement started)
};

/// One `note-at`: its text is Program::notes[note - 1].
struct NoteAt {
    std::uint32_t note = 0;
    NoteEvent at = NoteEvent::end;
    std::uint32_t next = 0;  ///< 1-based index of the statement's next note-at (0: last)
};

struct Program {
    Language language = Language::swift;
    std::shared_ptr<const SourceFile> file;
    Block body;                              ///< top-level statements in order

    // Directives (`// tasklab: …` / `# tasklab: …`), see docs/language.md.
    std::string title;                       ///< `title …`
    std::vector<std::string> notes;          ///< narration texts; Stmt::note indexes them (1-based)
    std::vector<NoteAt> note_ats;            ///< `note-at` notes; Stmt::note_at indexes them (1-based)
    std::vector<std::string> expect;         ///< `expect …`: expected --print-only lines, in order
    std::string expect_error;                ///< `expect-error …`: expected uncaught error text (stderr)
    std::vector<LatencyRule> latencies;
    std::vector<SignalRule> signals;
    std::uint64_t seed = 1;                  ///< `seed N`: for latency ranges
    std::string swift_version;               ///< `swift-version N`: the real compiler's language mode ("" = its default)
    std::uint64_t step_limit = 0;            ///< `limit steps N` (0: engine default)
    Nanos time_limit = 0;                    ///< `limit time 60s` (0: engine default)
    std::uint64_t memory_limit = 0;          ///< `limit memory 256MB`, in bytes (0: engine default)

    /// Allocates a node owned by this program.
    template <class T, class... A>
    T* make(A&&... args) {
        auto node = std::make_unique<T>(std::forward<A>(args)...);
        T* raw = node.get();
        if constexpr (std::is_base_of_v<Expr, T>) m_exprs.push_back(std::move(node));
        else if constexpr (std::is_base_of_v<Pattern, T>) m_patterns.push_back(std::move(node));
        else m_stmts.push_back(std::move(node));
        return raw;
    }
    [[nodiscard]] std::size_t node_count() const { return m_exprs.size() + m_stmts.size() + m_patterns.size(); }

private:
    std::vector<std::unique_ptr<Expr>> m_exprs;
    std::vector<std::unique_ptr<Stmt>> m_stmts;
    std::vector<std::unique_ptr<Pattern>> m_patterns;
};

}  // namespace tasklab::ast
