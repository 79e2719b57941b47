// Wire-format encoding of scalar Events; field numbers from proto/hparams/*.proto.
#include "internal/scalar_event.h"

#include <cstring>

#include "internal/record_format.h"
#include "internal/varint.h"

namespace hp::internal {
namespace {

// Wire tags: (field_number << 3) | wire_type.
constexpr char kEventWallTime = 0x09;   // Event.wall_time = 1, fixed64
constexpr char kEventStep = 0x10;       // Event.step = 2, varint
constexpr char kEventSummary = 0x2A;    // Event.summary = 5, length-delimited
constexpr char kSummaryValue = 0x0A;    // Summary.value = 1
constexpr char kValueTag = 0x0A;        // Value.tag = 1
constexpr char kValueTensor = 0x42;     // Value.tensor = 8
constexpr char kValueMetadata = 0x4A;   // Value.metadata = 9

// TensorProto { dtype: DT_FLOAT (08 01), tensor_shape {} (12 00),
// float_val packed (2a 04) } followed by the 4 float bytes.
constexpr char kTensorPrefix[] = {0x08, 0x01, 0x12, 0x00, 0x2A, 0x04};
constexpr size_t kTensorBytes = sizeof(kTensorPrefix) + 4;
// SummaryMetadata { plugin_data { plugin_name: "scalars" } }; the empty
// ScalarPluginData content serializes to nothing.
constexpr char kMetadata[] = {0x0A, 0x09, 0x0A, 0x07, 's', 'c', 'a', 'l', 'a', 'r', 's'};

inline size_t value_size(size_t tag_size, bool with_metadata) {
  size_t n = 1 + varint_size(tag_size) + tag_size + 2 + kTensorBytes;
  if (with_metadata) n += 2 + sizeof(kMetadata);
  return n;
}

inline uint64_t wall_bits(double wall_time) {
  uint64_t bits;
  std::memcpy(&bits, &wall_time, sizeof(bits));
  return bits;
}

}  // namespace

size_t scalar_event_size(double wall_time, int64_t step, size_t tag_size, bool with_metadata) {
  const size_t value = value_size(tag_size, with_metadata);
  const size_t summary = 1 + varint_size(value) + value;
  size_t n = 1 + varint_size(summary) + summary;
  // proto3 leaves out fields at their default; for doubles that means all
  // bits zero, so -0.0 is written.
  if (wall_bits(wall_time) != 0) n += 9;
  if (step != 0) n += 1 + varint_size(static_cast<uint64_t>(step));
  return n;
}

size_t encode_scalar_event(char* dst, double wall_time, int64_t step, std::string_view tag, float value,
                    bool with_metadata) {
  char* p = dst;
  const uint64_t bits = wall_bits(wall_time);
  if (bits != 0) {
    *p++ = kEventWallTime;
    encode_fixed64(p, bits);
    p += 8;
  }
  if (step != 0) {
    *p++ = kEventStep;
    p = put_varint(p, static_cast<uint64_t>(step));  // negative steps take 10 bytes, as in protobuf
  }
  const size_t value_len = value_size(tag.size(), with_metadata);
  const size_t summary_len = 1 + varint_size(value_len) + value_len;
  *p++ = kEventSummary;
  p = put_varint(p, summary_len);
  *p++ = kSummaryValue;
  p = put_varint(p, value_len);
  *p++ = kValueTag;
  p = put_varint(p, tag.size());
  std::memcpy(p, tag.data(), tag.size());
  p += tag.size();
  *p++ = kValueTensor;
  *p++ = static_cast<char>(kTensorBytes);
  std::memcpy(p, kTensorPrefix, sizeof(kTensorPrefix));
  p += sizeof(kTensorPrefix);
  uint32_t float_bits;
  std::memcpy(&float_bits, &value, sizeof(float_bits));
  encode_fixed32(p, float_bits);
  p += 4;
  if (with_metadata) {
    *p++ = kValueMetadata;
    *p++ = static_cast<char>(sizeof(kMetadata));
    std::memcpy(p, kMetadata, sizeof(kMetadata));
    p += sizeof(kMetadata);
  }
  return static_cast<size_t>(p - dst);
}

namespace {

// Header and footer around an Event already at dst + kRecordHeaderBytes.
inline size_t frame_in_place(char* dst, size_t n) {
  char* data = dst + kRecordHeaderBytes;
  encode_record_header(dst, n);
  encode_record_footer(data + n, data, n);
  return kRecordOverheadBytes + n;
}

#if defined(HP_CRC32C_SMALL_X86)
// The same framing with the crc32 instruction inlined. Compiled for SSE4.2
// regardless of the build's -m flags (the default build targets baseline
// x86-64) and chosen at run time.
__attribute__((target("sse4.2"))) size_t frame_in_place_sse42(char* dst, size_t n) {
  char* data = dst + kRecordHeaderBytes;
  encode_fixed64(dst, n);
  encode_fixed32(dst + kRecordLengthBytes,
                                crc32c_mask(crc32c_extend_small_sse42(0, dst, kRecordLengthBytes)));
  encode_fixed32(data + n, crc32c_mask(crc32c_extend_small_sse42(0, data, n)));
  return kRecordOverheadBytes + n;
}

// Read once at start-up; false (the generic path) until then, which is
// correct too.
const bool g_small_crc_hardware = crc32c_hardware_available();
#endif

}  // namespace

size_t encode_scalar_record(char* dst, double wall_time, int64_t step, std::string_view tag, float value,
                     bool with_metadata) {
  const size_t n = encode_scalar_event(dst + kRecordHeaderBytes, wall_time, step, tag, value, with_metadata);
#if defined(HP_CRC32C_SMALL_X86)
  if (g_small_crc_hardware) return frame_in_place_sse42(dst, n);
#endif
  return frame_in_place(dst, n);
}

void append_scalar_record(std::string* out, double wall_time, int64_t step, std::string_view tag, float value,
                   bool with_metadata) {
  const size_t start = out->size();
  out->resize(start + max_scalar_record_size(tag.size()));
  const size_t n = encode_scalar_record(&(*out)[start], wall_time, step, tag, value, with_metadata);
  out->resize(start + n);
}

}  // namespace hp::internal
