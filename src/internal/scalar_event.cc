// Wire-format encoding and decoding of scalar Events; field numbers from
// proto/hparams/*.proto.
#include "internal/scalar_event.h"

#include <cstring>
#include <string_view>

#include "internal/event_wire.h"
#include "internal/record_format.h"
#include "internal/varint.h"

namespace hp::internal {
namespace {

using namespace event_wire;  // NOLINT(google-build-using-namespace): the tags read as in the .proto

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

// --- Decoding -------------------------------------------------------------

namespace {

// TensorFlow's DataType numbers (summary.proto); experiment_view.cc checks
// them against the generated enum.
constexpr int kDtFloat = 1;
constexpr int kDtDouble = 2;

// A minimal reader of the protobuf wire format. Every method returns false
// on anything unexpected, so the caller falls back to the full decoder,
// which also reports malformed data.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool done() const { return p_ == end_; }

  bool varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      uint8_t byte = static_cast<uint8_t>(*p_++);
      v |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  // A field's key, split into its number and wire type.
  bool key(uint64_t* field, uint64_t* wire) {
    uint64_t key;
    if (!varint(&key)) return false;
    *field = key >> 3;
    *wire = key & 7;
    return true;
  }
  bool fixed32(uint32_t* out) {
    if (end_ - p_ < 4) return false;
    *out = decode_fixed32(p_);
    p_ += 4;
    return true;
  }
  bool fixed64(uint64_t* out) {
    if (end_ - p_ < 8) return false;
    *out = decode_fixed64(p_);
    p_ += 8;
    return true;
  }
  bool bytes(std::string_view* out) {
    uint64_t n;
    if (!varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

// One occurrence of a repeated float (Bits = uint32_t) or double (uint64_t)
// field, packed (wire type 2) or a single element: adds its elements to
// *count and keeps the first element of the field in *first, as the
// decoder's float_val / double_val would.
template <typename Bits, typename Number>
bool read_repeated_fixed(WireReader& r, uint64_t wire, int* count, Number* first) {
  static_assert(sizeof(Bits) == sizeof(Number), "bit pattern and number differ in size");
  Bits bits = 0;
  size_t n = 1;
  if (wire == 2) {
    std::string_view packed;
    if (!r.bytes(&packed) || packed.size() % sizeof(Bits) != 0) return false;
    n = packed.size() / sizeof(Bits);
    if (n > 0) {
      if constexpr (sizeof(Bits) == 4) {
        bits = decode_fixed32(packed.data());
      } else {
        bits = decode_fixed64(packed.data());
      }
    }
  } else {
    bool read;
    if constexpr (sizeof(Bits) == 4) {
      read = r.fixed32(&bits);
    } else {
      read = r.fixed64(&bits);
    }
    if (!read) return false;
  }
  if (n > 0 && *count == 0) std::memcpy(first, &bits, sizeof bits);
  *count += static_cast<int>(n);
  return true;
}

bool decode_tensor(std::string_view data, DecodedScalarValue* out) {
  WireReader r(data);
  while (!r.done()) {
    uint64_t field;
    uint64_t wire;
    if (!r.key(&field, &wire)) return false;
    std::string_view bytes;
    if (field == 1 && wire == 0) {
      uint64_t dtype;
      if (!r.varint(&dtype)) return false;
      // Truncated to 32 bits, as protobuf's parser stores an enum.
      out->parts.dtype = static_cast<int32_t>(static_cast<uint32_t>(dtype));
    } else if (field == 2 && wire == 2) {
      // Scalars have an empty shape; anything else goes to the full decoder,
      // which also validates it.
      if (!r.bytes(&bytes) || !bytes.empty()) return false;
    } else if (field == 4 && wire == 2) {
      if (!r.bytes(&out->parts.content)) return false;
    } else if (field == 5 && (wire == 2 || wire == 5)) {
      if (!read_repeated_fixed<uint32_t>(r, wire, &out->parts.float_count, &out->parts.first_float))
        return false;
    } else if (field == 6 && (wire == 2 || wire == 1)) {
      if (!read_repeated_fixed<uint64_t>(r, wire, &out->parts.double_count, &out->parts.first_double))
        return false;
    } else {
      return false;
    }
  }
  return true;
}

bool decode_value(std::string_view data, DecodedScalarValue* out) {
  WireReader r(data);
  while (!r.done()) {
    uint64_t field;
    uint64_t wire;
    if (!r.key(&field, &wire)) return false;
    if (field == 1 && wire == 2) {
      if (!r.bytes(&out->tag)) return false;
      // proto3 strings must be UTF-8; leave anything but ASCII to protobuf.
      for (char c : out->tag) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
      }
    } else if (field == 2 && wire == 5 && !out->tensor) {
      uint32_t bits;
      if (!r.fixed32(&bits)) return false;
      std::memcpy(&out->simple_value, &bits, 4);
      out->simple = true;
    } else if (field == 8 && wire == 2 && !out->simple && !out->tensor) {
      std::string_view tensor;
      if (!r.bytes(&tensor) || !decode_tensor(tensor, out)) return false;
      out->tensor = true;
    } else {
      return false;  // metadata, node_name, a second value: the full decoder
    }
  }
  return true;
}

}  // namespace

std::optional<double> tensor_scalar(const TensorScalarParts& t) {
  switch (t.dtype) {
    case kDtFloat:
      if (t.content.size() == sizeof(float)) {
        uint32_t bits = decode_fixed32(t.content.data());
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return static_cast<double>(f);
      }
      if (t.content.empty() && t.float_count == 1) return static_cast<double>(t.first_float);
      return std::nullopt;
    case kDtDouble:
      if (t.content.size() == sizeof(double)) {
        uint64_t bits = decode_fixed64(t.content.data());
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
      if (t.content.empty() && t.double_count == 1) return t.first_double;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool decode_scalar_event(std::string_view event, DecodedScalarEvent* out) {
  WireReader r(event);
  uint64_t wall_bits = 0;
  uint64_t step = 0;
  std::string_view summary;
  bool has_summary = false;
  while (!r.done()) {
    uint64_t key;
    if (!r.varint(&key)) return false;
    if (key == (1 << 3 | 1)) {
      if (!r.fixed64(&wall_bits)) return false;
    } else if (key == (2 << 3 | 0)) {
      if (!r.varint(&step)) return false;
    } else if (key == (5 << 3 | 2) && !has_summary) {
      if (!r.bytes(&summary)) return false;
      has_summary = true;
    } else {
      return false;
    }
  }
  if (!has_summary) return false;
  *out = DecodedScalarEvent();
  WireReader s(summary);
  while (!s.done()) {
    uint64_t key;
    std::string_view value;
    if (!s.varint(&key) || key != (1 << 3 | 2) || !s.bytes(&value) ||
        out->count == DecodedScalarEvent::kMaxValues) {
      return false;
    }
    if (!decode_value(value, &out->values[out->count++])) return false;
  }
  std::memcpy(&out->wall_time, &wall_bits, 8);
  out->step = static_cast<int64_t>(step);
  return true;
}

}  // namespace hp::internal
