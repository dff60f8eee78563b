// The trace tells what really happened: asyncio's uncancel() is recorded (with the number of
// cancel requests still pending), and the text timeline stops drawing "cancel requested,
// still going" once none is left.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/text/text_timeline.hpp"

using namespace tasklab;

namespace {

std::unique_ptr<Controller> run_python(const std::string& text) {
    auto file = std::make_shared<SourceFile>("t.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

/// The row of `name` in the plain text timeline.
std::string row_of(const Trace& trace, const std::string& name) {
    std::ostringstream out;
    TimelineOptions o;
    o.width = 40;
    o.legend = Legend::hide;
    write_text_timeline(out, trace, o);
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name, 0) == 0) return line;
    return {};
}

}  // namespace

TEST_CASE("uncancel records how many cancel requests are left") {
    const auto c = run_python("import asyncio\n"
                              "async def main():\n"
                              "    me = asyncio.current_task()\n"
                              "    me.cancel()\n"
                              "    me.cancel()\n"
                              "    print(me.uncancel(), me.uncancel(), me.uncancel())\n"
                              "asyncio.run(main())\n");
    REQUIRE(c->output().size() == 1);
    CHECK(c->output()[0].text == "1 0 0");
    std::vector<std::uint32_t> left;
    for (std::uint64_t i = 0; i < c->trace().size(); ++i)
        if (c->trace().at(i).kind == EventKind::uncancelled) left.push_back(c->trace().at(i).payload);
    CHECK(left == std::vector<std::uint32_t>{1, 0});  // the third call had nothing to take back
}

TEST_CASE("after asyncio.timeout converts the cancel, the text timeline no longer hatches the task") {
    const auto c = run_python("import asyncio\n"
                              "async def main():\n"
                              "    try:\n"
                              "        async with asyncio.timeout(1):\n"
                              "            await asyncio.sleep(5)\n"
                              "    except TimeoutError:\n"
                              "        pass\n"
                              "    await asyncio.sleep(3)\n"
                              "asyncio.run(main())\n");
    const std::string row = row_of(c->trace(), "main()");
    REQUIRE_FALSE(row.empty());
    // The cancel is requested at 1 s and taken back in the same instant: the 3 s sleep after
    // it is drawn as plain sleeping, with no hatch.
    CHECK(row.find("▼") != std::string::npos);
    CHECK(row.find("╱") == std::string::npos);
}
