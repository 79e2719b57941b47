// hparams_libtorch: the HParams tutorial's experiment trained with LibTorch.
// The seed's model (Flatten -> Dense(num_units, relu) -> Dropout ->
// Dense(10, softmax)) as a torch::nn::Module, trained on Fashion-MNIST for
// each of the 8 grid trials, logged through hp::KerasCallback (the trial's
// hparams as a session) and hp::TensorBoardCallback (epoch_loss,
// epoch_accuracy in train/ and validation/), as Keras's
// fit(callbacks=[TensorBoard(run_dir), hp.KerasCallback(run_dir, hparams)])
// would.
//
//   hparams_libtorch [--logdir DIR] [--seed S] [--train-limit N] [--epochs N]
//                    [--data-dir DIR]
//   tensorboard --logdir logs/hparam_tuning_libtorch
//
// A seeded run is deterministic: each trial reseeds LibTorch's generator
// (weights, shuffling, dropout) with --seed, and LibTorch runs on one
// thread, so reductions always add in the same order. A trial's numbers
// depend only on the seed and its hparams.
//
// Exit codes: 0 all trials trained and logged; 1 a trial failed or logging
// failed (every trial still runs); 2 bad command line; 3 the dataset is
// missing or corrupt.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "fashion_mnist.h"
#include "hparams/callbacks.h"
#include "hparams/hparam.h"
#include "seed_grid.h"
#include "trainer_flags.h"

namespace hparams_libtorch {
namespace {

using hparams_tuning::FashionMnist;
using hparams_tuning::ImageSet;
using hparams_tuning::SeedTrial;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoData = 3;

// Keras's defaults, which the tutorial keeps.
constexpr int64_t kBatchSize = 32;
constexpr double kAdamLearningRate = 1e-3;
constexpr double kAdamEpsilon = 1e-7;
constexpr double kSgdLearningRate = 0.01;
constexpr int64_t kEvalBatchSize = 1000;

constexpr char kUsage[] =
    "Usage: hparams_libtorch [options]\n"
    "Trains the HParams tutorial's model with LibTorch for each of its 8 grid trials\n"
    "(num_units {16, 32} x dropout {0.1, 0.2} x optimizer {adam, sgd}) on Fashion-MNIST and\n"
    "logs them through hp::KerasCallback + hp::TensorBoardCallback (metric\n"
    "validation/epoch_accuracy) for TensorBoard's HParams dashboard.\n"
    "\n"
    "  --logdir DIR       where the runs go (default logs/hparam_tuning_libtorch)\n"
    "  --seed S           seed for weights, shuffling and dropout (default 0)\n"
    "  --train-limit N    train on the first N images only (default: all 60000)\n"
    "  --epochs N         epochs per trial (default 1, as the tutorial)\n"
    "  --data-dir DIR     the *-ubyte.gz files (default /usr/share/datasets/fashion-mnist)\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 ok, 1 a trial or its logging failed, 2 bad usage, 3 dataset missing.\n";

struct Flags : hparams_tuning::TrainerFlags {
  Flags() : TrainerFlags("logs/hparam_tuning_libtorch") {}
};

// The seed's model. The final softmax lives in the loss (cross_entropy on
// logits), as numerically stable as Keras's fused softmax + cross-entropy.
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t inputs, int64_t num_units, double dropout)
      : flatten_(register_module("flatten", torch::nn::Flatten())),
        hidden_(register_module("hidden", torch::nn::Linear(inputs, num_units))),
        dropout_(register_module("dropout", torch::nn::Dropout(dropout))),
        output_(register_module("output", torch::nn::Linear(num_units, hparams_tuning::kNumClasses))) {
    // Keras's Dense defaults, not LibTorch's: Glorot-uniform kernels, zero biases.
    for (torch::nn::Linear* dense : {&hidden_, &output_}) {
      torch::nn::init::xavier_uniform_((*dense)->weight);
      torch::nn::init::zeros_((*dense)->bias);
    }
  }

  // Logits, [batch, 10].
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(hidden_(flatten_(x)));
    return output_(dropout_(x));
  }

 private:
  torch::nn::Flatten flatten_;
  torch::nn::Linear hidden_;
  torch::nn::Dropout dropout_;
  torch::nn::Linear output_;
};
TORCH_MODULE(Mlp);

// One split as tensors: pixels stay uint8 (47 MB rather than 188 MB as
// floats for the training set); each batch is scaled to [0, 1] as it goes.
struct Split {
  torch::Tensor images;  // uint8 [count, pixels_per_image]
  torch::Tensor labels;  // int64 [count]
};

Split to_tensors(const ImageSet& set) {
  const auto count = static_cast<int64_t>(set.count);
  const auto pixels = static_cast<int64_t>(set.pixels_per_image);
  // from_blob borrows; clone() copies, so the tensors outlive the vectors.
  Split split;
  split.images =
      torch::from_blob(const_cast<uint8_t*>(set.pixels.data()), {count, pixels}, torch::kUInt8).clone();
  split.labels =
      torch::from_blob(const_cast<uint8_t*>(set.labels.data()), {count}, torch::kUInt8).to(torch::kInt64);
  return split;
}

torch::Tensor scaled(const torch::Tensor& images) { return images.to(torch::kFloat32).div_(255.0f); }

struct TrainResult {
  double test_accuracy = 0;
  absl::Status logging_status;  // the first error a callback returned
};

// Mean loss and accuracy over `split` in inference mode (dropout off).
void evaluate(Mlp& model, const Split& split, double& loss, double& accuracy) {
  torch::NoGradGuard no_grad;
  model->eval();
  const int64_t count = split.images.size(0);
  double loss_sum = 0;
  int64_t correct = 0;
  for (int64_t begin = 0; begin < count; begin += kEvalBatchSize) {
    const int64_t end = std::min(count, begin + kEvalBatchSize);
    const torch::Tensor logits = model->forward(scaled(split.images.slice(0, begin, end)));
    const torch::Tensor labels = split.labels.slice(0, begin, end);
    loss_sum += torch::nn::functional::cross_entropy(
                    logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
    correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
  }
  loss = loss_sum / static_cast<double>(count);
  accuracy = static_cast<double>(correct) / static_cast<double>(count);
  model->train();
}

// Trains a fresh model as Keras's Model.fit() does (batches of 32, the last
// partial one kept, reshuffled every epoch; the test set as validation data)
// and drives `callback` with Keras's logs. LibTorch reports errors by
// exception: they end the trial as Internal, after on_train_failed.
absl::StatusOr<TrainResult> train_trial(const Split& train, const Split& test, const SeedTrial& trial,
                                        const Flags& flags, hp::Callback& callback) {
  TrainResult result;
  try {
    torch::manual_seed(flags.seed);
    Mlp model(train.images.size(1), trial.num_units, trial.dropout);
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    if (trial.optimizer == "adam") {
      optimizer = std::make_unique<torch::optim::Adam>(
          model->parameters(), torch::optim::AdamOptions(kAdamLearningRate).eps(kAdamEpsilon));
    } else if (trial.optimizer == "sgd") {
      optimizer = std::make_unique<torch::optim::SGD>(model->parameters(),
                                                      torch::optim::SGDOptions(kSgdLearningRate));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown optimizer \"", trial.optimizer, "\": use \"adam\" or \"sgd\""));
    }

    result.logging_status.Update(callback.on_train_begin());
    const int64_t count = train.images.size(0);
    hp::Logs logs;
    for (int epoch = 0; epoch < flags.epochs; ++epoch) {
      result.logging_status.Update(callback.on_epoch_begin(epoch));
      const torch::Tensor order = torch::randperm(count, torch::kInt64);
      double loss_sum = 0;
      int64_t correct = 0;
      int64_t seen = 0;
      for (int64_t begin = 0, batch = 0; begin < count; begin += kBatchSize, ++batch) {
        const torch::Tensor index = order.slice(0, begin, std::min(count, begin + kBatchSize));
        const torch::Tensor x = scaled(train.images.index_select(0, index));
        const torch::Tensor y = train.labels.index_select(0, index);
        optimizer->zero_grad();
        const torch::Tensor logits = model->forward(x);
        const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
        loss.backward();
        optimizer->step();

        const int64_t n = index.size(0);
        loss_sum += loss.item<double>() * static_cast<double>(n);
        correct += logits.argmax(1).eq(y).sum().item<int64_t>();
        seen += n;
        const double mean_loss = loss_sum / static_cast<double>(seen);
        if (!std::isfinite(mean_loss)) {
          absl::Status failure = absl::InternalError(absl::StrFormat(
              "training diverged: loss is %f at epoch %d, batch %d", mean_loss, epoch, batch));
          result.logging_status.Update(callback.on_train_failed(failure));
          return failure;
        }
        logs = hp::Logs{{"loss", mean_loss},
                        {"accuracy", static_cast<double>(correct) / static_cast<double>(seen)}};
        result.logging_status.Update(callback.on_train_batch_end(batch, logs));
      }
      double val_loss = 0;
      double val_accuracy = 0;
      evaluate(model, test, val_loss, val_accuracy);
      logs.set("val_loss", val_loss);
      logs.set("val_accuracy", val_accuracy);
      result.test_accuracy = val_accuracy;
      result.logging_status.Update(callback.on_epoch_end(epoch, logs));
    }
    result.logging_status.Update(callback.on_train_end(logs));
    return result;
  } catch (const c10::Error& e) {
    absl::Status failure = absl::InternalError(absl::StrCat("LibTorch: ", e.what_without_backtrace()));
    callback.on_train_failed(failure).IgnoreError();
    return failure;
  } catch (const std::exception& e) {
    absl::Status failure = absl::InternalError(absl::StrCat("LibTorch: ", e.what()));
    callback.on_train_failed(failure).IgnoreError();
    return failure;
  }
}

// One Keras-like line per epoch: "epoch 1/1 - 3.1s - loss: 0.55 - ...".
class EpochLines : public hp::Callback {
 public:
  explicit EpochLines(int epochs) : epochs_(epochs) {}

  absl::Status on_epoch_begin(int64_t /*epoch*/) override {
    start_ = std::chrono::steady_clock::now();
    return absl::OkStatus();
  }
  absl::Status on_epoch_end(int64_t epoch, const hp::Logs& logs) override {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::printf("  epoch %lld/%d - %.1fs", static_cast<long long>(epoch + 1), epochs_, seconds);
    for (const auto& [name, value] : logs) std::printf(" - %s: %.4f", name.c_str(), value);
    std::printf("\n");
    std::fflush(stdout);
    return absl::OkStatus();
  }

 private:
  int epochs_;
  std::chrono::steady_clock::time_point start_;
};

struct TrialOutcome {
  std::string run;
  hp::HParams hparams;
  SeedTrial values;
  absl::Status status;  // training, then logging
  double accuracy = 0;
  double seconds = 0;
};

void print_table(std::vector<TrialOutcome> outcomes) {
  std::stable_sort(outcomes.begin(), outcomes.end(), [](const TrialOutcome& a, const TrialOutcome& b) {
    if (a.status.ok() != b.status.ok()) return a.status.ok();
    return a.accuracy > b.accuracy;
  });
  std::printf("\n%-6s %-6s %9s %7s %9s %8s %7s\n", "rank", "run", "num_units", "dropout", "optimizer",
              "accuracy", "time");
  int rank = 0;
  for (const TrialOutcome& o : outcomes) {
    std::printf("%-6d %-6s %9d %7g %9s ", ++rank, o.run.c_str(), o.values.num_units, o.values.dropout,
                o.values.optimizer.c_str());
    if (o.status.ok()) {
      std::printf("%8.4f %6.2fs\n", o.accuracy, o.seconds);
    } else {
      std::printf("%8s %6.2fs  %s\n", "FAILED", o.seconds, o.status.ToString().c_str());
    }
  }
}

int run(int argc, char** argv) {
  Flags flags;
  if (absl::Status s = hparams_tuning::parse_trainer_flags(argc, argv, flags); !s.ok()) {
    std::fprintf(stderr, "hparams_libtorch: %s\n\n%s", std::string(s.message()).c_str(), kUsage);
    return kExitUsage;
  }
  if (flags.help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }

  const auto load_start = std::chrono::steady_clock::now();
  absl::StatusOr<FashionMnist> data = hparams_tuning::load_fashion_mnist(flags.data_dir, flags.train_limit);
  if (!data.ok()) {
    std::fprintf(stderr, "hparams_libtorch: %s\n", data.status().ToString().c_str());
    return kExitNoData;
  }
  std::printf("Fashion-MNIST: %zu training and %zu test images, loaded in %.2fs\n", data->train.count,
              data->test.count,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());

  // The tutorial's matrices are small (batch 32 x 784): extra threads cost
  // more than they give, and one thread keeps every sum in the same order.
  torch::set_num_threads(1);
  Split train;
  Split test;
  try {
    train = to_tensors(data->train);
    test = to_tensors(data->test);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hparams_libtorch: LibTorch: %s\n", e.what());
    return kExitFailed;
  }
  data->train = {};  // the tensors hold copies
  data->test = {};

  if (absl::Status s = hparams_tuning::write_seed_config(flags.logdir, hparams_tuning::keras_metric());
      !s.ok()) {
    std::fprintf(stderr, "hparams_libtorch: writing the experiment config: %s\n", s.ToString().c_str());
    return kExitFailed;
  }
  absl::StatusOr<std::vector<hp::HParams>> trials = hparams_tuning::seed_grid();
  if (!trials.ok()) {
    std::fprintf(stderr, "hparams_libtorch: %s\n", trials.status().ToString().c_str());
    return kExitFailed;
  }

  std::vector<TrialOutcome> outcomes;
  const auto grid_start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < trials->size(); ++i) {
    TrialOutcome outcome;
    outcome.run = absl::StrCat("run-", i);
    outcome.hparams = (*trials)[i];
    std::printf("--- Starting trial: %s\n%s\n", outcome.run.c_str(), outcome.hparams.repr().c_str());
    std::fflush(stdout);
    absl::StatusOr<SeedTrial> values = hparams_tuning::seed_trial(outcome.hparams);
    if (!values.ok()) {
      std::fprintf(stderr, "hparams_libtorch: %s\n", values.status().ToString().c_str());
      return kExitFailed;
    }
    outcome.values = *values;

    const std::string run_dir = absl::StrCat(flags.logdir, "/", outcome.run);
    EpochLines epoch_lines(flags.epochs);
    hp::TensorBoardCallback tensorboard(run_dir);
    hp::KerasCallback keras(run_dir, outcome.hparams);
    hp::CallbackList callbacks({&epoch_lines, &tensorboard, &keras});
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<TrainResult> result = train_trial(train, test, *values, flags, callbacks);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (result.ok()) {
      outcome.accuracy = result->test_accuracy;
      outcome.status = result->logging_status;
    } else {
      outcome.status = result.status();
    }
    if (outcome.status.ok()) {
      std::printf("%s done: val_accuracy %.4f in %.1fs (%zu of %zu)\n", outcome.run.c_str(), outcome.accuracy,
                  outcome.seconds, i + 1, trials->size());
    } else {
      std::fprintf(stderr, "hparams_libtorch: %s: %s\n", outcome.run.c_str(),
                   outcome.status.ToString().c_str());
    }
    std::fflush(stdout);
    outcomes.push_back(std::move(outcome));
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - grid_start).count();

  print_table(outcomes);
  const bool all_ok =
      std::all_of(outcomes.begin(), outcomes.end(), [](const TrialOutcome& o) { return o.status.ok(); });
  std::printf(
      "\n%zu trials in %.1fs (LibTorch %s). Logs are in %s\nView them with:\n"
      "  tensorboard --logdir %s\n",
      outcomes.size(), total, TORCH_VERSION, flags.logdir.c_str(), flags.logdir.c_str());
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace
}  // namespace hparams_libtorch

int main(int argc, char** argv) {
  // LibTorch may throw from anywhere; none of it may escape as an abort.
  try {
    return hparams_libtorch::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hparams_libtorch: %s\n", e.what());
    return 1;
  }
}
