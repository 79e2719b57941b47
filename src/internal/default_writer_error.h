// The error every free function that logs to the calling thread's default
// writer returns when the thread has none.
#ifndef HPARAMS_INTERNAL_DEFAULT_WRITER_ERROR_H_
#define HPARAMS_INTERNAL_DEFAULT_WRITER_ERROR_H_

#include <string_view>

#include "absl/status/status.h"

namespace hp::internal {

// FailedPrecondition naming `function` (without the "hp::" prefix, e.g.
// "scalar", "hparams_config") and saying how to give the thread a default
// writer. Used by hp::scalar, hp::flush, hp::hparams_config, hp::hparams
// and hp::session_end alike, so a user meets one wording.
absl::Status no_default_writer_error(std::string_view function);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_DEFAULT_WRITER_ERROR_H_
