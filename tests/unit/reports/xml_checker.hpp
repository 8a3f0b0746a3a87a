// A small strict XML 1.0 reader for the tests: enough of the grammar to
// prove that render_junit's output is well-formed (valid UTF-8, only XML
// characters, balanced tags, quoted unique attributes, known entity
// references, no "]]>" in text) and to read it back as a tree.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace acmespec::reports::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values decoded
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;  // decoded character data directly inside, concatenated

  std::string attr(const std::string& key) const {
    const auto it = attributes.find(key);
    if (it == attributes.end()) throw std::runtime_error("<" + name + "> has no attribute " + key);
    return it->second;
  }
  std::vector<const XmlElement*> all(std::string_view child_name) const {
    std::vector<const XmlElement*> out;
    for (const auto& c : children)
      if (c->name == child_name) out.push_back(c.get());
    return out;
  }
};

// Parses a whole document; throws std::runtime_error naming the byte offset
// of the first violation.
std::unique_ptr<XmlElement> parse_xml(std::string_view document);

}  // namespace acmespec::reports::testing
