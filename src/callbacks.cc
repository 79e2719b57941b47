// Logs, CallbackList, KerasCallback and TensorBoardCallback.
#include "hparams/callbacks.h"

#include "absl/strings/str_cat.h"

namespace hp {

Logs::Logs(std::initializer_list<Entry> entries) {
  for (const Entry& entry : entries) set(entry.first, entry.second);
}

void Logs::set(std::string_view name, double value) {
  for (Entry& entry : entries_) {
    if (entry.first == name) {
      entry.second = value;
      return;
    }
  }
  entries_.emplace_back(std::string(name), value);
}

std::optional<double> Logs::get(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.first == name) return entry.second;
  }
  return std::nullopt;
}

CallbackList::CallbackList(const std::vector<Callback*>& callbacks) {
  for (Callback* callback : callbacks) add(callback);
}

void CallbackList::add(Callback* callback) {
  if (callback != nullptr) callbacks_.push_back(callback);
}

void CallbackList::add(std::unique_ptr<Callback> callback) {
  if (callback == nullptr) return;
  callbacks_.push_back(callback.get());
  owned_.push_back(std::move(callback));
}

// Every callback runs even after one fails: one broken logger must not
// silence the others. The first error is returned.
#define HP_FORWARD_TO_ALL_(call)                                             \
  absl::Status first_error;                                                  \
  for (Callback * callback : callbacks_) first_error.Update(callback->call); \
  return first_error

absl::Status CallbackList::on_train_begin() { HP_FORWARD_TO_ALL_(on_train_begin()); }
absl::Status CallbackList::on_train_end(const Logs& logs) { HP_FORWARD_TO_ALL_(on_train_end(logs)); }
absl::Status CallbackList::on_epoch_begin(int64_t epoch) { HP_FORWARD_TO_ALL_(on_epoch_begin(epoch)); }
absl::Status CallbackList::on_epoch_end(int64_t epoch, const Logs& logs) {
  HP_FORWARD_TO_ALL_(on_epoch_end(epoch, logs));
}
absl::Status CallbackList::on_train_batch_end(int64_t batch, const Logs& logs) {
  HP_FORWARD_TO_ALL_(on_train_batch_end(batch, logs));
}
absl::Status CallbackList::on_train_failed(const absl::Status& status) {
  HP_FORWARD_TO_ALL_(on_train_failed(status));
}

#undef HP_FORWARD_TO_ALL_

namespace {

// Closes and drops a writer the callback owns, if any, keeping the first
// error in `status`.
void close_owned(std::unique_ptr<SummaryWriter>& writer, absl::Status& status) {
  if (writer == nullptr) return;
  status.Update(writer->close());
  writer.reset();
}

}  // namespace

// --- KerasCallback --------------------------------------------------------------

KerasCallback::KerasCallback(std::string logdir, HParams hparams, std::optional<std::string> trial_id,
                             WriterOptions options)
    : logdir_(std::move(logdir)),
      options_(std::move(options)),
      hparams_(std::move(hparams)),
      trial_id_(std::move(trial_id)) {}

KerasCallback::KerasCallback(SummaryWriter* writer, HParams hparams, std::optional<std::string> trial_id)
    : hparams_(std::move(hparams)), trial_id_(std::move(trial_id)), borrowed_writer_(writer) {}

// The owned writer's destructor closes it quietly; a session left open
// simply has no end, which TensorBoard shows as STATUS_UNKNOWN.
KerasCallback::~KerasCallback() = default;

absl::Status KerasCallback::on_train_begin() {
  if (in_session_) {
    return absl::FailedPreconditionError(
        "KerasCallback::on_train_begin: the previous session has not ended; call on_train_end or "
        "on_train_failed first");
  }
  // Checked before the writer exists, so bad hparams create no directory.
  if (absl::Status s = hparams_.validate(); !s.ok()) return s;
  SummaryWriter* writer = borrowed_writer_;
  if (writer == nullptr) {
    if (logdir_.empty()) {
      return absl::InvalidArgumentError(
          "KerasCallback needs a logdir or a writer; it was given an empty logdir or a null writer");
    }
    absl::StatusOr<std::unique_ptr<SummaryWriter>> created = SummaryWriter::create(logdir_, options_);
    if (!created.ok()) return created.status();
    owned_writer_ = *std::move(created);
    writer = owned_writer_.get();
  }
  absl::Status s = writer->hparams(hparams_, trial_id_);
  if (!s.ok()) {
    close_owned(owned_writer_, s);
    return s;
  }
  in_session_ = true;
  return absl::OkStatus();
}

absl::Status KerasCallback::end_session(SessionStatus status) {
  if (!in_session_) {
    return absl::FailedPreconditionError(
        absl::StrCat("KerasCallback: cannot end the session with ",
                     status == STATUS_SUCCESS ? "STATUS_SUCCESS" : "STATUS_FAILURE",
                     ": no session in progress (on_train_begin was not called or failed)"));
  }
  in_session_ = false;
  SummaryWriter* writer = owned_writer_ != nullptr ? owned_writer_.get() : borrowed_writer_;
  absl::Status s = writer->session_end(status);
  close_owned(owned_writer_, s);
  return s;
}

absl::Status KerasCallback::on_train_end(const Logs& /*logs*/) { return end_session(STATUS_SUCCESS); }

absl::Status KerasCallback::on_train_failed(const absl::Status& /*status*/) {
  return end_session(STATUS_FAILURE);
}

// --- TensorBoardCallback --------------------------------------------------------

namespace {
constexpr std::string_view kValidationPrefix = "val_";
}  // namespace

TensorBoardCallback::TensorBoardCallback(const std::string& logdir, TensorBoardOptions options)
    : options_(std::move(options)) {
  train_.logdir = absl::StrCat(logdir, "/train");
  validation_.logdir = absl::StrCat(logdir, "/validation");
}

TensorBoardCallback::~TensorBoardCallback() = default;

absl::StatusOr<SummaryWriter*> TensorBoardCallback::get(LazyWriter& lazy) {
  if (lazy.writer != nullptr) return lazy.writer.get();
  if (!lazy.create_error.ok()) return lazy.create_error;
  absl::StatusOr<std::unique_ptr<SummaryWriter>> created =
      SummaryWriter::create(lazy.logdir, options_.writer_options);
  if (!created.ok()) {
    lazy.create_error = created.status();
    return lazy.create_error;
  }
  lazy.writer = *std::move(created);
  return lazy.writer.get();
}

absl::Status TensorBoardCallback::on_train_begin() {
  global_batch_ = 0;
  return absl::OkStatus();
}

absl::Status TensorBoardCallback::on_epoch_end(int64_t epoch, const Logs& logs) {
  absl::Status first_error;
  for (const auto& [name, value] : logs) {
    const bool validation = std::string_view(name).substr(0, kValidationPrefix.size()) == kValidationPrefix;
    absl::StatusOr<SummaryWriter*> writer = get(validation ? validation_ : train_);
    if (!writer.ok()) {
      first_error.Update(writer.status());
      continue;
    }
    const std::string_view metric =
        validation ? std::string_view(name).substr(kValidationPrefix.size()) : std::string_view(name);
    first_error.Update((*writer)->scalar(absl::StrCat("epoch_", std::string(metric)), value, epoch));
  }
  return first_error;
}

absl::Status TensorBoardCallback::on_train_batch_end(int64_t /*batch*/, const Logs& logs) {
  ++global_batch_;
  if (options_.update_freq <= 0 || global_batch_ % options_.update_freq != 0) return absl::OkStatus();
  absl::Status first_error;
  for (const auto& [name, value] : logs) {
    absl::StatusOr<SummaryWriter*> writer = get(train_);
    if (!writer.ok()) return writer.status();
    first_error.Update((*writer)->scalar(absl::StrCat("batch_", name), value, global_batch_));
  }
  return first_error;
}

absl::Status TensorBoardCallback::close_writers() {
  absl::Status first_error;
  for (LazyWriter* lazy : {&train_, &validation_}) {
    close_owned(lazy->writer, first_error);
    // A later run may try again.
    lazy->create_error = absl::OkStatus();
  }
  return first_error;
}

absl::Status TensorBoardCallback::on_train_end(const Logs& /*logs*/) { return close_writers(); }

absl::Status TensorBoardCallback::on_train_failed(const absl::Status& /*status*/) { return close_writers(); }

}  // namespace hp
