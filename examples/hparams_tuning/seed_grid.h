// The seed tutorial's experiment, shared by every example that trains it
// (examples/hparams_tuning with Eigen, examples/libtorch with LibTorch):
// the three hparams, the 8-trial grid over them, and the metric each
// logging style reports.
//
//   num_units  Discrete({16, 32})
//   dropout    RealInterval(0.1, 0.2)   (the grid takes its two ends)
//   optimizer  Discrete({"adam", "sgd"})
//
// Trial N of the grid is the same in every process (hp::grid_search's order
// is fixed), so a scheduler can hand trial N to task N (examples/slurm).
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_SEED_GRID_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_SEED_GRID_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hparams/hparam.h"

namespace hparams_tuning {

inline constexpr int kSeedGridSize = 8;

// The three hparams, in the tutorial's order.
const std::vector<hp::HParam>& seed_hparams();

// The tutorial's metrics. Direct style logs hp::scalar("accuracy") at the
// root of each run; the Keras style logs "epoch_accuracy" in the run's
// "validation" subdirectory.
hp::Metric direct_metric();
hp::Metric keras_metric();

// All kSeedGridSize trials, in hp::grid_search's order.
absl::StatusOr<std::vector<hp::HParams>> seed_grid();

// One trial's values, checked: what a trainer needs from hp::HParams.
struct SeedTrial {
  int num_units = 16;
  double dropout = 0.1;
  std::string optimizer = "adam";
};

// InvalidArgument naming the trial when an hparam is missing or has the wrong type.
absl::StatusOr<SeedTrial> seed_trial(const hp::HParams& trial);

// Writes the experiment config (seed_hparams() and `metric`) to `logdir`'s
// root. Call it once per experiment: several configs in one root are an
// error for TensorBoard's dashboard.
absl::Status write_seed_config(const std::string& logdir, const hp::Metric& metric);

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_SEED_GRID_H_
