#include "g2g/model/edits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace g2g::model::detail {

namespace {

// A component written in the top-level list: its map node and its type's section.
struct Written {
  std::uint32_t map = 0;
  const SectionInfo* section = nullptr;  // null: no or unknown type (the builder reports it)
};

std::uint32_t child_with_key(const Document& document, std::uint32_t map, std::string_view key) {
  for (const std::uint32_t c : Children(document, map))
    if (document.nodes[c].key_str() == key) return c;
  return document.nodes[map].end;  // none
}

}  // namespace

void apply_element_edits(Document& document, std::span<const ElementEdit> edits,
                         core::DiagnosticList& diagnostics) {
  if (edits.empty() || document.nodes.empty() || document.nodes[0].type != NodeType::map) return;
  const auto& nodes = document.nodes;
  const std::uint32_t components = child_with_key(document, 0, "components");
  std::unordered_map<std::string_view, std::vector<Written>> by_id;
  std::vector<std::string_view> ids;
  if (components < nodes[0].end && nodes[components].type == NodeType::seq) {
    for (const std::uint32_t item : Children(document, components)) {
      if (nodes[item].type != NodeType::map) continue;
      const std::uint32_t id = child_with_key(document, item, "id");
      const std::uint32_t type = child_with_key(document, item, "type");
      if (id == nodes[item].end) continue;
      const SectionInfo* section = nullptr;
      if (type != nodes[item].end && nodes[type].type == NodeType::string)
        section = find_section(nodes[type].str());
      if (section != nullptr && !section->component) section = nullptr;
      auto& entries = by_id[nodes[id].str()];
      if (entries.empty()) ids.push_back(nodes[id].str());
      entries.push_back({item, section});
    }
  }

  // An edit's problems are placed at the element when it is found, else at the file.
  const core::SourceLocation file_location{document.file(), 0, 0};
  for (const ElementEdit& edit : edits) {
    const std::string what = fmt::format("edit of '{}'", edit.id);
    const auto found = by_id.find(edit.id);
    if (found == by_id.end()) {
      const bool generated = edit.id.find_first_of("/[") != std::string::npos;
      diagnostics.error(
          file_location,
          fmt::format("{}: no element '{}' in the model's component list", what, edit.id),
          generated ? std::string("an element made by a template is edited in the template (or "
                                  "through a parameter), not one copy at a time")
                    : did_you_mean(edit.id, ids, "give the id of a component of the model"));
      continue;
    }
    for (const Written& element : found->second) {
      if (element.section == nullptr) continue;  // its type is reported by the builder
      const core::SourceLocation where = document.location(nodes[element.map]);
      const std::size_t key = element.section->index_of(edit.key);
      if (key == element.section->keys.size()) {
        std::vector<std::string_view> names;
        for (const auto& k : element.section->keys) names.push_back(k.name);
        auto problem =
            core::unknown_key(what, edit.key, names, fmt::format("a {}", element.section->name));
        diagnostics.error(where, std::move(problem.message), std::move(problem.fix));
        continue;
      }
      const std::string_view name = element.section->keys[key].name;
      if (name == "id" || name == "type") {
        diagnostics.error(where,
                          fmt::format("{}: an edit cannot change an element's {}", what, name),
                          "edit the model file, or load another model");
        continue;
      }
      // The value node, placed where the element is written so that a message about the value
      // points at the element.
      const auto index = static_cast<std::uint32_t>(document.nodes.size());
      Node value;
      value.text = document.keep(edit.value);
      value.text_size = static_cast<std::uint32_t>(edit.value.size());
      value.key = name.data();
      value.key_size = Node::key_length(name.size());
      value.type = classify_plain_scalar(edit.value);
      if (value.type == NodeType::boolean)
        value.boolean = edit.value.front() == 't' || edit.value.front() == 'T';
      value.end = index + 1;
      document.nodes.push_back(value);
      if (!document.positions.empty())
        document.positions.push_back(document.positions[element.map]);
      if (!document.offsets.empty()) document.offsets.push_back(document.offsets[element.map]);
      // A later edit of the same key replaces an earlier one.
      std::erase_if(document.edited, [&](const Document::EditedValue& e) {
        return e.map == element.map && e.key == name;
      });
      document.edited.push_back({element.map, name, index});
    }
  }
  std::stable_sort(document.edited.begin(), document.edited.end(),
                   [](const auto& a, const auto& b) { return a.map < b.map; });
}

}  // namespace g2g::model::detail
