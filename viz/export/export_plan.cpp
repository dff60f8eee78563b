// Export ranges, frames and file names (see export_plan.hpp).
#include "export_plan.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace tasklab::viz {

namespace {

bool parse_number(std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<RangeText> parse_step_range(std::string_view text, std::string& error) {
    RangeText r;
    const auto dots = text.find("..");
    if (dots == std::string_view::npos) {
        std::uint64_t n = 0;
        if (!parse_number(text, n)) {
            error = "a step range is A..B, A.. or ..B (steps are whole numbers), not \"" + std::string(text) + "\"";
            return std::nullopt;
        }
        r.first = n;
        r.last = n;
        return r;
    }
    const std::string_view a = text.substr(0, dots), b = text.substr(dots + 2);
    std::uint64_t n = 0;
    if ((!a.empty() && !parse_number(a, r.first)) || (!b.empty() && !parse_number(b, n)) || (a.empty() && b.empty())) {
        error = "a step range is A..B, A.. or ..B (steps are whole numbers), not \"" + std::string(text) + "\"";
        return std::nullopt;
    }
    if (!b.empty()) r.last = n;
    if (r.last && r.first > *r.last) {
        error = "the range " + std::string(text) + " starts after it ends (A > B)";
        return std::nullopt;
    }
    return r;
}

ResolvedRange resolve_step_range(const RangeText& text, std::uint64_t total_steps) {
    ResolvedRange out;
    if (text.first > total_steps) {
        out.error = "the range starts at step " + std::to_string(text.first) + " but the run ends at step " +
                    std::to_string(total_steps);
        return out;
    }
    std::uint64_t last = text.last.value_or(total_steps);
    if (last > total_steps) {
        out.note = "the run ends at step " + std::to_string(total_steps) + ": exporting steps " +
                   std::to_string(text.first) + ".." + std::to_string(total_steps);
        last = total_steps;
    }
    out.range = StepRange{text.first, last};
    return out;
}

std::vector<std::uint64_t> frame_steps(StepRange range, FrameUnit unit, const std::vector<Tick>& time_after_step) {
    std::vector<std::uint64_t> steps;
    if (range.first > range.last) return steps;
    if (unit == FrameUnit::step || time_after_step.empty()) {
        for (std::uint64_t k = range.first;; ++k) {
            steps.push_back(k);
            if (k == range.last) break;
        }
        return steps;
    }
    const std::uint64_t last = std::min<std::uint64_t>(range.last, time_after_step.size() - 1);
    for (std::uint64_t k = range.first; k <= last; ++k)
        if (k == last || time_after_step[k + 1] != time_after_step[k]) steps.push_back(k);
    return steps;
}

std::string frame_file_name(std::uint64_t step, std::uint64_t total_steps, std::string_view extension) {
    const std::size_t digits = std::max<std::size_t>(4, std::to_string(total_steps).size());
    std::string n = std::to_string(step);
    if (n.size() < digits) n.insert(0, digits - n.size(), '0');
    return "step-" + n + std::string(extension);
}

std::filesystem::path unique_path(const std::filesystem::path& dir, std::string_view stem, std::string_view extension) {
    std::error_code ec;
    std::filesystem::path p = dir / (std::string(stem) + std::string(extension));
    for (unsigned n = 2; std::filesystem::exists(p, ec) || std::filesystem::is_symlink(p, ec); ++n)
        p = dir / (std::string(stem) + "-" + std::to_string(n) + std::string(extension));
    return p;
}

StepRange breakpoint_range(const std::vector<std::uint64_t>& hit_steps, std::uint64_t cursor, std::uint64_t total_steps) {
    StepRange r{0, total_steps};
    for (const std::uint64_t h : hit_steps) {
        if (h == 0) continue;
        if (h < cursor) r.first = std::max(r.first, h);
        else {
            r.last = std::min(r.last, h);
            break;
        }
    }
    return r;
}

}  // namespace tasklab::viz
