// The one way the library serializes a protobuf message it writes.
#ifndef HPARAMS_INTERNAL_SERIALIZE_DETERMINISTIC_H_
#define HPARAMS_INTERNAL_SERIALIZE_DETERMINISTIC_H_

#include <string>

#include "google/protobuf/message_lite.h"

namespace hp::internal {

// The wire bytes of `message` with map entries in key order (protobuf's
// deterministic mode), so equal messages give equal bytes: event files are
// reproducible and golden tests can compare bytes. Computes the sizes
// itself; the caller need not call ByteSizeLong() first.
std::string serialize_deterministic(const google::protobuf::MessageLite& message);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_SERIALIZE_DETERMINISTIC_H_
