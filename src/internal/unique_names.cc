// Validating lists of hparams and metrics, and the "appears twice" error.
#include "internal/unique_names.h"

#include <set>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hp::internal {
namespace {

template <typename Item, typename KeyOf>
absl::Status validate_each_once_by(const std::vector<Item>& items, std::string_view kind, std::string_view list,
                                   KeyOf key_of) {
  std::set<std::invoke_result_t<KeyOf, const Item&>> seen;
  for (const Item& item : items) {
    if (absl::Status s = item.validate(); !s.ok()) return s;
    if (!seen.insert(key_of(item)).second) return appears_twice_error(kind, describe_item(item), list);
  }
  return absl::OkStatus();
}

}  // namespace

std::string describe_item(const HParam& hparam) { return absl::StrCat("hparam '", hparam.name(), "'"); }

std::string describe_item(const Metric& metric) {
  return absl::StrCat("metric '", metric.tag(), "' (group '", metric.group(), "')");
}

absl::Status appears_twice_error(std::string_view kind, std::string_view what, std::string_view list,
                                 std::string_view detail) {
  const auto view = [](std::string_view s) { return absl::string_view(s.data(), s.size()); };
  return absl::InvalidArgumentError(absl::StrCat(view(what), " appears twice in ", view(list),
                                                 detail.empty() ? "" : " (", view(detail), detail.empty() ? "" : ")",
                                                 "; give each ", view(kind), " once"));
}

absl::Status validate_each_once(const std::vector<HParam>& hparams, std::string_view list) {
  return validate_each_once_by(hparams, "hparam", list, [](const HParam& h) { return std::string_view(h.name()); });
}

absl::Status validate_each_once(const std::vector<Metric>& metrics, std::string_view list) {
  return validate_each_once_by(metrics, "metric", list, [](const Metric& m) {
    return std::pair<std::string_view, std::string_view>(m.group(), m.tag());
  });
}

}  // namespace hp::internal
