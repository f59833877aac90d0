// Element edits (model::ElementEdit): a caller's new value for one key of one element, read by
// the builder exactly as if the file had written it, so the key table, the units and the range
// checks are the file's own. See docs/model-format.md, "Element edits".
#pragma once

#include <span>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder.hpp"
#include "g2g/model/loader.hpp"

namespace g2g::model::detail {

// Finds each edit's element in the top-level component list of `document` (root at nodes[0],
// parameters already resolved), checks its key against the element type's section, and adds a
// value node for the builder to read in place of the written one (Document::edited). An unknown
// id or key, or an edit of `id` or `type`, goes to `diagnostics` with a did-you-mean.
void apply_element_edits(Document& document, std::span<const ElementEdit> edits,
                         core::DiagnosticList& diagnostics);

}  // namespace g2g::model::detail
