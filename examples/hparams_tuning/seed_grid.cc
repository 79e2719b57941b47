#include "seed_grid.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "hparams/search.h"
#include "hparams/writer.h"

namespace hparams_tuning {

const std::vector<hp::HParam>& seed_hparams() {
  // Leaked: examples' static destruction order must not matter.
  static const auto* const hparams = new std::vector<hp::HParam>{
      hp::HParam("num_units", hp::Discrete({16, 32})),
      hp::HParam("dropout", hp::RealInterval(0.1, 0.2)),
      hp::HParam("optimizer", hp::Discrete({"adam", "sgd"})),
  };
  return *hparams;
}

hp::Metric direct_metric() { return hp::Metric("accuracy").display_name("Accuracy"); }

hp::Metric keras_metric() {
  return hp::Metric("epoch_accuracy").group("validation").display_name("Accuracy");
}

absl::StatusOr<std::vector<hp::HParams>> seed_grid() {
  absl::StatusOr<std::vector<hp::HParams>> trials = hp::grid_search(seed_hparams());
  if (trials.ok() && trials->size() != kSeedGridSize) {
    return absl::InternalError(
        absl::StrCat("the seed grid has ", trials->size(), " trials, expected ", kSeedGridSize));
  }
  return trials;
}

absl::StatusOr<SeedTrial> seed_trial(const hp::HParams& trial) {
  const std::vector<hp::HParam>& hparams = seed_hparams();
  const hp::Value* units = trial.find(hparams[0]);
  const hp::Value* dropout = trial.find(hparams[1]);
  const hp::Value* optimizer = trial.find(hparams[2]);
  if (units == nullptr || dropout == nullptr || optimizer == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("trial ", trial.repr(), " misses num_units, dropout or optimizer"));
  }
  if (!units->is_int() || !units->fits_int64() || !dropout->is_number() || !optimizer->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("trial ", trial.repr(), ": want an int num_units, a number dropout, a str optimizer"));
  }
  SeedTrial out;
  out.num_units = static_cast<int>(units->as_int());
  out.dropout = dropout->as_double();
  out.optimizer = optimizer->as_string();
  return out;
}

absl::Status write_seed_config(const std::string& logdir, const hp::Metric& metric) {
  absl::StatusOr<std::unique_ptr<hp::SummaryWriter>> writer = hp::SummaryWriter::create(logdir);
  if (!writer.ok()) return writer.status();
  absl::Status s = (*writer)->hparams_config(seed_hparams(), {metric});
  s.Update((*writer)->close());
  return s;
}

}  // namespace hparams_tuning
