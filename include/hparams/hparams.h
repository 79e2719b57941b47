// The one header a training program includes: the writing API of
// hparams-cpp in namespace hp (values, domains, hparams, search, the
// writer, callbacks, trials).
//
// It includes no protobuf header, so it stays cheap in every file that
// logs. Reading logs back is in <hparams/reader.h> (with
// <hparams/experiment_view.h> and <hparams/record_reader.h>), also free of
// protobuf. Only the opt-in <hparams/summary.h> (raw-proto builders and a
// raw Event reader) needs protobuf.
#ifndef HPARAMS_HPARAMS_H_
#define HPARAMS_HPARAMS_H_

#include "hparams/callbacks.h"  // IWYU pragma: export
#include "hparams/domain.h"     // IWYU pragma: export
#include "hparams/env.h"        // IWYU pragma: export
#include "hparams/hparam.h"     // IWYU pragma: export
#include "hparams/search.h"     // IWYU pragma: export
#include "hparams/trial.h"      // IWYU pragma: export
#include "hparams/value.h"      // IWYU pragma: export
#include "hparams/writer.h"     // IWYU pragma: export

#endif  // HPARAMS_HPARAMS_H_
