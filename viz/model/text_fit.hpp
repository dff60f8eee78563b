// Fitting a label into a width: cut at a code point, end with "…", so a cut label says so.
//
// Lane names, log cells and status lines are drawn into fixed widths. A label that does not fit
// is cut between whole UTF-8 code points (never inside Korean text or an emoji) and ends with
// "…"; the panel then shows the whole text in a tooltip on hover. The measuring is passed in,
// so this stays pure (no ImGui) and testable; the panels pass ImFont::CalcTextSizeA.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace tasklab::viz {

/// Measures the width in pixels of a piece of text.
using MeasureText = std::function<float(std::string_view)>;

/// A label fitted into a width.
struct FittedText {
    std::string text;  ///< the label, or its longest prefix that fits followed by "…"
    bool cut = false;  ///< true when the label was shortened
};

/// `label` as it fits into `max_width` (measured by `measure`): whole when it fits, else its
/// longest prefix of whole code points (trailing spaces dropped) followed by "…"; just "…" when
/// not even one code point fits.
[[nodiscard]] FittedText fit_text(std::string_view label, float max_width, const MeasureText& measure);

}  // namespace tasklab::viz
