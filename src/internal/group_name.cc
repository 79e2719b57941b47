// Python's canonical json.dumps and the SHA-256 group name built from it.
#include "internal/group_name.h"

#include <algorithm>
#include <cstdint>

#include "internal/sha256.h"

namespace hp::internal {

std::string canonical_json(std::vector<std::pair<std::string, Value>> by_name) {
  std::sort(by_name.begin(), by_name.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = "{";
  for (size_t i = 0; i < by_name.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(python_json_string(by_name[i].first));
    out.push_back(':');
    out.append(by_name[i].second.json());
  }
  out.push_back('}');
  return out;
}

std::string derive_group_name(std::vector<std::pair<std::string, Value>> by_name) {
  return sha256_hex(canonical_json(std::move(by_name)));
}

}  // namespace hp::internal
