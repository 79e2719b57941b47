// Keras-style training callbacks: hook any C++ training loop to TensorBoard.
//
// A training loop calls a Callback at fixed points, as Keras's Model.fit()
// does; the callbacks decide what to log. In five lines:
//
//   hp::KerasCallback hparams_cb("logs/run-0", trial);       // session start/end
//   hp::TensorBoardCallback metrics_cb("logs/run-0");         // epoch_* scalars
//   hp::CallbackList callbacks({&hparams_cb, &metrics_cb});
//   absl::Status s = callbacks.on_train_begin();
//   for (int epoch = 0; epoch < n; ++epoch) {
//     ... train ...
//     s.Update(callbacks.on_epoch_end(epoch, {{"loss", loss}, {"accuracy", acc},
//                                             {"val_accuracy", val_acc}}));
//   }
//   s.Update(callbacks.on_train_end({}));  // or on_train_failed(error)
//
// Call order: on_train_begin; per epoch on_epoch_begin, on_train_batch_end
// after each batch, on_epoch_end; then exactly one of on_train_end
// (success) or on_train_failed (the loop gave up). Epochs and batches are
// numbered from 0, as in Keras.
//
// Errors: every hook returns absl::Status so a failing logger (full disk,
// unwritable logdir) is reported. The library never stops training: what to
// do is the loop's decision. Logging should not take a run down, so the
// recommended loop (and examples/hparams_tuning) keeps training, collects
// the first error with Status::Update, and reports it at the end.
// CallbackList calls every callback even after one fails and returns the
// first error.
//
// Thread safety: a callback is driven by one training loop at a time; the
// classes here are not safe for concurrent calls.
#ifndef HPARAMS_CALLBACKS_H_
#define HPARAMS_CALLBACKS_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace hp {

// Keras's `logs` dict: metric name -> value, in insertion order (Keras
// writes them in that order). Small, so lookups scan.
class Logs {
 public:
  using Entry = std::pair<std::string, double>;
  using const_iterator = std::vector<Entry>::const_iterator;

  Logs() = default;
  // A repeated name keeps its first position and its last value.
  Logs(std::initializer_list<Entry> entries);  // NOLINT: implicit, for {{"loss", 0.3}}

  // Adds `name`, or replaces its value in place.
  void set(std::string_view name, double value);
  // The value of `name`, or nullopt.
  std::optional<double> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  friend bool operator==(const Logs& a, const Logs& b) { return a.entries_ == b.entries_; }
  friend bool operator!=(const Logs& a, const Logs& b) { return !(a == b); }

 private:
  std::vector<Entry> entries_;
};

// Base class: every hook does nothing and returns OK; override what you need.
class Callback {
 public:
  Callback() = default;
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  virtual ~Callback() = default;

  virtual absl::Status on_train_begin() { return absl::OkStatus(); }
  // The run succeeded; `logs` are the last epoch's (may be empty).
  virtual absl::Status on_train_end(const Logs& /*logs*/) { return absl::OkStatus(); }
  virtual absl::Status on_epoch_begin(int64_t /*epoch*/) { return absl::OkStatus(); }
  // `logs` holds training metrics ("loss") and validation metrics with the
  // Keras prefix ("val_loss").
  virtual absl::Status on_epoch_end(int64_t /*epoch*/, const Logs& /*logs*/) {
    return absl::OkStatus();
  }
  // `batch` counts from 0 within the epoch; `logs` are running averages
  // over the epoch so far, as in Keras.
  virtual absl::Status on_train_batch_end(int64_t /*batch*/, const Logs& /*logs*/) {
    return absl::OkStatus();
  }
  // The run failed with `status` (instead of on_train_end).
  virtual absl::Status on_train_failed(const absl::Status& /*status*/) {
    return absl::OkStatus();
  }
};

// Forwards each hook to many callbacks, in the order added.
class CallbackList : public Callback {
 public:
  CallbackList() = default;
  // Borrows the callbacks: they must outlive the list. Null pointers are skipped.
  explicit CallbackList(std::vector<Callback*> callbacks);

  // Borrows `callback` (must outlive the list); ignored when null.
  void add(Callback* callback);
  // Owns `callback`; ignored when null.
  void add(std::unique_ptr<Callback> callback);
  size_t size() const { return callbacks_.size(); }

  absl::Status on_train_begin() override;
  absl::Status on_train_end(const Logs& logs) override;
  absl::Status on_epoch_begin(int64_t epoch) override;
  absl::Status on_epoch_end(int64_t epoch, const Logs& logs) override;
  absl::Status on_train_batch_end(int64_t batch, const Logs& logs) override;
  absl::Status on_train_failed(const absl::Status& status) override;

 private:
  std::vector<Callback*> callbacks_;
  std::vector<std::unique_ptr<Callback>> owned_;
};

}  // namespace hp

#endif  // HPARAMS_CALLBACKS_H_
