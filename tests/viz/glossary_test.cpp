// The glossary: plain words for every name of the trace, the legend, and the filter that finds both.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "viz/model/event_filter.hpp"
#include "viz/model/glossary.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

std::string read_source(const char* relative) {
    std::ifstream in(std::string(TASKLAB_SOURCE_DIR) + "/" + relative);
    REQUIRE_MESSAGE(in, "cannot read ", relative);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// The number of values of `enum class name … { … };` as written in `source`: identifiers at
/// the start of each comma-separated item, comments removed.
int count_enumerators(const std::string& source, const std::string& name) {
    const std::size_t at = source.find("enum class " + name + " ");
    REQUIRE_MESSAGE(at != std::string::npos, "no enum class ", name);
    const std::size_t open = source.find('{', at);
    const std::size_t close = source.find("};", open);
    std::string body = source.substr(open + 1, close - open - 1);
    // Drop comments (// to the end of the line).
    std::string clean;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '/' && i + 1 < body.size() && body[i + 1] == '/') {
            while (i < body.size() && body[i] != '\n') ++i;
            continue;
        }
        clean += body[i];
    }
    int n = 0;
    std::stringstream items(clean);
    std::string item;
    while (std::getline(items, item, ',')) {
        if (std::any_of(item.begin(), item.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
            ++n;
    }
    return n;
}

std::string_view engine_name(TermGroup g, int i) {
    switch (g) {
        case TermGroup::event: return event_kind_name(static_cast<EventKind>(i));
        case TermGroup::task_kind: return task_kind_name(static_cast<TaskKind>(i));
        case TermGroup::wait_reason: return wait_reason_name(static_cast<WaitReason>(i));
        case TermGroup::resume_status: return resume_status_name(static_cast<ResumeStatus>(i));
        case TermGroup::outcome: return outcome_name(static_cast<Outcome>(i));
        case TermGroup::cancel_cause: return cancel_cause_name(static_cast<CancelCause>(i));
        case TermGroup::observed_by: return observed_by_name(static_cast<ObservedBy>(i));
        case TermGroup::scope_kind: return scope_kind_name(static_cast<ScopeKind>(i));
        case TermGroup::lint_kind: return lint_kind_name(static_cast<LintKind>(i));
        case TermGroup::end_reason: return end_reason_name(static_cast<EndReason>(i));
        case TermGroup::lane_state: return lane_state_name(static_cast<LaneState>(i));
        case TermGroup::mark: return mark_kind_name(static_cast<MarkKind>(i));
        case TermGroup::arrow: return arrow_kind_name(static_cast<ArrowKind>(i));
    }
    return {};
}

Trace two_task_trace() {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::work_item, 0, 1, 0, "innerItem", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::work_item));
    return t;
}

}  // namespace

TEST_CASE("every value of every enum the visualizer shows has plain words") {
    const std::string trace_hpp = read_source("engine/trace.hpp");
    const std::string model_hpp = read_source("viz/model/timeline_model.hpp");
    const std::string fold_hpp = read_source("engine/fold.hpp");  // LaneState: the engine fold's
    for (int g = 0; g < k_term_group_count; ++g) {
        const auto group = static_cast<TermGroup>(g);
        const std::string enum_name(term_group_enum(group));
        CAPTURE(enum_name);
        const auto table = terms(group);
        // EventKind is an X-macro list; the others are written out in their headers.
        const int values = group == TermGroup::event        ? k_event_kind_count
                           : group == TermGroup::lane_state ? count_enumerators(fold_hpp, enum_name)
                           : (group == TermGroup::mark || group == TermGroup::arrow)
                               ? count_enumerators(model_hpp, enum_name)
                               : count_enumerators(trace_hpp, enum_name);
        CHECK(values > 1);
        CHECK(static_cast<int>(table.size()) == values);
        std::set<std::string_view> seen;
        for (std::size_t i = 0; i < table.size(); ++i) {
            const Term& t = table[i];
            CAPTURE(t.name);
            CHECK(!t.words.empty());
            CHECK(!t.meaning.empty());
            CHECK(t.words != "?");
            // Names with underscores are the engine's identifiers: never words for students.
            CHECK(t.words.find('_') == std::string_view::npos);
            CHECK(seen.insert(t.words).second);  // two values never read the same
            CHECK(!term_group_title(group).empty());
        }
    }
}

TEST_CASE("each row of the glossary names the value at its index as the trace does") {
    for (int g = 0; g < k_term_group_count; ++g) {
        const auto group = static_cast<TermGroup>(g);
        const auto table = terms(group);
        for (std::size_t i = 0; i < table.size(); ++i) {
            CAPTURE(term_group_enum(group));
            CHECK(table[i].name == engine_name(group, static_cast<int>(i)));
        }
    }
    CHECK(words(EventKind::task_finished) == "finished");
    CHECK(words(CancelCause::child_error) == "a child's error cancelled the group");
    CHECK(words(ObservedBy::body_skipped) == "skipped before it started");
    CHECK(words(static_cast<Outcome>(200)) == "?");
}

TEST_CASE("an event's details are told in plain words, never in the trace's names") {
    Trace t = two_task_trace();
    t.set_clock(1, 0);
    const auto cancel = t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::child_error));
    const auto noticed = t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::body_skipped));
    const auto finished = t.append(EventKind::task_finished, 2, 0, 0, static_cast<std::uint8_t>(Outcome::skipped));
    const auto waits = t.append(EventKind::task_suspended, 1, 2, t.add_string("innerItem.wait()"),
                                static_cast<std::uint8_t>(WaitReason::work_item));
    const auto ended = t.append(EventKind::run_ended, 0, 0, t.add_string("deadlock: nothing can run"),
                                static_cast<std::uint8_t>(EndReason::deadlock));

    CHECK(plain_details(t, t.at(cancel)) == "a child's error cancelled the group, by main");
    CHECK(plain_details(t, t.at(noticed)) == "skipped before it started");
    CHECK(plain_summary(t, t.at(finished)) == "finished: skipped, never ran");
    CHECK(plain_details(t, t.at(waits)) == "waiting for a work item: innerItem.wait() \u2192 innerItem");
    // The message's own "deadlock:" is not said twice.
    CHECK(plain_summary(t, t.at(ended)) == "program ended: stuck: everyone waits \u2014 nothing can run");
    CHECK(plain_details(t, t.at(1)) == "work item, made by main");
    for (std::uint64_t i = 0; i < t.size(); ++i) {
        const std::string line = plain_summary(t, t.at(i));
        CAPTURE(line);
        CHECK(line.find('_') == std::string::npos);
    }
}

TEST_CASE("a heading repeated at the start of a message is dropped once") {
    CHECK(without_heading("deadlock: nothing can run", "deadlock") == "nothing can run");
    CHECK(without_heading("deadlocked main", "deadlock") == "deadlocked main");
    CHECK(without_heading("nothing can run", "deadlock") == "nothing can run");
    CHECK(without_heading("deadlock:", "") == "deadlock:");
}

TEST_CASE("the event log's filter finds an event by its plain words and by the trace's names") {
    Trace t = two_task_trace();
    t.set_clock(1, 0);
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::child_error));
    t.append(EventKind::task_finished, 1, 0, 0, static_cast<std::uint8_t>(Outcome::returned));
    auto matches = [&](const char* text) {
        EventFilter f;
        f.text = text;
        EventIndex idx;
        idx.sync(t, 1, f, nullptr);
        return idx.indices();
    };
    CHECK(matches("child's error") == std::vector<std::uint64_t>{2});
    CHECK(matches("CHILD_ERROR") == std::vector<std::uint64_t>{2});
    CHECK(matches("task_finished") == std::vector<std::uint64_t>{3});
    CHECK(matches("finished: returned").empty());  // the log shows "finished" and "returned" in two columns
    CHECK(matches("returned") == std::vector<std::uint64_t>{3});
    CHECK(matches("made by main") == std::vector<std::uint64_t>{1});
}

TEST_CASE("the legend shows every mark, outcome, state and arrow once, each glyph with one meaning") {
    const auto legend = legend_entries();
    std::set<std::string_view> glyphs, texts;
    std::set<int> states, arrows;
    for (const LegendEntry& e : legend) {
        CAPTURE(e.words);
        CHECK(!e.words.empty());
        CHECK(texts.insert(e.words).second);
        if (e.glyph) CHECK(glyphs.insert(e.glyph).second);
        if (e.kind == LegendEntry::Kind::state) CHECK(states.insert(e.value).second);
        if (e.kind == LegendEntry::Kind::arrow) CHECK(arrows.insert(e.value).second);
    }
    CHECK(static_cast<int>(states.size()) == k_lane_state_count);
    CHECK(static_cast<int>(arrows.size()) == k_arrow_kind_count);
    // Every glyph the lanes draw (marks, endings, the gap's Δ, the ↗ of a lane with no parent)
    // is explained by exactly one entry.
    auto entries_with = [&](std::string_view g) {
        return std::count_if(legend.begin(), legend.end(), [&](const LegendEntry& e) { return e.glyph && e.glyph == g; });
    };
    for (int m = 0; m < k_mark_kind_count; ++m) CHECK(entries_with(mark_glyph(static_cast<MarkKind>(m))) == 1);
    for (int o = 0; o <= static_cast<int>(Outcome::abandoned); ++o) CHECK(entries_with(outcome_glyph(static_cast<Outcome>(o))) == 1);
    CHECK(entries_with(glyph::unstructured) == 1);
    CHECK(entries_with(glyph::delta) == 1);
    CHECK(entries_with(glyph::error_delivered) == 1);
    // A thrown error and a lane ended by one are one mark, told in the same words.
    CHECK(std::string_view(mark_glyph(MarkKind::threw)) == outcome_glyph(Outcome::threw));
    CHECK(words(MarkKind::threw) == words(Outcome::threw));
}
