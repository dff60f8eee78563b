// Listing scenario files by folder and reading their titles.
#include "catalog.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace tasklab {

namespace {

constexpr int k_title_search_lines = 60;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string read_scenario_title(const std::filesystem::path& file) {
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

namespace {

/// The .swift and .py files directly in `root`/`group` ("" : in `root` itself), by file name.
std::vector<CatalogEntry> list_folder(const std::filesystem::path& root, const std::string& group) {
    namespace fs = std::filesystem;
    std::vector<CatalogEntry> entries;
    std::error_code ec;
    const fs::path dir = group.empty() ? root : root / group;
    if (!fs::is_directory(dir, ec)) return entries;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        const std::string ext = p.extension().string();
        if (!it->is_regular_file(ec) || (ext != ".swift" && ext != ".py")) continue;
        CatalogEntry e;
        e.group = group;
        e.relative = group.empty() ? p.filename().string() : group + "/" + p.filename().string();
        e.path = (root / e.relative).string();
        e.title = read_scenario_title(p);
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const CatalogEntry& a, const CatalogEntry& b) { return a.relative < b.relative; });
    return entries;
}

}  // namespace

std::vector<CatalogEntry> list_scenarios(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    std::vector<CatalogEntry> all;
    auto take = [&](std::vector<CatalogEntry> entries) {
        for (auto& e : entries) all.push_back(std::move(e));
    };
    take(list_folder(root, ""));
    for (const std::string_view group : k_catalog_groups) take(list_folder(root, std::string(group)));
    // Any other folder, by name (hidden ones left out).
    std::vector<std::string> others;
    std::error_code ec;
    for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!it->is_directory(ec) || name.empty() || name[0] == '.') continue;
        if (std::find(std::begin(k_catalog_groups), std::end(k_catalog_groups), name) != std::end(k_catalog_groups)) continue;
        others.push_back(name);
    }
    std::sort(others.begin(), others.end());
    for (const std::string& name : others) take(list_folder(root, name));
    return all;
}

}  // namespace tasklab
