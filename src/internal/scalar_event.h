// Hand encoder for the one event logged in hot loops: a scalar.
//
// Produces exactly the bytes protobuf's SerializeToString gives for
//   Event { wall_time, step, summary { value { tag, tensor { dtype: DT_FLOAT
//           tensor_shape {} float_val: [v] } metadata { plugin_data {
//           plugin_name: "scalars" } } } } }
// (metadata optional), without building messages, so that the caller's
// thread pays tens of nanoseconds instead of a protobuf round trip.
// scalar_event_test proves the byte equality.
#ifndef HPARAMS_INTERNAL_SCALAR_EVENT_H_
#define HPARAMS_INTERNAL_SCALAR_EVENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hp::internal {

// Upper bound on the framed record size for a tag of `tag_size` bytes.
inline constexpr size_t max_scalar_record_size(size_t tag_size) {
  // framing 16, wall_time 9, step 11, three (tag byte + 10-byte varint)
  // length prefixes 33, tensor 12, metadata 13.
  return 16 + 9 + 11 + 33 + 12 + 13 + tag_size;
}

// Exact size of the serialized Event.
size_t scalar_event_size(double wall_time, int64_t step, size_t tag_size, bool with_metadata);

// Writes the serialized Event to `dst`, which has room for scalar_event_size(...)
// bytes, and returns the bytes written.
size_t encode_scalar_event(char* dst, double wall_time, int64_t step, std::string_view tag, float value,
                    bool with_metadata);

// Writes the framed record (header, Event, footer) to `dst`, which has room
// for max_scalar_record_size(tag.size()) bytes, and returns the bytes written.
size_t encode_scalar_record(char* dst, double wall_time, int64_t step, std::string_view tag, float value,
                     bool with_metadata);

// Appends the framed record to `*out`.
void append_scalar_record(std::string* out, double wall_time, int64_t step, std::string_view tag, float value,
                   bool with_metadata);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_SCALAR_EVENT_H_
