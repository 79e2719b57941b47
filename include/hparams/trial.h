// hp::Trial: one trial's run as one object, the C++ form of Python's
//   with tf.summary.create_file_writer(run_dir).as_default():
//     hp.hparams(hparams)
//     tf.summary.scalar("accuracy", accuracy, step=1)
//
//   absl::StatusOr<hp::Trial> trial = hp::Trial::start("logs/run-0", {{HP_NUM_UNITS, 16}});
//   if (!trial.ok()) return trial.status();
//   absl::Status s = trial->scalar("accuracy", 0.85, /*step=*/1);
//   s.Update(trial->end());  // STATUS_SUCCESS; or end(hp::STATUS_FAILURE)
//
// start() creates the run directory, opens its writer and writes the
// session start (hp::hparams). end() writes the session end and closes the
// writer. A trial that is destroyed without end() still ends its session:
// with STATUS_FAILURE while an exception unwinds the stack (the trial was
// cut short), with STATUS_UNKNOWN otherwise (nobody said how it went), and
// the destructor closes the writer quietly.
//
// Errors: start() returns InvalidArgument for invalid hparams (nothing is
// created) and the writer's error when the directory or file cannot be
// made. Every later call returns its own error, and end() returns the
// trial's first error, so a loop may log freely and check once at the end.
// A moved-from trial, or one that has ended, answers FailedPrecondition.
//
// Thread safety: scalar() may be called from many threads, as the writer's
// methods; start(), end(), moves and destruction need one owner.
#ifndef HPARAMS_TRIAL_H_
#define HPARAMS_TRIAL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/hparam.h"
#include "hparams/writer.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

struct TrialOptions {
  // The session group name TensorBoard shows, verbatim; empty: the hash of
  // the hparams Python's summary_v2 computes.
  std::optional<std::string> trial_id;
  // Options of the trial's writer.
  WriterOptions writer;
};

class Trial {  // movable, not copyable
 public:
  // Creates run_dir, opens its writer and writes the session start (hp::hparams).
  static absl::StatusOr<Trial> start(const std::string& run_dir, const HParams& hparams,
                                     TrialOptions options = {});

  Trial(Trial&& other) noexcept;
  // Ends this trial's session first, as the destructor would.
  Trial& operator=(Trial&& other) noexcept;
  Trial(const Trial&) = delete;
  Trial& operator=(const Trial&) = delete;

  // The writer's scalar(); FailedPrecondition after end().
  absl::Status scalar(std::string_view tag, double value, int64_t step);
  // Session end with `status`, then close; returns the trial's first error. Idempotent.
  absl::Status end(SessionStatus status = STATUS_SUCCESS);
  // The trial's writer, for anything beyond scalars (closed after end()).
  // Requires a trial that was not moved from.
  SummaryWriter& writer();
  // Makes the trial's writer the thread's default, so hp::scalar() and the
  // other free functions log to this trial until the scope ends.
  [[nodiscard]] DefaultWriterScope as_default();
  // Without end(): STATUS_FAILURE while an exception unwinds, STATUS_UNKNOWN otherwise.
  ~Trial();

 private:
  explicit Trial(std::unique_ptr<SummaryWriter> writer);
  // The destructor's rule, also used before a move assignment.
  void end_implicitly() noexcept;

  std::unique_ptr<SummaryWriter> writer_;
  // std::uncaught_exceptions() when the trial began: more at destruction
  // means an exception is unwinding through the trial's scope.
  int uncaught_at_start_ = 0;
  bool ended_ = false;
  absl::Status first_error_;
};

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_TRIAL_H_
