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
#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/hparam.h"
#include "hparams/writer.h"

HPARAMS_EXPORT_BEGIN
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
  virtual absl::Status on_epoch_end(int64_t /*epoch*/, const Logs& /*logs*/) { return absl::OkStatus(); }
  // `batch` counts from 0 within the epoch; `logs` are running averages
  // over the epoch so far, as in Keras.
  virtual absl::Status on_train_batch_end(int64_t /*batch*/, const Logs& /*logs*/) {
    return absl::OkStatus();
  }
  // The run failed with `status` (instead of on_train_end).
  virtual absl::Status on_train_failed(const absl::Status& /*status*/) { return absl::OkStatus(); }
};

// Forwards each hook to many callbacks, in the order added.
class CallbackList : public Callback {
 public:
  CallbackList() = default;
  // Borrows the callbacks: they must outlive the list. Null pointers are skipped.
  explicit CallbackList(const std::vector<Callback*>& callbacks);

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

// Python's hp.KerasCallback: logs one trial's hparams as a session.
//
// on_train_begin writes the session start (hp::hparams(hparams, trial_id))
// to the run's root writer; on_train_end writes session_end(STATUS_SUCCESS),
// on_train_failed session_end(STATUS_FAILURE); either then closes the
// writer the callback created. (Python's callback, TensorBoard 2.22, also
// writes STATUS_SUCCESS in on_train_end; a fit() that raises calls no hook
// there, so a failed Python run shows STATUS_UNKNOWN where ours shows
// STATUS_FAILURE.)
//
// Errors: on_train_begin returns InvalidArgument for invalid hparams
// (checked before anything is created, so nothing is written) and the
// writer's error when `logdir` cannot be created; on_train_end /
// on_train_failed return FailedPrecondition when no session was started,
// else the writer's error. A new on_train_begin after the end starts a new
// session (a new event file; TensorBoard keeps the first session start of a
// run, as it does for Python's callback used twice).
class KerasCallback : public Callback {
 public:
  // Writes to a SummaryWriter on `logdir` (e.g. "logs/hparam_tuning/run-0"),
  // created at train begin and closed at train end.
  KerasCallback(std::string logdir, HParams hparams, std::optional<std::string> trial_id = std::nullopt,
                WriterOptions options = {});
  // Writes to `writer`, which the caller owns, keeps open and must keep
  // alive while the callback is used.
  KerasCallback(SummaryWriter* writer, HParams hparams, std::optional<std::string> trial_id = std::nullopt);
  ~KerasCallback() override;

  absl::Status on_train_begin() override;
  absl::Status on_train_end(const Logs& logs) override;
  absl::Status on_train_failed(const absl::Status& status) override;

  const HParams& hparams() const { return hparams_; }

 private:
  absl::Status end_session(SessionStatus status);

  std::string logdir_;
  WriterOptions options_;
  HParams hparams_;
  std::optional<std::string> trial_id_;
  SummaryWriter* borrowed_writer_ = nullptr;
  std::unique_ptr<SummaryWriter> owned_writer_;
  bool in_session_ = false;
};

struct TensorBoardOptions {
  // Also write training logs as batch_<name> every `update_freq` batches
  // (Keras's update_freq=N); 0 writes per epoch only (update_freq="epoch").
  int64_t update_freq = 0;
  // For both writers (train/ and validation/).
  WriterOptions writer_options;
};

// The metrics side of Keras's TensorBoard callback, with Keras's layout:
//
//   on_epoch_end(epoch, {{"loss", l}, {"accuracy", a}, {"val_accuracy", v}})
//     <logdir>/train:      epoch_loss = l, epoch_accuracy = a   at step `epoch`
//     <logdir>/validation: epoch_accuracy = v (prefix "val_" stripped)
//
// so hp::Metric("epoch_accuracy").group("validation") finds the validation
// accuracy. The step is the epoch number the loop passes; Model.fit counts
// epochs from 0, so Keras writes its first epoch at step 0 (the golden
// logdir_validation, hand-made, uses step 1; TensorBoard's HParams
// dashboard reports the last value, whatever its step). With update_freq N,
// every Nth batch (counted over the whole run from 1, as Keras's global
// batch counter) writes batch_<name> to <logdir>/train at step = that count.
//
// Each writer is created on its first write, so a run without validation
// logs gets no validation/ directory, and closed on train end or failure.
// Errors: a writer that cannot be created returns its error on every later
// write to it, without retrying, until on_train_end or on_train_failed,
// which forget the error: a write after them tries to create the writer
// again. Write errors are the writer's.
class TensorBoardCallback : public Callback {
 public:
  explicit TensorBoardCallback(const std::string& logdir, TensorBoardOptions options = {});
  ~TensorBoardCallback() override;

  absl::Status on_train_begin() override;
  absl::Status on_epoch_end(int64_t epoch, const Logs& logs) override;
  absl::Status on_train_batch_end(int64_t batch, const Logs& logs) override;
  absl::Status on_train_end(const Logs& logs) override;
  absl::Status on_train_failed(const absl::Status& status) override;

 private:
  // A lazily created writer on one subdirectory.
  struct LazyWriter {
    std::string logdir;
    std::unique_ptr<SummaryWriter> writer;
    absl::Status create_error;
  };
  absl::StatusOr<SummaryWriter*> get(LazyWriter& lazy);
  absl::Status close_writers();

  TensorBoardOptions options_;
  LazyWriter train_;
  LazyWriter validation_;
  int64_t global_batch_ = 0;
};

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_CALLBACKS_H_
