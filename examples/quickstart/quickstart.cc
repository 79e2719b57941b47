// README's quick start as a program: the seed grid with a made-up metric.
// Usage: hparams_quickstart [LOGDIR]   (default logs/quickstart)
#include <hparams/hparams.h>

#include <cstdio>
#include <string>

namespace {

const hp::HParam HP_NUM_UNITS("num_units", hp::Discrete({16, 32}));
const hp::HParam HP_DROPOUT("dropout", hp::RealInterval(0.1, 0.2));
const hp::HParam HP_OPTIMIZER("optimizer", hp::Discrete({"adam", "sgd"}));
const std::vector<hp::Metric> METRICS = {hp::Metric("accuracy").display_name("Accuracy")};

// Stands in for training: larger, less-regularised Adam models "score" higher.
double train_and_evaluate(const hp::HParams& trial) {
  const double units = trial.find(HP_NUM_UNITS)->as_double();
  const double dropout = trial.find(HP_DROPOUT)->as_double();
  const bool adam = trial.find(HP_OPTIMIZER)->as_string() == "adam";
  return 0.80 + units / 1000.0 - dropout / 10.0 + (adam ? 0.02 : 0.0);
}

absl::Status tune(const std::string& logdir) {
  auto root = hp::SummaryWriter::create(logdir);
  if (!root.ok()) return root.status();
  absl::Status s = (*root)->hparams_config({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER}, METRICS);
  auto trials = hp::grid_search({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER});
  if (!trials.ok()) return trials.status();
  for (size_t i = 0; i < trials->size(); ++i) {
    auto trial = hp::Trial::start(logdir + "/run-" + std::to_string(i), (*trials)[i]);
    if (!trial.ok()) return trial.status();
    s.Update(trial->scalar("accuracy", train_and_evaluate((*trials)[i]), /*step=*/1));
    s.Update(trial->end());
  }
  s.Update((*root)->close());
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string logdir = argc > 1 ? argv[1] : "logs/quickstart";
  const absl::Status status = tune(logdir);
  if (!status.ok()) {
    std::fprintf(stderr, "quickstart: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("wrote 8 trials to %s; view them with: tensorboard --logdir %s\n", logdir.c_str(),
              logdir.c_str());
  return 0;
}
