// How Swift prints values: `print`, string interpolation, `String(describing:)`,
// `String(reflecting:)` (used in the top-level error message), and the Double formatting of
// the Swift runtime (shortest round-trip digits, exponential form beyond 2^53 or below 1e-4).
#pragma once

#include <string>

#include "engine/interp/swift/value.hpp"

namespace tasklab::interp {

enum class Style : std::uint8_t {
    describing,  ///< print / "\(x)": strings unquoted at the top level
    debug,       ///< inside collections and Optional(…): strings quoted and escaped
    reflecting,  ///< String(reflecting:): debug plus module-qualified type names ("main.MyError()")
};

/// The text Swift produces for `v` in the given style.
std::string describe(const Value& v, Style style = Style::describing);
/// Swift's Double description: "1.0", "0.1", "1e-05", "1e+20", "inf", "nan".
std::string format_double(double d);
/// A string literal as Swift's debugDescription writes it: quoted, with escapes.
std::string quote_string(const std::string& s);
/// `error.localizedDescription` as Foundation on Darwin gives it.
std::string localized_description(const Value& error);
/// Cuts a UTF-8 string to about `n` bytes without splitting a code point (an ellipsis ends it).
std::string clip(std::string s, std::size_t n);

}  // namespace tasklab::interp
