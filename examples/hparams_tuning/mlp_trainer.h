// The tutorial's model, trained the way Keras's Model.fit() trains it.
//
//   Flatten -> Dense(num_units, relu) -> Dropout(rate) -> Dense(10, softmax)
//
// Keras defaults, reproduced: batch size 32 with the last partial batch
// kept; the training set reshuffled every epoch (fit(shuffle=True));
// Glorot-uniform kernels, zero biases; sparse categorical cross-entropy
// averaged over the batch; Adam(lr 0.001, beta1 0.9, beta2 0.999, eps 1e-7,
// Keras's "epsilon hat" form) or plain SGD(lr 0.01); inverted dropout in
// training only. The "loss"/"accuracy" logs are Keras's running means over
// the epoch (measured with dropout on, as Keras does); "val_loss" and
// "val_accuracy" come from the 10,000 test images in inference mode, as
// fit(validation_data=test) reports them. float32 throughout, Eigen for the
// matrix work, single-threaded.
//
// Deterministic: a given seed gives the same weights, order and dropout
// masks, hence the same numbers, on every platform (see random.h).
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_MLP_TRAINER_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_MLP_TRAINER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fashion_mnist.h"
#include "hparams/callbacks.h"

namespace hparams_tuning {

enum class OptimizerKind { kAdam, kSgd };

// "adam" or "sgd"; InvalidArgument otherwise.
absl::StatusOr<OptimizerKind> parse_optimizer(std::string_view name);

struct TrainConfig {
  int num_units = 16;
  double dropout = 0.1;  // in [0, 1)
  OptimizerKind optimizer = OptimizerKind::kAdam;
  int epochs = 1;
  int batch_size = 32;
  uint64_t seed = 0;
};

struct TrainResult {
  double train_loss = 0;  // last epoch, running means over the epoch
  double train_accuracy = 0;
  double test_loss = 0;  // after training, on the whole test set
  double test_accuracy = 0;
  int64_t batches_per_epoch = 0;
  // The first error a callback returned. Training went on regardless:
  // logging must not take a run down.
  absl::Status logging_status;
};

// Number of batches one epoch of `num_examples` takes.
int64_t batches_per_epoch(size_t num_examples, int batch_size);

// Trains a fresh model on data.train, evaluating on data.test after every
// epoch, and drives `callback` as Model.fit() drives Keras callbacks.
// Errors: InvalidArgument for a bad config (the callback is not called);
// Internal when the loss becomes NaN or infinite, after calling
// callback.on_train_failed() with that status.
absl::StatusOr<TrainResult> train_and_evaluate(const FashionMnist& data, const TrainConfig& config,
                                               hp::Callback& callback);

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_MLP_TRAINER_H_
