// Unicode character names for the Python front end's `\N{…}` escapes.
//
// The names of the blocks scenario text uses (letters with accents, punctuation such as EM
// DASH, arrows, mathematical and technical symbols, box drawing, shapes, dingbats, kana and
// the emoji blocks) come from a table generated from Unicode 14.0, the version CPython 3.11
// uses (scenarios/tools/gen_unicode_names.py). Hangul syllables and CJK unified ideographs are
// named by Unicode's rules. Lookup ignores case, as CPython's does.
#pragma once

#include <cstdint>
#include <string_view>

namespace tasklab::python {

/// The code point named `name`, or false when tasklab does not know the name.
bool unicode_lookup(std::string_view name, std::uint32_t& code_point);

}  // namespace tasklab::python
