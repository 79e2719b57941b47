// Hand encoder for the one event logged in hot loops: a scalar.
//
// Produces exactly the bytes protobuf's SerializeToString gives for
//   Event { wall_time, step, summary { value { tag, tensor { dtype: DT_FLOAT
//           tensor_shape {} float_val: [v] } metadata { plugin_data {
//           plugin_name: "scalars" } } } } }
// (metadata optional), without building messages, so that the caller's
// thread pays tens of nanoseconds instead of a protobuf round trip.
// scalar_event_test proves the byte equality.
//
// Beside it, its decoder: the reader's fast path for the same events (and
// for legacy simple_value ones), which skips protobuf for most of a large
// logdir.
#ifndef HPARAMS_INTERNAL_SCALAR_EVENT_H_
#define HPARAMS_INTERNAL_SCALAR_EVENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
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

// --- Decoding -------------------------------------------------------------

// What a scalar tensor holds, as TensorBoard's
// tensor_util.make_ndarray(...).item() reads it: 4 (DT_FLOAT) or 8
// (DT_DOUBLE) little-endian bytes of tensor_content, or else exactly one
// float_val / double_val (only the first of each is kept, with the count).
// Shared by the protobuf path and decode_scalar_event, which must agree.
struct TensorScalarParts {
  int dtype = 0;
  std::string_view content;
  int float_count = 0;
  float first_float = 0;
  int double_count = 0;
  double first_double = 0;
};

// The single number `t` holds; nullopt when it holds none.
std::optional<double> tensor_scalar(const TensorScalarParts& t);

// One Summary.Value of a plain scalar event: a tag and a simple_value or a
// scalar-shaped tensor, no metadata.
struct DecodedScalarValue {
  std::string_view tag;
  bool simple = false;  // simple_value set
  float simple_value = 0;
  bool tensor = false;  // tensor set
  TensorScalarParts parts;
};

// A serialized Event holding only wall_time, step and up to four such values.
struct DecodedScalarEvent {
  static constexpr int kMaxValues = 4;
  double wall_time = 0;
  int64_t step = 0;
  DecodedScalarValue values[kMaxValues];
  int count = 0;
};

// Decodes `event` (a serialized Event) when it is such a plain scalar event;
// false for anything else (metadata, other fields, malformed or non-ASCII
// tags), which the caller hands to the full protobuf decoder. The views in
// `out` point into `event`.
bool decode_scalar_event(std::string_view event, DecodedScalarEvent* out);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_SCALAR_EVENT_H_
