// `tasklab list [--dir DIR]`: the scenarios under DIR/swift, DIR/gcd and DIR/asyncio with
// their titles. Titles are read from the `tasklab: title …` comment near the top of each
// file; nothing is parsed or run.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "engine/export/text_util.hpp"

#ifndef TASKLAB_SCENARIO_DIR
#define TASKLAB_SCENARIO_DIR "scenarios"
#endif

namespace tasklab::cli {

namespace {

constexpr int k_title_search_lines = 60;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// The text after `// tasklab: title` or `# tasklab: title` in the first lines, or "".
std::string read_title(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    for (int n = 0; n < k_title_search_lines && std::getline(in, line); ++n) {
        std::string_view s = trim(line);
        if (s.starts_with("//")) s.remove_prefix(2);
        else if (s.starts_with("#")) s.remove_prefix(1);
        else continue;
        s = trim(s);
        if (!s.starts_with("tasklab:")) continue;
        s = trim(s.substr(std::string_view("tasklab:").size()));
        if (!s.starts_with("title") || (s.size() > 5 && s[5] != ' ' && s[5] != '\t')) continue;
        return std::string(trim(s.substr(5)));
    }
    return {};
}

struct Entry {
    std::string path;   // relative to the listed directory: "swift/born_cancelled.swift"
    std::string title;
};

}  // namespace

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
    std::vector<std::pair<std::string, std::vector<Entry>>> groups;
    std::uint32_t w = 0;
    std::size_t total = 0;
    for (const std::string_view group : {"swift", "gcd", "asyncio"}) {
        const fs::path dir = root / group;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<Entry> entries;
        for (const auto& item : fs::directory_iterator(dir, ec)) {
            const fs::path& p = item.path();
            const std::string ext = p.extension().string();
            if (!item.is_regular_file(ec) || (ext != ".swift" && ext != ".py")) continue;
            entries.push_back({std::string(group) + "/" + p.filename().string(), read_title(p)});
            w = std::max(w, display_width(entries.back().path));
        }
        if (entries.empty()) continue;
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
        total += entries.size();
        groups.emplace_back(std::string(group), std::move(entries));
    }
    out << styled(o, "1", "Scenarios in " + root.string()) << '\n';
    for (const auto& [group, entries] : groups) {
        out << '\n' << styled(o, "1", group + "/") << '\n';
        for (const auto& e : entries)
            out << "  " << text::pad_right(e.path, w) << "  "
                << (e.title.empty() ? styled(o, "2", "(no title)") : e.title) << '\n';
    }
    if (total == 0) out << "\n  (no scenarios found)\n";
    else out << '\n' << styled(o, "2", "Run one with: tasklab run " + root.string() + "/<path>") << '\n';
    return static_cast<int>(ExitCode::ok);
}

}  // namespace tasklab::cli
