// The two bundled race lessons, explored: each has exactly the outcomes its narration names,
// the first of them is the one its `tasklab: expect` lines describe (tasklab's own order), and
// every outcome's own line is quoted in the narration, so a student reading the lesson is told
// of every output `tasklab explore` shows.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/explore.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

struct Lesson {
    std::string text;
    std::shared_ptr<const ast::Program> program;
};

Lesson load_lesson(const std::string& relative) {
    const std::string path = std::string(TASKLAB_SOURCE_DIR) + "/scenarios/" + relative;
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(static_cast<bool>(in), "cannot read ", path);
    std::ostringstream text;
    text << in.rdbuf();
    Lesson lesson;
    lesson.text = text.str();
    auto file = std::make_shared<SourceFile>(relative, lesson.text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    lesson.program = parsed.program;
    return lesson;
}

std::vector<std::vector<std::string>> outcome_lines(const ExploreResult& r) {
    std::vector<std::vector<std::string>> out;
    for (const auto& o : r.outcomes) out.push_back(o.lines);
    return out;
}

std::vector<std::string> gcd_lines(int last_outer) {
    std::vector<std::string> lines;
    for (int i = 0; i <= last_outer; ++i) lines.push_back("➡️ 외부 작업 수행 완료: " + std::to_string(i));
    for (int j = 0; j <= 10; ++j) lines.push_back("✨ 내부 작업 수행 완료: " + std::to_string(j));
    return lines;
}

}  // namespace

TEST_CASE("the GCD race lesson has exactly two outcomes, the outer lines ending at 2 or at 3, as its narration says") {
    const Lesson lesson = load_lesson("gcd/cancel_race_at_3s.swift");
    const ExploreResult r = explore(lesson.program, ExploreOptions{});
    CHECK(r.complete);
    const std::vector<std::vector<std::string>> expected{gcd_lines(2), gcd_lines(3)};
    CHECK(outcome_lines(r) == expected);
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0].lines == lesson.program->expect);  // tasklab's own order is the expect lines
    CHECK_FALSE(r.outcomes[0].diverges_at.has_value());
    CHECK(r.outcomes[1].diverges_at.has_value());
    for (const auto& o : r.outcomes) CHECK(o.state == RunState::finished);
    // The narration names both endings.
    CHECK(lesson.text.find("end at 2") != std::string::npos);
    CHECK(lesson.text.find("end at 3") != std::string::npos);
    CHECK(lesson.text.find("race") != std::string::npos);
}

TEST_CASE("the data race lesson loses an update only on the class: class counter 2 or 1, actor counter always 2") {
    const Lesson lesson = load_lesson("actors/data_race_class_vs_actor.swift");
    const ExploreResult r = explore(lesson.program, ExploreOptions{});
    CHECK(r.complete);
    const std::vector<std::vector<std::string>> expected{{"class counter: 2", "actor counter: 2"},
                                                         {"class counter: 1", "actor counter: 2"}};
    CHECK(outcome_lines(r) == expected);
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0].lines == lesson.program->expect);
    CHECK(r.outcomes[1].diverges_at.has_value());
    // The narration quotes every outcome's class line, and says the actor's is always 2.
    for (const auto& o : r.outcomes) CHECK(lesson.text.find("`" + o.lines[0] + "`") != std::string::npos);
    CHECK(lesson.text.find("the actor always prints 2") != std::string::npos);
}
