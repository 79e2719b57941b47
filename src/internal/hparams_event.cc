// Wire-format encoding of the hparams session-start Event; field numbers
// from proto/hparams/{event,summary,hparams_plugin_data}.proto and
// google/protobuf/struct.proto.
#include "internal/hparams_event.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/container/inlined_vector.h"
#include "hparams/summary.h"
#include "internal/event_wire.h"
#include "internal/record_format.h"
#include "internal/varint.h"

namespace hp::internal {
namespace {

using namespace event_wire;  // NOLINT(google-build-using-namespace): the tags read as in the .proto

// Wire tags: (field_number << 3) | wire_type.
constexpr char kMetadataPluginData = 0x0A;  // SummaryMetadata.plugin_data = 1
constexpr char kPluginName = 0x0A;          // PluginData.plugin_name = 1
constexpr char kPluginContent = 0x12;       // PluginData.content = 2
constexpr char kDataSessionStart = 0x1A;    // HParamsPluginData.session_start_info = 3
constexpr char kStartHParams = 0x0A;        // SessionStartInfo.hparams = 1 (map entry)
constexpr char kStartGroupName = 0x22;      // SessionStartInfo.group_name = 4
constexpr char kStartTime = 0x29;           // SessionStartInfo.start_time_secs = 5, fixed64
constexpr char kMapKey = 0x0A;              // map entry key = 1
constexpr char kMapValue = 0x12;            // map entry value = 2
constexpr char kNumberValue = 0x11;         // google.protobuf.Value.number_value = 2, fixed64
constexpr char kStringValue = 0x1A;         // google.protobuf.Value.string_value = 3
constexpr char kBoolValue = 0x20;           // google.protobuf.Value.bool_value = 4, varint
// TensorProto { dtype: DT_FLOAT, tensor_shape { dim {} } }: shape [0].
constexpr char kNullTensor[] = {0x08, 0x01, 0x12, 0x02, 0x12, 0x00};

// A length-delimited field of `body` bytes: tag, length, body.
inline size_t field_size(size_t body) { return 1 + varint_size(body) + body; }

inline uint64_t double_bits(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return bits;
}

// One NaN bit pattern, Python's, whatever NaN the caller computed (as
// hparams_pb does).
inline double number_of(const Value& v) {
  const double d = v.as_double();
  return std::isnan(d) ? std::numeric_limits<double>::quiet_NaN() : d;
}

// google.protobuf.Value body. A oneof member is written even at its default.
inline size_t value_body_size(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      return 2;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return 9;
    case Value::Kind::kString:
      return field_size(v.as_string().size());
  }
  return 0;
}

inline size_t entry_body_size(const HParams::Entry& e) {
  // Map entries always carry both key and value.
  return field_size(e.name().size()) + field_size(value_body_size(e.value()));
}

class Out {
 public:
  explicit Out(char* p) : p_(p) {}
  void byte(char c) { *p_++ = c; }
  void varint(uint64_t v) { p_ = put_varint(p_, v); }
  void bytes(const void* data, size_t n) {
    if (n > 0) std::memcpy(p_, data, n);
    p_ += n;
  }
  void fixed64(uint64_t v) {
    encode_fixed64(p_, v);
    p_ += 8;
  }
  void header(char tag, size_t body) {
    byte(tag);
    varint(body);
  }
  void string_field(char tag, std::string_view s) {
    header(tag, s.size());
    bytes(s.data(), s.size());
  }
  char* position() const { return p_; }

 private:
  char* p_;
};

}  // namespace

std::string encode_hparams_record(const HParams& hparams, std::string_view group_name, double start_time_secs,
                                  double wall_time) {
  // Map entries in name order, as deterministic serialization sorts them.
  absl::InlinedVector<const HParams::Entry*, 8> sorted;
  sorted.reserve(hparams.size());
  for (const HParams::Entry& e : hparams) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(),
            [](const HParams::Entry* a, const HParams::Entry* b) { return a->name() < b->name(); });

  // Sizes, innermost first.
  size_t start_info = 0;
  for (const HParams::Entry* e : sorted) start_info += field_size(entry_body_size(*e));
  if (!group_name.empty()) start_info += field_size(group_name.size());
  const uint64_t start_bits = double_bits(start_time_secs);
  if (start_bits != 0) start_info += 9;
  const size_t content = field_size(start_info);
  constexpr size_t kPluginNameBytes = sizeof(kHParamsPluginName) - 1;
  const size_t plugin_data = field_size(kPluginNameBytes) + field_size(content);
  const size_t metadata = field_size(plugin_data);
  constexpr size_t kTagBytes = sizeof(kSessionStartInfoTag) - 1;
  const size_t value = field_size(kTagBytes) + field_size(sizeof(kNullTensor)) + field_size(metadata);
  const size_t summary = field_size(value);
  const uint64_t wall_bits = double_bits(wall_time);
  const size_t event = (wall_bits != 0 ? 9 : 0) + field_size(summary);

  std::string record(kRecordOverheadBytes + event, '\0');
  char* const data = record.data() + kRecordHeaderBytes;
  Out out(data);
  if (wall_bits != 0) {
    out.byte(kEventWallTime);
    out.fixed64(wall_bits);
  }
  out.header(kEventSummary, summary);
  out.header(kSummaryValue, value);
  out.string_field(kValueTag, std::string_view(kSessionStartInfoTag, kTagBytes));
  out.header(kValueTensor, sizeof(kNullTensor));
  out.bytes(kNullTensor, sizeof(kNullTensor));
  out.header(kValueMetadata, metadata);
  out.header(kMetadataPluginData, plugin_data);
  out.string_field(kPluginName, std::string_view(kHParamsPluginName, kPluginNameBytes));
  out.header(kPluginContent, content);
  out.header(kDataSessionStart, start_info);
  for (const HParams::Entry* e : sorted) {
    const Value& v = e->value();
    out.header(kStartHParams, entry_body_size(*e));
    out.string_field(kMapKey, e->name());
    out.header(kMapValue, value_body_size(v));
    switch (v.kind()) {
      case Value::Kind::kBool:
        out.byte(kBoolValue);
        out.byte(v.as_bool() ? 1 : 0);
        break;
      case Value::Kind::kInt:
      case Value::Kind::kFloat:
        out.byte(kNumberValue);
        out.fixed64(double_bits(number_of(v)));
        break;
      case Value::Kind::kString:
        out.string_field(kStringValue, v.as_string());
        break;
    }
  }
  if (!group_name.empty()) out.string_field(kStartGroupName, group_name);
  if (start_bits != 0) {
    out.byte(kStartTime);
    out.fixed64(start_bits);
  }
  encode_record_header(record.data(), event);
  encode_record_footer(out.position(), data, event);
  return record;
}

}  // namespace hp::internal
