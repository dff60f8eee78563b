// `tasklab list [--dir DIR]`: the scenarios in DIR (the bundled ones by default) with their
// titles: the files of DIR itself, then of DIR/swift, DIR/gcd, DIR/asyncio and any other
// subfolder (scenarios/catalog.hpp finds them and reads the titles; nothing is parsed or run).
#include <algorithm>
#include <filesystem>
#include <ostream>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "scenarios/catalog.hpp"
#include "viz/text/text_util.hpp"

#ifndef TASKLAB_SCENARIO_DIR
#define TASKLAB_SCENARIO_DIR "scenarios"
#endif

namespace tasklab::cli {

int list_command(const CliOptions& o, std::ostream& out, std::ostream& err) {
    namespace fs = std::filesystem;
    const fs::path root = o.dir.empty() ? fs::path(TASKLAB_SCENARIO_DIR) : fs::path(o.dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        err << "tasklab: cannot read " << root.string() << ": "
            << (fs::exists(root, ec) ? "not a directory" : "No such file or directory") << '\n';
        return static_cast<int>(ExitCode::usage);
    }
    // Gather first, so one column width serves every group.
    std::vector<std::pair<std::string, std::vector<CatalogEntry>>> groups;
    std::uint32_t w = 0;
    const std::vector<CatalogEntry> found = list_scenarios(root);
    for (const CatalogEntry& e : found) {
        if (groups.empty() || groups.back().first != e.group) groups.emplace_back(e.group, std::vector<CatalogEntry>{});
        groups.back().second.push_back(e);
        w = std::max(w, display_width(e.relative));
    }
    const std::size_t total = found.size();
    out << styled(o, "1", "Scenarios in " + root.string()) << '\n';
    for (const auto& [group, entries] : groups) {
        out << '\n' << styled(o, "1", group.empty() ? std::string("./") : group + "/") << '\n';
        for (const auto& e : entries)
            out << "  " << text::pad_right(e.relative, w) << "  "
                << (e.title.empty() ? styled(o, "2", "(no title)") : escape_control_characters(e.title)) << '\n';
    }
    if (total == 0) out << "\n  (no scenarios found)\n";
    else out << '\n' << styled(o, "2", "Run one with: tasklab run " + root.string() + "/<path>") << '\n';
    return static_cast<int>(ExitCode::ok);
}

}  // namespace tasklab::cli
