// Lane names carry their arguments: tasks made in a loop get distinct, readable names —
// the call with its evaluated argument values, the name given with `name=` / `Task(name:)`,
// GCD items by their variable (numbered when several share it).
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

/// The task names of a run, main first, in creation order.
std::vector<std::string> names(const std::string& file_name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(file_name, text);
    ParseResult parsed = file_name.ends_with(".py") ? parse_python(file) : parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    std::vector<std::string> out;
    for (std::size_t i = 1; i < c.trace().tasks().size(); ++i) out.push_back(c.trace().tasks()[i].name);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("asyncio tasks made in a loop are named by the call with its argument values") {
    const auto n = names("t.py",
                         "import asyncio\n"
                         "async def download(name, i):\n"
                         "    await asyncio.sleep(i)\n"
                         "async def main():\n"
                         "    tasks = [asyncio.create_task(download(f\"img{i}\", i)) for i in range(1, 4)]\n"
                         "    await asyncio.gather(*tasks)\n"
                         "asyncio.run(main())\n");
    CHECK(has(n, "download('img1', 1)"));
    CHECK(has(n, "download('img2', 2)"));
    CHECK(has(n, "download('img3', 3)"));
}

TEST_CASE("asyncio: name= names the lane, long arguments are clipped with an ellipsis, objects shown as one") {
    const auto n = names("t.py",
                         "import asyncio\n"
                         "class Server:\n"
                         "    async def start(self, banner, options):\n"
                         "        await asyncio.sleep(0)\n"
                         "async def main():\n"
                         "    a = asyncio.create_task(Server().start(\"a banner far too long to show whole\", {}))\n"
                         "    b = asyncio.create_task(asyncio.sleep(1), name=\"the sleeper\")\n"
                         "    await a\n"
                         "    await b\n"
                         "asyncio.run(main())\n");
    CHECK(has(n, "Server().start('a banner far to\xE2\x80\xA6, \xE2\x80\xA6)"));
    CHECK(has(n, "the sleeper"));
}

TEST_CASE("Swift group children are named by their call with captured values, and numbered") {
    const auto n = names("t.swift",
                         "func fetch(id: Int) async -> Int { id }\n"
                         "await withTaskGroup(of: Int.self) { group in\n"
                         "    for i in 1...3 {\n"
                         "        group.addTask { await fetch(id: i) }\n"
                         "    }\n"
                         "}\n");
    CHECK(has(n, "fetch(id: 1) #1"));
    CHECK(has(n, "fetch(id: 2) #2"));
    CHECK(has(n, "fetch(id: 3) #3"));
}

TEST_CASE("Task(name:) names its lane") {
    const auto n = names("t.swift",
                         "let t = Task(name: \"loader\") { 1 }\n"
                         "let u = Task { 2 }\n"
                         "_ = await t.value\n"
                         "_ = await u.value\n");
    CHECK(has(n, "loader"));
    CHECK(has(n, "u"));
}

TEST_CASE("GCD items made in a loop are named by their variable and numbered") {
    const auto n = names("t.swift",
                         "import Foundation\n"
                         "let q = DispatchQueue(label: \"q\")\n"
                         "for i in 0..<3 {\n"
                         "    let item = DispatchWorkItem { print(i) }\n"
                         "    q.async(execute: item)\n"
                         "}\n"
                         "sleep(1)\n");
    CHECK(has(n, "item"));
    CHECK(has(n, "item #2"));
    CHECK(has(n, "item #3"));
}
