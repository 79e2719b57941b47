// The two paths of hp::accumulate_event (hparams/experiment_view.h), apart
// so that tests can hold them to the same results.
#ifndef HPARAMS_SRC_EVENT_DECODER_H_
#define HPARAMS_SRC_EVENT_DECODER_H_

#include <string_view>
#include <vector>

#include "hparams/experiment_view.h"

namespace hp::internal {

// The fast path: a plain scalar event (see decode_scalar_event in
// internal/scalar_event.h), read without protobuf, with the same effect as
// the protobuf path. False, changing nothing, for any other event.
bool accumulate_scalar_event(std::string_view event, RunData* run);

// The protobuf path, for any event. False, changing nothing, when `event`
// does not decode as an Event.
bool accumulate_event_with_protobuf(std::string_view event, RunData* run,
                                    std::vector<Diagnostic>* diagnostics);

}  // namespace hp::internal

#endif  // HPARAMS_SRC_EVENT_DECODER_H_
