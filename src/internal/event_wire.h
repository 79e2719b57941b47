// The wire tags ((field_number << 3) | wire_type) of the Event, Summary and
// Summary.Value fields that the hand encoders write, from
// proto/hparams/proto/{event,summary}.proto. One home for both encoders
// (scalar_event.cc, hparams_event.cc); their byte equality with protobuf's
// own serialization is proven by scalar_event_test and writer_test.
#ifndef HPARAMS_INTERNAL_EVENT_WIRE_H_
#define HPARAMS_INTERNAL_EVENT_WIRE_H_

namespace hp::internal::event_wire {

inline constexpr char kEventWallTime = 0x09;  // Event.wall_time = 1, fixed64
inline constexpr char kEventStep = 0x10;      // Event.step = 2, varint
inline constexpr char kEventSummary = 0x2A;   // Event.summary = 5, length-delimited
inline constexpr char kSummaryValue = 0x0A;   // Summary.value = 1
inline constexpr char kValueTag = 0x0A;       // Summary.Value.tag = 1
inline constexpr char kValueTensor = 0x42;    // Summary.Value.tensor = 8
inline constexpr char kValueMetadata = 0x4A;  // Summary.Value.metadata = 9

}  // namespace hp::internal::event_wire

#endif  // HPARAMS_INTERNAL_EVENT_WIRE_H_
