// Session group names as TensorBoard's Python summary_v2 derives them:
// lowercase hex SHA-256 of UTF-8(json.dumps(hparams, sort_keys=True,
// separators=(",", ":"))) with json's defaults ensure_ascii=True and
// allow_nan=True.
#ifndef HPARAMS_INTERNAL_GROUP_NAME_H_
#define HPARAMS_INTERNAL_GROUP_NAME_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/value.h"
#include "internal/utf8_json.h"

// Declared with the public headers' visibility, whichever comes first.
HPARAMS_EXPORT_BEGIN
namespace hp {
class HParams;
}  // namespace hp
HPARAMS_EXPORT_END

namespace hp::internal {

// The canonical object: keys sorted by code point (= UTF-8 byte order), no
// spaces, values as Value::json() writes them. Requires unique, valid UTF-8 names and string values.
std::string canonical_json(std::vector<std::pair<std::string, Value>> by_name);

// sha256_hex(canonical_json(by_name)).
std::string derive_group_name(std::vector<std::pair<std::string, Value>> by_name);

// The session group name hp.hparams() records: `trial_id` when given (it
// must be UTF-8), otherwise derive_group_name() of the trial. Requires
// hparams.validate() to have passed. Defined in hparams_summary.cc, beside
// hp::group_name(): defining it here would make this file include
// hparam.h, which hparam.cc's use of is_valid_utf8() would close into a
// cycle.
absl::StatusOr<std::string> session_group_name(const HParams& hparams, std::optional<std::string> trial_id);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_GROUP_NAME_H_
