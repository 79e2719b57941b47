// The one check behind every list of hparams or metrics a user passes, and
// the one wording for a name given twice:
//   hparam 'dropout' appears twice in the config; give each hparam once
//   metric 'loss' (group 'validation') appears twice in the config; give each metric once
//   hparam 'units' appears twice in the trial (16, then 32); give each hparam once
//
// Defined in hparam.cc, beside HParam::validate() and Metric::validate(),
// which it calls; this header only declares the types, so that hparam.cc
// including it makes no include cycle.
#ifndef HPARAMS_INTERNAL_VALIDATE_EACH_ONCE_H_
#define HPARAMS_INTERNAL_VALIDATE_EACH_ONCE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "hparams/export.h"

// Declared with the public headers' visibility, whichever comes first.
HPARAMS_EXPORT_BEGIN
namespace hp {
class HParam;
class Metric;
}  // namespace hp
HPARAMS_EXPORT_END

namespace hp::internal {

// How errors name one item: "hparam 'dropout'", "metric 'loss' (group 'validation')".
std::string describe_item(const HParam& hparam);
std::string describe_item(const Metric& metric);

// InvalidArgument: `what` (as describe_item() words it) appears twice in
// `list` ("the config", "the trial"); a non-empty `detail` (the two values)
// follows in parentheses; `kind` ("hparam", "metric") is what to give once.
absl::Status appears_twice_error(std::string_view kind, std::string_view what, std::string_view list,
                                 std::string_view detail = {});

// OK when each item is valid (its validate()) and no two share a name (for
// metrics, a group and tag); otherwise the first invalid item's error or
// appears_twice_error() for the first repeat. `list` names the list in the
// error: "the config", "the search space".
absl::Status validate_each_once(const std::vector<HParam>& hparams, std::string_view list);
absl::Status validate_each_once(const std::vector<Metric>& metrics, std::string_view list);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_VALIDATE_EACH_ONCE_H_
