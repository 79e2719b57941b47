// Deterministic protobuf serialization for everything the library writes.
#include "internal/serialize_deterministic.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace hp::internal {

std::string serialize_deterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    // The streams flush into `out` when they go out of scope.
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace hp::internal
