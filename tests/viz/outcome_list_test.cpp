// The Outcomes view's model (viz/model/outcome_list.hpp) and a Session showing an explored
// outcome: the rows people read, the run an outcome gives, and where its choice points are marked.
//
// No timings: the explorer's thread is waited for until it is done.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

#include "scenarios/frontend.hpp"
#include "viz/model/outcome_list.hpp"
#include "viz/session.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

/// Two tasks read and write a class they share without an actor: a preemption between the
/// read and the write loses an update.
const char* const k_data_race = R"(final class Counter: @unchecked Sendable {
    var value = 0
}

let counter = Counter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<2 {
        group.addTask {
            let v = counter.value
            counter.value = v + 1
        }
    }
}
print("값: \(counter.value) 🧮")
)";

/// A scenario file in a fresh temporary folder, removed with it.
class TempFile {
public:
    TempFile(const std::string& name, const std::string& text) {
        m_dir = std::filesystem::temp_directory_path() / ("tasklab-outcomes-" + std::to_string(::getpid()) + "-" + std::to_string(++s_count));
        std::filesystem::create_directories(m_dir);
        m_path = (m_dir / name).string();
        std::ofstream(m_path, std::ios::binary) << text;
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    static inline int s_count = 0;
    std::filesystem::path m_dir;
    std::string m_path;
};

std::vector<std::string> printed(const Session& s) {
    std::vector<std::string> lines;
    for (const auto& l : s.controller().output()) lines.push_back(l.text);
    return lines;
}

/// Explores the session's text on the explorer's thread and waits for it.
const ExploreResult& explore_session(OutcomeExplorer& explorer, const Session& s) {
    auto program = s.fresh_program();
    REQUIRE(program != nullptr);
    REQUIRE(program.get() != &s.program());
    explorer.start(program, ExploreOptions{}, s.path());
    REQUIRE(explorer.wait(-1));
    REQUIRE(explorer.result() != nullptr);
    return *explorer.result();
}

}  // namespace

TEST_CASE("lines that differ from outcome 1 are marked by a common subsequence, not by position") {
    const std::vector<std::string> first{"a", "b", "c"};
    std::size_t missing = 99;
    const auto marked = mark_differing_lines(first, {"a", "x", "b", "c"}, &missing);
    REQUIRE(marked.size() == 4);
    CHECK_FALSE(marked[0].differs);
    CHECK(marked[1].differs);
    CHECK_FALSE(marked[2].differs);
    CHECK_FALSE(marked[3].differs);
    CHECK(missing == 0);
    const auto swapped = mark_differing_lines(first, {"a", "c", "b"}, &missing);
    CHECK(missing == 1);  // one of b and c cannot be matched in order
    CHECK((swapped[1].differs != swapped[2].differs));
    CHECK_FALSE(swapped[0].differs);
    const auto fewer = mark_differing_lines(first, {"b"}, &missing);
    CHECK_FALSE(fewer[0].differs);
    CHECK(missing == 2);
}

TEST_CASE("the explorer's rows list each outcome with its orders, divergence, ending and differing lines") {
    TempFile file("race.swift", k_data_race);
    Session s(file.path(), {}, -1);
    REQUIRE(s.has_run());
    OutcomeExplorer explorer;
    const ExploreResult& r = explore_session(explorer, s);
    REQUIRE(r.outcomes.size() == 2);
    const auto& rows = explorer.rows();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].number == 1);
    CHECK(rows[0].divergence.empty());
    CHECK(rows[0].differing == 0);
    CHECK(rows[0].ending == "finished");
    CHECK(rows[0].ended_normally);
    REQUIRE(rows[0].lines.size() == 1);
    CHECK(rows[0].lines[0].text == "값: 2 🧮");
    CHECK(rows[1].number == 2);
    CHECK(rows[1].runs >= 1);
    CHECK(rows[0].runs + rows[1].runs == r.runs);
    CHECK(rows[1].divergence.find("ran between two statements") != std::string::npos);
    REQUIRE(rows[1].lines.size() == 1);
    CHECK(rows[1].lines[0].text == "값: 1 🧮");
    CHECK(rows[1].lines[0].differs);
    CHECK(rows[1].differing == 2);  // its line, and outcome 1's it lacks
    const std::string summary = summary_text(r, explorer.options());
    CHECK(summary.find(std::to_string(r.runs) + " orders explored") == 0);
    CHECK(summary.find("2 outcomes") != std::string::npos);
    CHECK(summary.find("complete") != std::string::npos);
    // The window's program was never given a chooser: its run is tasklab's own order still.
    CHECK(printed(s) == std::vector<std::string>{});
    s.run_to_end();
    CHECK(printed(s) == r.outcomes[0].lines);
}

TEST_CASE("choosing an outcome shows that outcome's run, and stepping back and forth keeps it") {
    TempFile file("race.swift", k_data_race);
    Session s(file.path(), {}, -1);
    OutcomeExplorer explorer;
    const ExploreResult& r = explore_session(explorer, s);
    REQUIRE(r.outcomes.size() == 2);
    s.run_to_end();
    const std::uint64_t default_steps = s.total_steps();
    CHECK_FALSE(s.outcome());
    CHECK(s.choices().empty());

    REQUIRE(s.show_outcome(2, r.outcomes[1].script, explorer.options().preemptions));
    CHECK(s.outcome() == std::optional<std::size_t>(2));
    CHECK(s.outcome_label() == "outcome 2");
    CHECK(s.at_end());  // it was at the end, and stays there
    CHECK(printed(s) == r.outcomes[1].lines);
    // Back to the start and forward again by single steps: a replay restarts the chooser.
    s.seek(0);
    CHECK(printed(s).empty());
    while (s.step_forward()) {}
    CHECK(printed(s) == r.outcomes[1].lines);
    s.seek(s.total_steps() / 2);
    s.step_back();
    s.run_to_end();
    CHECK(printed(s) == r.outcomes[1].lines);

    REQUIRE(s.show_outcome(1, r.outcomes[0].script, explorer.options().preemptions));
    CHECK(printed(s) == r.outcomes[0].lines);
    s.show_default_order();
    CHECK_FALSE(s.outcome());
    CHECK(s.total_steps() == default_steps);
    CHECK(printed(s) == r.outcomes[0].lines);
    CHECK(s.choices().empty());
}

TEST_CASE("the choice points of the run shown are marked at their events, the departing one among them") {
    TempFile file("race.swift", k_data_race);
    Session s(file.path(), {}, -1);
    OutcomeExplorer explorer;
    const ExploreResult& r = explore_session(explorer, s);
    const ExploredOutcome& second = r.outcomes.at(1);
    REQUIRE(second.diverges_at);
    REQUIRE(s.show_outcome(2, second.script, explorer.options().preemptions));
    s.run_to_end();
    const std::vector<ChoiceMade> choices = s.choices();  // a copy: the Session's changes with the cursor
    REQUIRE(choices.size() == second.choices.size());
    const auto marks = choice_marks(choices, s.trace());
    REQUIRE_FALSE(marks.empty());
    std::size_t departing = 0;
    for (std::size_t k = 0, m = 0; k < choices.size(); ++k) {
        if (choices[k].event >= s.trace().size()) continue;
        REQUIRE(m < marks.size());
        const ChoiceMark& mark = marks[m++];
        CHECK(mark.event == choices[k].event);
        CHECK(mark.event == second.choices[k].event);
        CHECK(mark.alternatives == choices[k].count - 1);
        CHECK(mark.taken == choices[k].chosen_task);
        CHECK(mark.text.find("here the runtime could have chosen otherwise: ") == 0);
        if (mark.departs) {
            ++departing;
            CHECK(k == *second.diverges_at);
            CHECK(mark.text.find("not `") != std::string::npos);
        }
    }
    CHECK(departing == 1);
    // The diverging choice is a preemption: the event it is marked at is the preempted task's
    // gap (suspended, "preempted"), and the task that went first runs right after it.
    const ChoiceMade& c = choices[*second.diverges_at];
    REQUIRE(c.point == ChoicePoint::preempt);
    REQUIRE(c.event + 1 < s.trace().size());
    const Event gap = s.trace().at(c.event);
    CHECK(gap.task == c.default_task);
    CHECK(gap.kind == EventKind::task_suspended);
    CHECK(static_cast<WaitReason>(gap.detail) == WaitReason::preempted);
    bool taken_runs_next = false;
    for (std::uint64_t i = c.event + 1; i < s.trace().size() && !taken_runs_next; ++i) {
        const Event e = s.trace().at(i);
        if (e.task == c.default_task) break;
        taken_runs_next = e.task == c.chosen_task;
    }
    CHECK(taken_runs_next);
    // At step 0 the run has met fewer of its choice points, and none is marked past its trace.
    s.seek(0);
    CHECK(s.choices().size() < choices.size());
    CHECK(choice_marks(s.choices(), s.trace()).size() <= s.choices().size());
}
