// ProgressCallback: Keras-style progress output for one trial, itself a
// hp::Callback, so the trainer drives it like any logger.
//
// On a terminal it redraws a bar on one line as batches finish; otherwise
// (a pipe, a CI log) it prints nothing per batch. Either way each epoch
// ends with one Keras-like line: "epoch 1/1 - 0.9s - loss: 0.51 - ...".
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_PROGRESS_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "hparams/callbacks.h"

namespace hparams_tuning {

class ProgressCallback : public hp::Callback {
 public:
  // Writes to `out`; draws the bar only when `interactive`.
  ProgressCallback(std::FILE* out, bool interactive, int64_t epochs, int64_t batches_per_epoch);

  absl::Status on_epoch_begin(int64_t epoch) override;
  absl::Status on_train_batch_end(int64_t batch, const hp::Logs& logs) override;
  absl::Status on_epoch_end(int64_t epoch, const hp::Logs& logs) override;
  absl::Status on_train_failed(const absl::Status& status) override;

 private:
  void draw(int64_t done, const hp::Logs& logs);

  std::FILE* out_;
  bool interactive_;
  int64_t epochs_;
  int64_t batches_per_epoch_;
  std::chrono::steady_clock::time_point epoch_start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_PROGRESS_H_
