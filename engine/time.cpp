#include "time.hpp"

#include <cstdio>

namespace tasklab {

std::string format_time(Tick t) {
    const bool negative = t < 0;
    const std::uint64_t v = negative ? static_cast<std::uint64_t>(-t) : static_cast<std::uint64_t>(t);
    const std::uint64_t secs = v / 1'000'000'000u, frac = v % 1'000'000'000u;
    char buf[64];
    if (frac % 1'000'000u == 0)
        std::snprintf(buf, sizeof buf, "%s%llu.%03llus", negative ? "-" : "", static_cast<unsigned long long>(secs),
                      static_cast<unsigned long long>(frac / 1'000'000u));
    else if (frac % 1'000u == 0)
        std::snprintf(buf, sizeof buf, "%s%llu.%06llus", negative ? "-" : "", static_cast<unsigned long long>(secs),
                      static_cast<unsigned long long>(frac / 1'000u));
    else
        std::snprintf(buf, sizeof buf, "%s%llu.%09llus", negative ? "-" : "", static_cast<unsigned long long>(secs),
                      static_cast<unsigned long long>(frac));
    return buf;
}

std::string format_duration(Tick d) {
    struct Unit { Tick size; const char* name; };
    static constexpr Unit units[] = {{k_second, "s"}, {k_millisecond, "ms"}, {k_microsecond, "us"}, {k_nanosecond, "ns"}};
    if (d == 0) return "0s";
    for (const auto& u : units) {
        if (d % u.size == 0) return std::to_string(d / u.size) + u.name;
        if (d >= u.size && (d % u.size) * 10 % u.size == 0)  // (d * 10) % size, without overflow
            return std::to_string(d / u.size) + "." + std::to_string((d % u.size) * 10 / u.size) + u.name;
    }
    return std::to_string(d) + "ns";
}

}  // namespace tasklab
