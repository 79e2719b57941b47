// Hand encoder for the Event that SummaryWriter::hparams() writes: the
// session-start summary of one trial, framed as a TFRecord.
//
// Produces exactly the bytes of a deterministic protobuf serialization of
//   Event { wall_time, summary: hparams_pb(hparams, group_name, start) }
// (writer_test proves it) without building the Summary, the per-entry
// SessionStartInfo maps and the Event, then copying and destroying them:
// that round trip was two thirds of the call's cost.
#ifndef HPARAMS_INTERNAL_HPARAMS_EVENT_H_
#define HPARAMS_INTERNAL_HPARAMS_EVENT_H_

#include <string>
#include <string_view>

#include "hparams/hparam.h"

namespace hp::internal {

// The framed record (header, Event, footer). Requires hparams.validate()
// to have passed and `group_name` to be UTF-8.
std::string encode_hparams_record(const HParams& hparams, std::string_view group_name, double start_time_secs,
                                  double wall_time);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_HPARAMS_EVENT_H_
