// The scenario files of a folder, with the titles their `tasklab: title` directives give them:
// the bundled scenarios (a scenario directory's swift/, gcd/ and asyncio/ folders) or any
// folder of a teacher's own files, flat or one level of subfolders deep.
//
// Both `tasklab list` and the visualizer's picker list scenarios this way, so they agree on
// what is there and what each file is called. Titles are read from the comment lines near
// the top of each file; nothing is parsed or run.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tasklab {

/// One scenario file found in a scenario directory.
struct CatalogEntry {
    std::string group;     ///< the subfolder: "swift", "gcd", "asyncio", any other; "" for the folder itself
    std::string relative;  ///< relative to the directory listed: "swift/born_cancelled.swift"
    std::string path;      ///< the directory joined with `relative`
    std::string title;     ///< the `tasklab: title` text, "" when the file has none
};

/// The bundled folders, listed in this order before any other subfolder.
inline constexpr std::string_view k_catalog_groups[] = {"swift", "gcd", "actors", "asyncio"};

/// The text after `// tasklab: title` (or `# tasklab: title`) in the first lines of `file`,
/// or "" when there is none or the file cannot be read.
[[nodiscard]] std::string read_scenario_title(const std::filesystem::path& file);

/// The .swift and .py files of `root` itself, then of `root`/swift, `root`/gcd and
/// `root`/asyncio, then of its other subfolders by name (hidden ones left out); by file name
/// within a folder. Missing folders are skipped; deeper folders are not searched.
[[nodiscard]] std::vector<CatalogEntry> list_scenarios(const std::filesystem::path& root);

}  // namespace tasklab
