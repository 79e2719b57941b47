// hparams_tuning: TensorFlow's "Hyperparameter Tuning with the HParams
// Dashboard" tutorial in C++. Trains the tutorial's model on Fashion-MNIST
// for each of the 8 grid trials and logs them for TensorBoard.
//
//   hparams_tuning [--logdir DIR] [--mode callbacks|direct] [--seed S]
//                  [--train-limit N] [--epochs N] [--data-dir DIR]
//                  [--trial N | --config-only]
//   tensorboard --logdir logs/hparam_tuning
//
// Modes (both give TensorBoard the same dashboard):
//   direct     the tutorial's main text: config metric "accuracy";
//              each run is one hp::Trial: its hparams, the scalar
//              "accuracy" (test accuracy, step 1) and how it ended.
//   callbacks  the tutorial's Keras notes: config metric "epoch_accuracy"
//              in group "validation"; each run is driven through
//              hp::KerasCallback + hp::TensorBoardCallback, with the test
//              set as validation data.
//
// A sweep spread over processes (examples/slurm: one Slurm array task per
// trial) writes the config once with --config-only, then runs each trial
// with --trial N. A trial's numbers depend only on the seed and its
// hparams, so the sweep gives the same results as one process running all.
//
// Exit codes: 0 all trials trained and logged; 1 a trial failed or logging
// failed (every trial still runs); 2 bad command line; 3 the dataset is
// missing or corrupt.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fashion_mnist.h"
#include "hparams/callbacks.h"
#include "hparams/hparam.h"
#include "hparams/trial.h"
#include "hparams/writer.h"
#include "mlp_trainer.h"
#include "progress.h"
#include "seed_grid.h"
#include "trainer_flags.h"

namespace hparams_tuning {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoData = 3;

constexpr char kUsage[] =
    "Usage: hparams_tuning [options]\n"
    "Runs the HParams tutorial's 8-trial grid (num_units {16, 32} x dropout {0.1, 0.2} x\n"
    "optimizer {adam, sgd}), training each model on Fashion-MNIST, and logs the runs for\n"
    "TensorBoard's HParams dashboard.\n"
    "\n"
    "  --logdir DIR       where the runs go (default logs/hparam_tuning)\n"
    "  --mode MODE        callbacks (default): hp::KerasCallback + hp::TensorBoardCallback,\n"
    "                     metric validation/epoch_accuracy; direct: hp::hparams + hp::scalar,\n"
    "                     metric accuracy\n"
    "  --seed S           seed for weights, shuffling and dropout (default 0)\n"
    "  --train-limit N    train on the first N images only (default: all 60000)\n"
    "  --epochs N         epochs per trial (default 1, as the tutorial)\n"
    "  --data-dir DIR     the *-ubyte.gz files (default /usr/share/datasets/fashion-mnist)\n"
    "  --trial N          run only trial N (0..7) of the grid into DIR/run-N and write no\n"
    "                     experiment config (one task of a sweep; see --config-only)\n"
    "  --config-only      write only the experiment config at the root of DIR, then exit\n"
    "                     (once per sweep, before its --trial tasks)\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 ok, 1 a trial or its logging failed, 2 bad usage, 3 dataset missing.\n";

enum class Mode { kCallbacks, kDirect };

struct Flags : TrainerFlags {
  Flags() : TrainerFlags("logs/hparam_tuning") {}

  Mode mode = Mode::kCallbacks;
  int trial = -1;  // all of them
  bool config_only = false;
};

// Parses argv; InvalidArgument naming the bad flag. Sets flags.help for --help.
absl::Status parse_flags(int argc, char** argv, Flags& flags) {
  const std::vector<ExtraFlag> own = {
      {"--mode", true,
       [&flags](const std::string& value) {
         if (value == "callbacks") {
           flags.mode = Mode::kCallbacks;
         } else if (value == "direct") {
           flags.mode = Mode::kDirect;
         } else {
           return absl::InvalidArgumentError(
               absl::StrCat("--mode: \"", value, "\" is not \"callbacks\" or \"direct\""));
         }
         return absl::OkStatus();
       }},
      {"--trial", true,
       [&flags](const std::string& value) {
         if (!absl::SimpleAtoi(value, &flags.trial) || flags.trial < 0 || flags.trial >= kSeedGridSize) {
           return absl::InvalidArgumentError(
               absl::StrCat("--trial: \"", value, "\" is not an integer in 0..", kSeedGridSize - 1));
         }
         return absl::OkStatus();
       }},
      {"--config-only", false,
       [&flags](const std::string&) {
         flags.config_only = true;
         return absl::OkStatus();
       }},
  };
  if (absl::Status s = parse_trainer_flags(argc, argv, flags, own); !s.ok() || flags.help) return s;
  if (flags.config_only && flags.trial >= 0) {
    return absl::InvalidArgumentError(
        "--config-only and --trial exclude each other: write the config once, then run each "
        "trial");
  }
  return absl::OkStatus();
}

struct TrialOutcome {
  std::string run;
  hp::HParams hparams;
  absl::Status status;  // training, then logging
  double accuracy = 0;
  double seconds = 0;
};

absl::StatusOr<TrainConfig> config_for(const hp::HParams& trial, const Flags& flags) {
  absl::StatusOr<SeedTrial> values = seed_trial(trial);
  if (!values.ok()) return values.status();
  TrainConfig config;
  config.num_units = values->num_units;
  config.dropout = values->dropout;
  absl::StatusOr<OptimizerKind> kind = parse_optimizer(values->optimizer);
  if (!kind.ok()) return kind.status();
  config.optimizer = *kind;
  config.epochs = flags.epochs;
  config.seed = flags.seed;
  return config;
}

// Writes the experiment config to the logdir root.
absl::Status write_config(const Flags& flags) {
  return write_seed_config(flags.logdir, flags.mode == Mode::kDirect ? direct_metric() : keras_metric());
}

// The tutorial's run(): hparams first, then the test accuracy at step 1,
// as one hp::Trial, which also records how the trial ended.
void run_direct(const FashionMnist& data, const TrainConfig& config, const std::string& run_dir,
                hp::Callback& progress, TrialOutcome& outcome) {
  absl::StatusOr<hp::Trial> trial = hp::Trial::start(run_dir, outcome.hparams);
  if (!trial.ok()) {
    outcome.status = trial.status();
    return;
  }
  absl::Status logging;
  absl::StatusOr<TrainResult> result = train_and_evaluate(data, config, progress);
  if (result.ok()) {
    outcome.accuracy = result->test_accuracy;
    logging.Update(trial->scalar("accuracy", result->test_accuracy, 1));
    logging.Update(trial->end(hp::STATUS_SUCCESS));
  } else {
    outcome.status = result.status();
    logging.Update(trial->end(hp::STATUS_FAILURE));
  }
  outcome.status.Update(logging);
}

// The tutorial's Keras notes: fit(..., callbacks=[TensorBoard(run_dir),
// hp.KerasCallback(run_dir, hparams)]) with the test set as validation data.
void run_with_callbacks(const FashionMnist& data, const TrainConfig& config, const std::string& run_dir,
                        hp::Callback& progress, TrialOutcome& outcome) {
  hp::TensorBoardCallback tensorboard(run_dir);
  hp::KerasCallback keras(run_dir, outcome.hparams);
  hp::CallbackList callbacks({&progress, &tensorboard, &keras});
  absl::StatusOr<TrainResult> result = train_and_evaluate(data, config, callbacks);
  if (!result.ok()) {
    outcome.status = result.status();
    return;
  }
  outcome.accuracy = result->test_accuracy;
  outcome.status = result->logging_status;
}

void print_table(std::vector<TrialOutcome> outcomes) {
  std::stable_sort(outcomes.begin(), outcomes.end(), [](const TrialOutcome& a, const TrialOutcome& b) {
    if (a.status.ok() != b.status.ok()) return a.status.ok();
    return a.accuracy > b.accuracy;
  });
  std::printf("\n%-6s %-6s %9s %7s %9s %8s %7s\n", "rank", "run", "num_units", "dropout", "optimizer",
              "accuracy", "time");
  int rank = 0;
  for (const TrialOutcome& o : outcomes) {
    const std::vector<hp::HParam>& hparams = seed_hparams();
    const hp::Value* units = o.hparams.find(hparams[0]);
    const hp::Value* dropout = o.hparams.find(hparams[1]);
    const hp::Value* optimizer = o.hparams.find(hparams[2]);
    std::printf("%-6d %-6s %9s %7s %9s ", ++rank, o.run.c_str(), units->repr().c_str(),
                dropout->repr().c_str(), optimizer->as_string().c_str());
    if (o.status.ok()) {
      std::printf("%8.4f %6.2fs\n", o.accuracy, o.seconds);
    } else {
      std::printf("%8s %6.2fs  %s\n", "FAILED", o.seconds, o.status.ToString().c_str());
    }
  }
}

int run(int argc, char** argv) {
  Flags flags;
  if (absl::Status s = parse_flags(argc, argv, flags); !s.ok()) {
    std::fprintf(stderr, "hparams_tuning: %s\n\n%s", std::string(s.message()).c_str(), kUsage);
    return kExitUsage;
  }
  if (flags.help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (flags.config_only) {
    if (absl::Status s = write_config(flags); !s.ok()) {
      std::fprintf(stderr, "hparams_tuning: writing the experiment config: %s\n", s.ToString().c_str());
      return kExitFailed;
    }
    std::printf("Wrote the experiment config (%s mode) to %s\n",
                flags.mode == Mode::kDirect ? "direct" : "callbacks", flags.logdir.c_str());
    return kExitOk;
  }

  const auto load_start = std::chrono::steady_clock::now();
  absl::StatusOr<FashionMnist> data = load_fashion_mnist(flags.data_dir, flags.train_limit);
  if (!data.ok()) {
    std::fprintf(stderr, "hparams_tuning: %s\n", data.status().ToString().c_str());
    return kExitNoData;
  }
  std::printf("Fashion-MNIST: %zu training and %zu test images, loaded in %.2fs\n", data->train.count,
              data->test.count,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());

  std::error_code ec;
  // A sweep's tasks share the logdir on purpose.
  if (flags.trial < 0 && std::filesystem::exists(flags.logdir, ec) &&
      !std::filesystem::is_empty(flags.logdir, ec)) {
    std::printf(
        "Note: %s is not empty; TensorBoard will show its old runs too "
        "(remove it first for a clean dashboard).\n",
        flags.logdir.c_str());
  }

  // A single trial belongs to a sweep whose config was written once with --config-only.
  if (absl::Status s = flags.trial < 0 ? write_config(flags) : absl::OkStatus(); !s.ok()) {
    std::fprintf(stderr, "hparams_tuning: writing the experiment config: %s\n", s.ToString().c_str());
    return kExitFailed;
  }
  absl::StatusOr<std::vector<hp::HParams>> trials = seed_grid();
  if (!trials.ok()) {
    std::fprintf(stderr, "hparams_tuning: %s\n", trials.status().ToString().c_str());
    return kExitFailed;
  }

  const bool interactive = isatty(STDOUT_FILENO) != 0;
  std::vector<TrialOutcome> outcomes;
  const auto grid_start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < trials->size(); ++i) {
    if (flags.trial >= 0 && i != static_cast<size_t>(flags.trial)) continue;
    TrialOutcome outcome;
    outcome.run = absl::StrCat("run-", i);
    outcome.hparams = (*trials)[i];
    std::printf("--- Starting trial: %s\n%s\n", outcome.run.c_str(), outcome.hparams.repr().c_str());
    std::fflush(stdout);
    absl::StatusOr<TrainConfig> config = config_for(outcome.hparams, flags);
    if (!config.ok()) {
      std::fprintf(stderr, "hparams_tuning: %s\n", config.status().ToString().c_str());
      return kExitFailed;
    }
    ProgressCallback progress(stdout, interactive, config->epochs,
                              batches_per_epoch(data->train.count, config->batch_size));
    const std::string run_dir = absl::StrCat(flags.logdir, "/", outcome.run);
    const auto start = std::chrono::steady_clock::now();
    if (flags.mode == Mode::kDirect) {
      run_direct(*data, *config, run_dir, progress, outcome);
    } else {
      run_with_callbacks(*data, *config, run_dir, progress, outcome);
    }
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!outcome.status.ok()) {
      std::fprintf(stderr, "hparams_tuning: %s: %s\n", outcome.run.c_str(),
                   outcome.status.ToString().c_str());
    }
    outcomes.push_back(std::move(outcome));
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - grid_start).count();

  print_table(outcomes);
  const bool all_ok =
      std::all_of(outcomes.begin(), outcomes.end(), [](const TrialOutcome& o) { return o.status.ok(); });
  std::printf(
      "\n%zu trials in %.1fs (%s mode). Logs are in %s\nView them with:\n"
      "  tensorboard --logdir %s\n",
      outcomes.size(), total, flags.mode == Mode::kDirect ? "direct" : "callbacks", flags.logdir.c_str(),
      flags.logdir.c_str());
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace
}  // namespace hparams_tuning

int main(int argc, char** argv) { return hparams_tuning::run(argc, argv); }
