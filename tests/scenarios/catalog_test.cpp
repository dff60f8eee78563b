// The scenario catalog: bundled files found by group with their titles.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scenarios/catalog.hpp"

using namespace tasklab;

TEST_CASE("the catalog lists the bundled scenarios group by group with their titles") {
    const auto entries = list_scenarios(std::filesystem::path(TASKLAB_SOURCE_DIR) / "scenarios");
    REQUIRE(!entries.empty());
    // Groups come in the order swift, gcd, actors, asyncio; files by name within a group.
    auto rank = [](const std::string& g) { return g == "swift" ? 0 : g == "gcd" ? 1 : g == "actors" ? 2 : 3; };
    for (std::size_t i = 1; i < entries.size(); ++i) {
        CHECK(rank(entries[i - 1].group) <= rank(entries[i].group));
        if (entries[i - 1].group == entries[i].group) CHECK(entries[i - 1].relative < entries[i].relative);
    }
    bool found = false;
    for (const auto& e : entries)
        if (e.relative == "swift/taskgroup_child_error.swift") {
            found = true;
            CHECK(e.title.find("withThrowingTaskGroup") != std::string::npos);
            CHECK(std::filesystem::exists(e.path));
        }
    CHECK(found);
}

TEST_CASE("a title is read from a tasklab title comment in either comment style") {
    const auto dir = std::filesystem::temp_directory_path() / "tasklab_catalog_test";
    std::filesystem::create_directories(dir / "asyncio");
    {
        std::ofstream(dir / "asyncio" / "a.py") << "# tasklab: title  Python title  \nprint(1)\n";
        std::ofstream(dir / "asyncio" / "b.py") << "# tasklab: titled no\nprint(1)\n";
        std::ofstream(dir / "asyncio" / "notes.txt") << "// tasklab: title ignored\n";
    }
    const auto entries = list_scenarios(dir);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].relative == "asyncio/a.py");
    CHECK(entries[0].title == "Python title");
    CHECK(entries[1].title.empty());
    CHECK(read_scenario_title(dir / "missing.swift").empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a flat folder and its other subfolders are listed too, the folder's own files first") {
    const auto dir = std::filesystem::temp_directory_path() / "tasklab_catalog_flat_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "lesson2");
    std::filesystem::create_directories(dir / "swift");
    std::filesystem::create_directories(dir / ".hidden");
    std::filesystem::create_directories(dir / "lesson1" / "deeper");
    {
        std::ofstream(dir / "b.swift") << "// tasklab: title Flat B\n";
        std::ofstream(dir / "a.py") << "# tasklab: title Flat A\n";
        std::ofstream(dir / "readme.md") << "# tasklab: title not a scenario\n";
        std::ofstream(dir / "swift" / "s.swift") << "print(1)\n";
        std::ofstream(dir / "lesson2" / "x.py") << "print(1)\n";
        std::ofstream(dir / "lesson1" / "y.swift") << "print(1)\n";
        std::ofstream(dir / "lesson1" / "deeper" / "z.swift") << "print(1)\n";
        std::ofstream(dir / ".hidden" / "h.swift") << "print(1)\n";
    }
    const auto entries = list_scenarios(dir);
    std::vector<std::string> relative;
    for (const auto& e : entries) relative.push_back(e.relative);
    CHECK(relative == std::vector<std::string>{"a.py", "b.swift", "swift/s.swift", "lesson1/y.swift", "lesson2/x.py"});
    REQUIRE(entries.size() == 5);
    CHECK(entries[0].group.empty());
    CHECK(entries[0].title == "Flat A");
    CHECK(entries[0].path == (dir / "a.py").string());
    CHECK(entries[3].group == "lesson1");
    std::filesystem::remove_all(dir);
}
