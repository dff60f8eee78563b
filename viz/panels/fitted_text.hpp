// Labels that fit their cell: cut with "…" and whole in a tooltip (viz/model/text_fit.hpp).
#pragma once

#include <string_view>

#include <imgui.h>

#include "viz/model/text_fit.hpp"

namespace tasklab::viz {

/// `text` (already Theme::shown) fitted to `max_width` pixels in `font` at `size`.
[[nodiscard]] FittedText fit_to_width(ImFont* font, float size, std::string_view text, float max_width);

/// Draws `text` (already Theme::shown) as ImGui::TextUnformatted into the width left on the
/// current line or table cell (or `width` when given); when it does not fit, it is cut with "…"
/// and hovering it shows the whole text. Returns true when the text was cut.
bool fitted_text(std::string_view text, float width = -1.0f);

}  // namespace tasklab::viz
