// The Trace Event Format export (viz/text/perfetto.hpp), checked against the format's
// rules on every bundled scenario: strict JSON, integer timestamps, slices that nest on every
// lane, well-formed flows, every task named and sorted in tree order, byte-identical output.
#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/text/perfetto.hpp"
#include "viz/text/text_timeline.hpp"

using namespace tasklab;
namespace fs = std::filesystem;

namespace {

// ---- a strict JSON parser (RFC 8259): no trailing commas, no leading zeros, no raw control
// characters in strings, valid UTF-8 and surrogate pairs, nothing after the value ----------

struct Json {
    enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    bool integer = false;  // the number was written without fraction or exponent
    std::int64_t int_value = 0;
    std::string text;  // strings; also the number as written
    std::vector<Json> items;
    struct Member;  // a key and its value: a std::pair cannot hold Json while Json is incomplete
    std::vector<Member> members;

    [[nodiscard]] const Json* get(std::string_view key) const;
    [[nodiscard]] std::string str(std::string_view key) const {
        const Json* v = get(key);
        return v != nullptr && v->kind == Kind::string ? v->text : std::string();
    }
    [[nodiscard]] std::int64_t num(std::string_view key, std::int64_t fallback = -1) const {
        const Json* v = get(key);
        return v != nullptr && v->kind == Kind::number && v->integer ? v->int_value : fallback;
    }
    [[nodiscard]] bool flag(std::string_view key) const {
        const Json* v = get(key);
        return v != nullptr && v->kind == Kind::boolean && v->boolean;
    }
};

struct Json::Member {
    std::string first;
    Json second;
};

const Json* Json::get(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

class JsonParser {
public:
    explicit JsonParser(std::string_view s) : m_s(s) {}

    std::optional<Json> parse() {
        Json v;
        skip_space();
        if (!value(v)) return std::nullopt;
        skip_space();
        if (m_i != m_s.size()) return fail("text after the value");
        return v;
    }
    [[nodiscard]] const std::string& error() const { return m_error; }

private:
    std::nullopt_t fail(std::string what) {
        if (m_error.empty()) m_error = what + " at byte " + std::to_string(m_i);
        return std::nullopt;
    }
    bool failed(std::string what) {
        fail(std::move(what));
        return false;
    }
    void skip_space() {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\r' || m_s[m_i] == '\t')) ++m_i;
    }
    bool literal(std::string_view word) {
        if (m_s.substr(m_i, word.size()) != word) return failed("bad literal");
        m_i += word.size();
        return true;
    }
    bool value(Json& v) {
        if (m_i >= m_s.size()) return failed("unexpected end");
        switch (m_s[m_i]) {
        case '{': return object(v);
        case '[': return array(v);
        case '"': v.kind = Json::Kind::string; return string(v.text);
        case 't': v.kind = Json::Kind::boolean; v.boolean = true; return literal("true");
        case 'f': v.kind = Json::Kind::boolean; return literal("false");
        case 'n': return literal("null");
        default: return number(v);
        }
    }
    bool object(Json& v) {
        v.kind = Json::Kind::object;
        ++m_i;
        skip_space();
        if (m_i < m_s.size() && m_s[m_i] == '}') { ++m_i; return true; }
        for (;;) {
            skip_space();
            if (m_i >= m_s.size() || m_s[m_i] != '"') return failed("expected a key");
            std::string key;
            if (!string(key)) return false;
            skip_space();
            if (m_i >= m_s.size() || m_s[m_i] != ':') return failed("expected ':'");
            ++m_i;
            skip_space();
            Json member;
            if (!value(member)) return false;
            v.members.push_back({std::move(key), std::move(member)});
            skip_space();
            if (m_i < m_s.size() && m_s[m_i] == ',') { ++m_i; continue; }
            if (m_i < m_s.size() && m_s[m_i] == '}') { ++m_i; return true; }
            return failed("expected ',' or '}'");
        }
    }
    bool array(Json& v) {
        v.kind = Json::Kind::array;
        ++m_i;
        skip_space();
        if (m_i < m_s.size() && m_s[m_i] == ']') { ++m_i; return true; }
        for (;;) {
            skip_space();
            Json item;
            if (!value(item)) return false;
            v.items.push_back(std::move(item));
            skip_space();
            if (m_i < m_s.size() && m_s[m_i] == ',') { ++m_i; continue; }
            if (m_i < m_s.size() && m_s[m_i] == ']') { ++m_i; return true; }
            return failed("expected ',' or ']'");
        }
    }
    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(std::uint32_t& cp) {
        if (m_i + 4 > m_s.size()) return failed("short \\u escape");
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = m_s[m_i++];
            cp <<= 4;
            if (c >= '0' && c <= '9') cp |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') cp |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') cp |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return failed("bad \\u escape");
        }
        return true;
    }
    bool string(std::string& out) {
        ++m_i;  // the opening quote
        for (;;) {
            if (m_i >= m_s.size()) return failed("unterminated string");
            const auto c = static_cast<unsigned char>(m_s[m_i]);
            if (c == '"') { ++m_i; return true; }
            if (c < 0x20) return failed("raw control character in a string");
            if (c == '\\') {
                if (++m_i >= m_s.size()) return failed("unterminated escape");
                const char e = m_s[m_i++];
                switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (m_s.substr(m_i, 2) != "\\u") return failed("lone high surrogate");
                        m_i += 2;
                        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return failed("bad low surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return failed("lone low surrogate");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: return failed("bad escape");
                }
                continue;
            }
            if (c < 0x80) { out += static_cast<char>(c); ++m_i; continue; }
            // A UTF-8 sequence: checked strictly (no overlongs, no surrogates, at most U+10FFFF).
            std::size_t n = 0;
            std::uint32_t cp = 0;
            if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1Fu; }
            else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0Fu; }
            else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07u; }
            else return failed("invalid UTF-8 lead byte");
            if (m_i + n > m_s.size()) return failed("truncated UTF-8");
            for (std::size_t k = 1; k < n; ++k) {
                const auto b = static_cast<unsigned char>(m_s[m_i + k]);
                if ((b & 0xC0) != 0x80) return failed("invalid UTF-8 continuation");
                cp = (cp << 6) | (b & 0x3Fu);
            }
            if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                return failed("invalid UTF-8 code point");
            out.append(m_s.substr(m_i, n));
            m_i += n;
        }
    }
    bool number(Json& v) {
        v.kind = Json::Kind::number;
        const std::size_t start = m_i;
        if (m_i < m_s.size() && m_s[m_i] == '-') ++m_i;
        if (m_i >= m_s.size() || m_s[m_i] < '0' || m_s[m_i] > '9') return failed("bad number");
        if (m_s[m_i] == '0') {
            ++m_i;
            if (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') return failed("leading zero");
        } else {
            while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
        }
        bool integer = true;
        if (m_i < m_s.size() && m_s[m_i] == '.') {
            integer = false;
            ++m_i;
            if (m_i >= m_s.size() || m_s[m_i] < '0' || m_s[m_i] > '9') return failed("bad fraction");
            while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
        }
        if (m_i < m_s.size() && (m_s[m_i] == 'e' || m_s[m_i] == 'E')) {
            integer = false;
            ++m_i;
            if (m_i < m_s.size() && (m_s[m_i] == '+' || m_s[m_i] == '-')) ++m_i;
            if (m_i >= m_s.size() || m_s[m_i] < '0' || m_s[m_i] > '9') return failed("bad exponent");
            while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
        }
        v.text = std::string(m_s.substr(start, m_i - start));
        v.integer = integer;
        if (integer) {
            const auto [p, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), v.int_value);
            if (ec != std::errc() || p != v.text.data() + v.text.size()) return failed("integer out of range");
        }
        return true;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
    std::string m_error;
};

// ---- running scenarios -------------------------------------------------------------------

fs::path source_dir() { return fs::path(TASKLAB_SOURCE_DIR); }

// Every bundled Swift and GCD scenario, in a fixed order.
std::vector<fs::path> bundled_scenarios() {
    std::vector<fs::path> out;
    for (const char* dir : {"scenarios/swift", "scenarios/gcd"}) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(source_dir() / dir, ec))
            if (entry.path().extension() == ".swift") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct Run {
    std::unique_ptr<Controller> controller;
    std::string json;
};

// Parses and runs a scenario, then exports it; `json` is empty when the file did not parse.
Run run_scenario(const fs::path& path, const PerfettoOptions& options = {}) {
    Run r;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string label = path.parent_path().filename().string() + "/" + path.filename().string();
    auto file = std::make_shared<const SourceFile>(label, text.str());
    ParseResult parsed = parse_scenario(file);
    if (!parsed.ok()) return r;
    r.controller = std::make_unique<Controller>(parsed.program);
    r.controller->run_until_idle();
    r.json = perfetto_json(r.controller->trace(), &r.controller->program(), options);
    return r;
}

fs::path scenario(std::string_view relative) { return source_dir() / "scenarios" / relative; }

// ---- the format's rules ------------------------------------------------------------------

struct Flows {
    std::map<std::string, std::vector<const Json*>> outs, ins;
};

// The rules of docs' "what tasklab's exporter must emit", as checks. Returns the parsed
// document (or nothing when it is not even JSON) so callers can look further.
std::optional<Json> check_format(const std::string& json, const Trace& trace, const std::string& label) {
    INFO("export of ", label);
    JsonParser parser(json);
    std::optional<Json> doc = parser.parse();
    CHECK_MESSAGE(doc.has_value(), "not valid JSON: ", parser.error());
    if (!doc) return doc;
    REQUIRE(doc->kind == Json::Kind::object);
    CHECK(doc->str("displayTimeUnit") == "ms");
    const Json* other = doc->get("otherData");
    REQUIRE(other != nullptr);
    for (const char* key : {"scenario", "title", "tasklab_version", "time_axis", "order", "truncated"})
        CHECK_MESSAGE(other->get(key) != nullptr, "otherData lacks ", key);
    const Json* events = doc->get("traceEvents");
    REQUIRE(events != nullptr);
    REQUIRE(events->kind == Json::Kind::array);

    std::map<std::int64_t, std::vector<std::pair<std::int64_t, std::int64_t>>> slices, states;  // tid → [begin, end)
    std::map<std::int64_t, std::string> thread_names;
    std::map<std::int64_t, std::int64_t> sort_index, task_of_tid;
    Flows flows;
    bool all_fields = true, integer_ts = true, durations_ok = true;
    for (const Json& e : events->items) {
        const std::string ph = e.str("ph");
        const bool has_ts = e.get("ts") != nullptr;
        if (e.get("name") == nullptr || ph.empty() || e.get("pid") == nullptr || e.get("tid") == nullptr ||
            (ph != "M" && !has_ts))
            all_fields = false;
        if (has_ts && !e.get("ts")->integer) integer_ts = false;
        const std::int64_t tid = e.num("tid");
        if (ph == "M") {
            const Json* args = e.get("args");
            if (args == nullptr) continue;
            if (e.str("name") == "thread_name") {
                thread_names[tid] = args->str("name");
                task_of_tid[tid] = args->num("task");
            }
            if (e.str("name") == "thread_sort_index") sort_index[tid] = args->num("sort_index");
            continue;
        }
        if (ph == "X") {
            const Json* dur = e.get("dur");
            if (dur == nullptr || !dur->integer || dur->int_value < 0) {
                durations_ok = false;
                continue;
            }
            const std::int64_t ts = e.num("ts");
            slices[tid].emplace_back(ts, ts + dur->int_value);
            if (e.str("cat") == "state") states[tid].emplace_back(ts, ts + dur->int_value);
        }
        if (e.get("bind_id") != nullptr) {
            if (e.flag("flow_out")) flows.outs[e.str("bind_id")].push_back(&e);
            if (e.flag("flow_in")) flows.ins[e.str("bind_id")].push_back(&e);
        }
    }
    CHECK_MESSAGE(all_fields, "an event lacks name, ph, ts, pid or tid");
    CHECK_MESSAGE(integer_ts, "a ts is not an integer");
    CHECK_MESSAGE(durations_ok, "an X slice has no integer dur >= 0");

    // State slices of one lane follow each other; every X slice nests in the ones around it.
    for (auto& state : states) {
        const auto& tid = state.first;
        auto& list = state.second;
        std::sort(list.begin(), list.end());
        for (std::size_t i = 1; i < list.size(); ++i)
            CHECK_MESSAGE(list[i - 1].second <= list[i].first, "state slices overlap on tid ", tid, " at ts ",
                          list[i].first);
    }
    for (auto& slice : slices) {
        const auto& tid = slice.first;
        auto& list = slice.second;
        // Longer first at one start, so a parent comes before what it holds.
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        std::vector<std::pair<std::int64_t, std::int64_t>> open;
        for (const auto& s : list) {
            while (!open.empty() && open.back().second <= s.first) open.pop_back();
            const bool nests = open.empty() || s.second <= open.back().second;
            CHECK_MESSAGE(nests, "slice [", s.first, ", ", s.second, ") crosses [", open.back().first, ", ",
                          open.back().second, ") on tid ", tid);
            open.push_back(s);
        }
    }

    // Each arrow: one flow_out, its sinks never earlier than it.
    for (const auto& flow : flows.ins) {
        const auto& id = flow.first;
        const auto& sinks = flow.second;
        const auto it = flows.outs.find(id);
        const std::size_t sources = it == flows.outs.end() ? 0 : it->second.size();
        CHECK_MESSAGE(sources == 1, "flow ", id, " has ", sources, " flow_out events");
        if (sources != 1) continue;
        for (const Json* sink : sinks)
            CHECK_MESSAGE(it->second.front()->num("ts") <= sink->num("ts"), "flow ", id, " ends before it starts");
    }

    // Every task has a named lane and a sort index, in the timeline's tree order.
    const std::vector<TimelineLane> lanes = timeline_lanes(trace);
    CHECK(thread_names.size() == trace.tasks().size() - 1);
    CHECK(sort_index.size() == trace.tasks().size() - 1);
    std::vector<std::pair<std::int64_t, std::int64_t>> by_index;  // (sort index, task)
    for (const auto& [tid, index] : sort_index) by_index.emplace_back(index, task_of_tid[tid]);
    std::sort(by_index.begin(), by_index.end());
    std::vector<std::int64_t> exported_order, tree_order;
    for (const auto& [index, task] : by_index) exported_order.push_back(task);
    for (const TimelineLane& lane : lanes) tree_order.push_back(lane.task);
    CHECK(exported_order == tree_order);
    return doc;
}

const Json* events_of(const Json& doc) { return doc.get("traceEvents"); }

}  // namespace

TEST_CASE("the strict JSON parser of these tests rejects what JSON forbids") {
    for (const char* bad : {"{\"a\":1,}", "[01]", "{\"a\":\"x\ty\"}", "[1 2]", "{\"a\":1} x", "[\"\\ud800\"]",
                            "[\"\xC0\xAF\"]", "[1.]", "[.5]", "{a:1}"}) {
        INFO("input: ", bad);
        JsonParser p(bad);
        CHECK_FALSE(p.parse().has_value());
    }
    JsonParser good("{\"a\":[1,-2.5e3,\"\\u00e9\\ud83d\\ude00\",true,null,{}]}");
    const auto v = good.parse();
    REQUIRE(v.has_value());
    const Json* a = v->get("a");
    REQUIRE(a != nullptr);
    REQUIRE(a->items.size() == 6);
    CHECK(a->items[0].integer);
    CHECK_FALSE(a->items[1].integer);
    CHECK(a->items[2].text == "é😀");
}

TEST_CASE("every bundled scenario exports Trace Event JSON that keeps the format's rules") {
    const std::vector<fs::path> files = bundled_scenarios();
    REQUIRE(files.size() >= 10);
    for (const fs::path& path : files) {
        const std::string label = path.filename().string();
        INFO("scenario: ", label);
        const Run run = run_scenario(path);
        CHECK_MESSAGE(!run.json.empty(), label, " did not parse");
        if (run.json.empty()) continue;
        const auto doc = check_format(run.json, run.controller->trace(), label);
        if (!doc) continue;
        CHECK(doc->get("otherData")->str("scenario") == label);
        CHECK(doc->get("otherData")->str("truncated") == "no");
        // Every task's states are drawn, and every lane is named after its task.
        const Json* events = events_of(*doc);
        std::set<std::int64_t> lanes_with_states;
        for (const Json& e : events->items)
            if (e.str("cat") == "state" && e.str("ph") == "X") lanes_with_states.insert(e.num("tid"));
        CHECK(lanes_with_states.size() == run.controller->trace().tasks().size() - 1);
    }
}

TEST_CASE("the same run exports the same bytes twice") {
    const fs::path path = scenario("swift/taskgroup_child_error.swift");
    const Run a = run_scenario(path);
    const Run b = run_scenario(path);
    REQUIRE_FALSE(a.json.empty());
    CHECK(a.json == b.json);
    PerfettoOptions virtual_axis;
    virtual_axis.axis = PerfettoAxis::virtual_time;
    CHECK(run_scenario(path, virtual_axis).json == run_scenario(path, virtual_axis).json);
    CHECK(a.json != run_scenario(path, virtual_axis).json);
}

TEST_CASE("lanes are named by task, indented by tree depth, unstructured work marked") {
    const Run run = run_scenario(scenario("swift/taskgroup_child_error.swift"));
    JsonParser parser(run.json);
    const auto doc = parser.parse();
    REQUIRE(doc.has_value());
    std::vector<std::string> names;
    for (const Json& e : events_of(*doc)->items)
        if (e.str("name") == "thread_name") names.push_back(e.get("args")->str("name"));
    const std::vector<std::string> expected = {"main", "⇢ Task {} @61", "  downloadImage(from: url) #1", "  faileDownloadImage() #2",
                                               "  downloadImage(from: url) #3"};
    CHECK(names == expected);
}

TEST_CASE("a failing child's error leads through its owner to every sibling the group cancelled") {
    const Run run = run_scenario(scenario("swift/taskgroup_child_error.swift"));
    REQUIRE_FALSE(run.json.empty());
    const auto doc = check_format(run.json, run.controller->trace(), "taskgroup_child_error.swift");
    REQUIRE(doc.has_value());
    std::map<std::string, std::int64_t> tid_of;  // lane name without indentation → tid
    for (const Json& e : events_of(*doc)->items)
        if (e.str("name") == "thread_name") {
            std::string name = e.get("args")->str("name");
            name.erase(0, name.find_first_not_of(' '));
            tid_of[name] = e.num("tid");
        }
    const std::int64_t failing = tid_of["faileDownloadImage() #2"], owner = tid_of["⇢ Task {} @61"];
    REQUIRE(failing > 0);
    REQUIRE(owner > 0);

    // Arrows as (source tid, source name, sink tid, sink name).
    struct Arrow {
        std::int64_t from;
        std::string from_name;
        std::int64_t to;
        std::string to_name;
    };
    std::map<std::string, const Json*> outs;
    for (const Json& e : events_of(*doc)->items)
        if (e.flag("flow_out")) outs[e.str("bind_id")] = &e;
    std::vector<Arrow> arrows;
    for (const Json& e : events_of(*doc)->items)
        if (e.flag("flow_in") && outs.count(e.str("bind_id")) != 0) {
            const Json* src = outs[e.str("bind_id")];
            arrows.push_back({src->num("tid"), src->str("name"), e.num("tid"), e.str("name")});
        }
    auto has = [&](std::int64_t from, std::string_view from_prefix, std::int64_t to, std::string_view to_prefix) {
        return std::any_of(arrows.begin(), arrows.end(), [&](const Arrow& a) {
            return a.from == from && a.to == to && a.from_name.starts_with(from_prefix) && a.to_name.starts_with(to_prefix);
        });
    };
    // The child's throw reaches the owner…
    CHECK(has(failing, "throw CancellationError()", owner, "error delivered"));
    // …the owner's group cancels each sibling, and each sibling's request leads to the place
    // where it noticed.
    for (const char* sibling : {"downloadImage(from: url) #1", "downloadImage(from: url) #3"}) {
        INFO("sibling: ", sibling);
        const std::int64_t tid = tid_of[sibling];
        REQUIRE(tid > 0);
        CHECK(has(owner, "cancel (implicit", tid, "cancel requested (implicit"));
        CHECK(has(tid, "cancel pending", tid, "cancellation observed at network"));
    }
    // The spawn arrows: the owner created the three children.
    for (const char* child : {"downloadImage(from: url) #1", "faileDownloadImage() #2", "downloadImage(from: url) #3"})
        CHECK(has(owner, "spawn", tid_of[child], "created"));
    // States read without colour: the cancelled-but-waiting sibling says so.
    bool cancelled_waiting = false;
    for (const Json& e : events_of(*doc)->items)
        if (e.num("tid") == tid_of["downloadImage(from: url) #3"] && e.str("name") == "cancelled, still suspended")
            cancelled_waiting = true;
    CHECK(cancelled_waiting);
}

TEST_CASE("the steps axis widens zero-time bursts and keeps virtual gaps; the virtual axis keeps virtual time") {
    const fs::path path = scenario("swift/taskgroup_child_error.swift");
    const Run steps = run_scenario(path);
    PerfettoOptions options;
    options.axis = PerfettoAxis::virtual_time;
    const Run virt = run_scenario(path, options);
    JsonParser ps(steps.json), pv(virt.json);
    const auto ds = ps.parse(), dv = pv.parse();
    REQUIRE(ds.has_value());
    REQUIRE(dv.has_value());
    check_format(virt.json, virt.controller->trace(), "taskgroup_child_error.swift (virtual axis)");
    CHECK(ds->get("otherData")->str("axis") == "steps");
    CHECK(dv->get("otherData")->str("axis") == "virtual");
    // The failing child's throw happens at 1 s: on the virtual axis its instant is 1 s plus a
    // few microseconds; on the steps axis it is 1 s plus the width of the steps before it.
    auto throw_ts = [](const Json& doc) {
        for (const Json& e : events_of(doc)->items)
            if (e.str("ph") == "i" && e.str("name") == "throw CancellationError()") return e.num("ts");
        return std::int64_t{-1};
    };
    const std::int64_t ts_virtual = throw_ts(*dv), ts_steps = throw_ts(*ds);
    CHECK(ts_virtual >= 1'000'000);
    CHECK(ts_virtual < 1'000'000 + 100);
    CHECK(ts_steps > ts_virtual);
    // Steps at one instant never share a timestamp: main's first running slice has width.
    for (const Json& e : events_of(*ds)->items)
        if (e.str("cat") == "state" && e.str("name") == "running") CHECK(e.num("dur") > 0);
}

TEST_CASE("past the event limit the export drops detail, then stops, and says so") {
    const fs::path path = scenario("swift/cancel_all_what_really_happens.swift");
    PerfettoOptions options;
    options.max_events = 3000;  // the 1,002 lanes' names alone take 2,005 events
    const Run run = run_scenario(path, options);
    REQUIRE_FALSE(run.json.empty());
    const auto doc = check_format(run.json, run.controller->trace(), "cancel_all_what_really_happens.swift (capped)");
    REQUIRE(doc.has_value());
    const std::string truncated = doc->get("otherData")->str("truncated");
    CHECK(truncated.find("more than 3000 events") != std::string::npos);
    CHECK(truncated.find("the export stops at step") != std::string::npos);
    const std::size_t count = events_of(*doc)->items.size();
    // Twice the limit, plus the slices still open when it stopped (one per task at most).
    CHECK(count <= 6000 + run.controller->trace().tasks().size());
    CHECK(count >= 6000);
    // Past the first limit only state slices are written.
    std::size_t details_after = 0, written = 0;
    for (const Json& e : events_of(*doc)->items) {
        ++written;
        if (written > 3000 && e.str("cat") != "state") ++details_after;
    }
    CHECK(details_after == 0);
}

TEST_CASE("text is escaped for JSON and UTF-8 passes through unchanged") {
    Trace trace;
    trace.add_task(TaskInfo{.id = 1, .kind = TaskKind::main, .name = "main \"quoted\"\\"});
    trace.set_clock(0, 0);
    trace.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    trace.set_clock(1, 0);
    trace.append(EventKind::task_started, 1);
    trace.append(EventKind::printed, 1, 0, trace.add_string("tab\there\x01 and 🟡 작업이 취소되었습니다."));
    trace.append(EventKind::task_finished, 1, 0, 0, static_cast<std::uint8_t>(Outcome::returned));
    const std::string json = perfetto_json(trace);
    CHECK(json.find("tab\\there\\u0001 and 🟡 작업이 취소되었습니다.") != std::string::npos);
    CHECK(json.find("main \\\"quoted\\\"\\\\") != std::string::npos);
    const auto doc = check_format(json, trace, "a hand-made trace");
    REQUIRE(doc.has_value());
    bool printed = false;
    for (const Json& e : events_of(*doc)->items)
        if (e.str("name") == "printed") {
            printed = true;
            CHECK(e.get("args")->str("text") == "tab\there\x01 and 🟡 작업이 취소되었습니다.");
        }
    CHECK(printed);
}
