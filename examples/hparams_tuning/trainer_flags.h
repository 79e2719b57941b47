// The command-line flags every trainer of the seed experiment takes
// (examples/hparams_tuning with Eigen, examples/libtorch with LibTorch),
// parsed one way:
//
//   --logdir DIR  --seed S  --train-limit N  --epochs N  --data-dir DIR  --help
//
// A value follows its flag ("--seed 7") or is joined to it ("--seed=7").
// A trainer adds flags of its own as ExtraFlags.
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_TRAINER_FLAGS_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_TRAINER_FLAGS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "fashion_mnist.h"

namespace hparams_tuning {

struct TrainerFlags {
  explicit TrainerFlags(std::string default_logdir) : logdir(std::move(default_logdir)) {}

  std::string logdir;
  uint64_t seed = 0;
  size_t train_limit = 0;  // 0: every training image
  int epochs = 1;
  std::string data_dir = kFashionMnistDir;
  bool help = false;  // --help or -h was given
};

// A flag only one trainer takes: its name ("--trial"), whether a value
// follows it, and what to do with that value (an error, naming the flag,
// refuses it).
struct ExtraFlag {
  const char* name;
  bool takes_value;
  std::function<absl::Status(const std::string& value)> apply;
};

// Parses argv[1..] into `flags`. InvalidArgument naming the flag for an
// unknown flag, a missing value or a bad one. Stops at --help or -h, with
// flags.help set.
absl::Status parse_trainer_flags(int argc, char** argv, TrainerFlags& flags,
                                 const std::vector<ExtraFlag>& extra = {});

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_TRAINER_FLAGS_H_
