// hp::Trial: session start, scalars and session end on one owned writer.
#include "hparams/trial.h"

#include <exception>
#include <utility>

namespace hp {
namespace {

absl::Status moved_from_error(const char* method) {
  return absl::FailedPreconditionError(std::string("hp::Trial::") + method +
                                       ": this trial was moved from; use the trial it was moved into");
}

}  // namespace

absl::StatusOr<Trial> Trial::start(const std::string& run_dir, const HParams& hparams, TrialOptions options) {
  // Checked before the writer exists, so bad hparams create no directory.
  if (absl::Status s = hparams.validate(); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<SummaryWriter>> writer = SummaryWriter::create(run_dir, options.writer);
  if (!writer.ok()) return writer.status();
  absl::Status s = (*writer)->hparams(hparams, std::move(options.trial_id));
  if (!s.ok()) {
    s.Update((*writer)->close());
    return s;
  }
  return Trial(*std::move(writer));
}

Trial::Trial(std::unique_ptr<SummaryWriter> writer)
    : writer_(std::move(writer)), uncaught_at_start_(std::uncaught_exceptions()) {}

Trial::Trial(Trial&& other) noexcept
    : writer_(std::move(other.writer_)),
      uncaught_at_start_(other.uncaught_at_start_),
      ended_(other.ended_),
      first_error_(std::move(other.first_error_)) {}

Trial& Trial::operator=(Trial&& other) noexcept {
  if (this != &other) {
    end_implicitly();
    writer_ = std::move(other.writer_);
    uncaught_at_start_ = other.uncaught_at_start_;
    ended_ = other.ended_;
    first_error_ = std::move(other.first_error_);
  }
  return *this;
}

Trial::~Trial() { end_implicitly(); }

void Trial::end_implicitly() noexcept {
  if (writer_ == nullptr || ended_) return;
  // The status is dropped: a destructor has nobody to tell. Call end() to see it.
  (void)end(std::uncaught_exceptions() > uncaught_at_start_ ? STATUS_FAILURE : STATUS_UNKNOWN);
}

absl::Status Trial::scalar(std::string_view tag, double value, int64_t step) {
  if (writer_ == nullptr) return moved_from_error("scalar");
  if (ended_) {
    return absl::FailedPreconditionError(
        "hp::Trial::scalar: the trial has ended; log every scalar before calling end()");
  }
  absl::Status s = writer_->scalar(tag, value, step);
  first_error_.Update(s);
  return s;
}

absl::Status Trial::end(SessionStatus status) {
  if (writer_ == nullptr) return moved_from_error("end");
  if (ended_) return first_error_;
  ended_ = true;
  first_error_.Update(writer_->session_end(status));
  first_error_.Update(writer_->close());
  return first_error_;
}

SummaryWriter& Trial::writer() { return *writer_; }

// A moved-from trial gives a scope with no default writer: the free functions
// then answer FailedPrecondition instead of crashing.
DefaultWriterScope Trial::as_default() { return DefaultWriterScope(writer_.get()); }

}  // namespace hp
