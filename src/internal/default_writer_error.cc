// The "no default writer" error, worded once.
#include "internal/default_writer_error.h"

#include "absl/strings/str_cat.h"

namespace hp::internal {

absl::Status no_default_writer_error(std::string_view function) {
  return absl::FailedPreconditionError(absl::StrCat(
      "hp::", absl::string_view(function.data(), function.size()),
      "() needs a default writer and this thread has none: hold `auto scope = writer->as_default();` "
      "(or trial.as_default()) on this thread while logging, or call the writer's method instead"));
}

}  // namespace hp::internal
