// The one header a user includes: the whole hparams-cpp API in namespace hp.
#ifndef HPARAMS_HPARAMS_H_
#define HPARAMS_HPARAMS_H_

#include "hparams/callbacks.h"        // IWYU pragma: export
#include "hparams/domain.h"           // IWYU pragma: export
#include "hparams/env.h"              // IWYU pragma: export
#include "hparams/experiment_view.h"  // IWYU pragma: export
#include "hparams/hparam.h"           // IWYU pragma: export
#include "hparams/reader.h"           // IWYU pragma: export
#include "hparams/record_reader.h"    // IWYU pragma: export
#include "hparams/search.h"           // IWYU pragma: export
#include "hparams/summary.h"          // IWYU pragma: export
#include "hparams/value.h"            // IWYU pragma: export
#include "hparams/writer.h"           // IWYU pragma: export

#endif  // HPARAMS_HPARAMS_H_
