// The one header a user includes: the whole hparams-cpp API in namespace hp.
#ifndef HPARAMS_HPARAMS_H_
#define HPARAMS_HPARAMS_H_

#include "hparams/env.h"            // IWYU pragma: export
#include "hparams/record_reader.h"  // IWYU pragma: export
#include "hparams/writer.h"         // IWYU pragma: export

#endif  // HPARAMS_HPARAMS_H_
