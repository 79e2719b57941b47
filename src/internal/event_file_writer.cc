// The bounded, double-buffered queue and the worker thread that writes it.
#include "internal/event_file_writer.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/thread_start.h"

namespace hp {

absl::StatusOr<std::unique_ptr<EventFileWriter>> EventFileWriter::Open(Env* env, const std::string& path,
                                                                       std::string_view first_record,
                                                                       Options options) {
  absl::StatusOr<std::unique_ptr<WritableFile>> file = env->new_writable_file(path);
  if (!file.ok()) return file.status();
  absl::Status s = (*file)->append(first_record);
  if (s.ok()) s = (*file)->flush();
  if (!s.ok()) {
    // A failed Create leaves nothing behind (a full disk used to leave a
    // 0-byte event file).
    (void)(*file)->close();
    (void)env->remove_file(path);
    return s;
  }
  if (options.queue_capacity == 0) options.queue_capacity = 1;
  std::unique_ptr<EventFileWriter> writer(new EventFileWriter(env, std::move(*file), path, std::move(options)));
  absl::StatusOr<std::thread> worker =
      internal::start_thread(absl::StrCat("the writer thread for event file '", path, "'"),
                             [w = writer.get()] { w->run(); });
  if (!worker.ok()) {
    writer.reset();  // no worker: closing only closes the file
    (void)env->remove_file(path);
    return worker.status();
  }
  writer->worker_ = std::move(*worker);
  return writer;
}

EventFileWriter::EventFileWriter(Env* env, std::unique_ptr<WritableFile> file, std::string path, Options options)
    : env_(env),
      file_(std::move(file)),
      path_(std::move(path)),
      options_(std::move(options)),
      wake_events_(std::max<size_t>(1, options.queue_capacity / 2)),
      wake_bytes_(std::min<size_t>(size_t{128} << 10, std::max<size_t>(1, options.max_buffered_bytes / 2))) {}

EventFileWriter::~EventFileWriter() { (void)close(); }

absl::Status EventFileWriter::append(absl::FunctionRef<void(std::string*)> fill) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (closing_) return closed_error();
    if (!status_.ok()) return status_;
    const bool room = pending_events_ < options_.queue_capacity &&
                      (pending_.size() < options_.max_buffered_bytes || pending_events_ == 0);
    if (room) break;
    ++space_waiters_;
    worker_cv_.notify_one();
    space_cv_.wait(lock);
    --space_waiters_;
  }
  fill(&pending_);
  ++pending_events_;
  ++appended_;
  // Wake the worker once per batch; a notify costs a system call when the
  // worker sleeps, which the hot path cannot afford on every event.
  if (!worker_signaled_ && (pending_events_ >= wake_events_ || pending_.size() >= wake_bytes_)) {
    worker_signaled_ = true;
    worker_cv_.notify_one();
  }
  return absl::OkStatus();
}

absl::Status EventFileWriter::append_record(std::string_view framed) {
  return append([framed](std::string* buffer) { buffer->append(framed.data(), framed.size()); });
}

absl::Status EventFileWriter::flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t ticket = appended_;
  if (written_ >= ticket || !status_.ok()) {
    check_linked_locked();
    return status_;
  }
  flush_target_ = std::max(flush_target_, ticket);
  worker_cv_.notify_one();
  ++flush_waiters_;
  flushed_cv_.wait(lock, [&] { return written_ >= ticket || !status_.ok() || worker_done_; });
  --flush_waiters_;
  check_linked_locked();
  return status_;
}

void EventFileWriter::check_linked_locked() {
  // close() touches the file only after setting closing_, which it cannot
  // do while this thread holds mu_; the worker may be appending meanwhile,
  // which check_linked() allows.
  if (closing_ || !status_.ok()) return;
  absl::Status linked = file_->check_linked();
  if (!linked.ok()) status_ = deleted_error(linked);
}

absl::Status EventFileWriter::deleted_error(const absl::Status& s) const {
  if (!absl::IsDataLoss(s)) return annotate(s, "checking the file");
  return absl::DataLossError(absl::StrCat(
      "event file '", path_, "' was deleted while the writer was open (was the log directory removed?): ",
      s.message(), ". Events logged to this writer are lost and it now returns this error;"
      " create a new SummaryWriter to log again"));
}

absl::Status EventFileWriter::close() {
  std::lock_guard<std::mutex> close_lock(close_mu_);
  if (closed_) return close_status_;
  closed_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  worker_cv_.notify_one();
  if (worker_.joinable()) worker_.join();
  absl::Status s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s = status_;
  }
  if (s.ok()) {
    s = file_->check_linked();
    if (!s.ok()) s = deleted_error(s);
  }
  if (s.ok()) {
    s = file_->sync();
    if (s.ok()) {
      s = file_->close();
      if (!s.ok()) s = annotate(s, "closing");
      for (size_t i = 0; s.ok() && i < options_.dirs_to_sync.size(); ++i) {
        s = env_->sync_dir(options_.dirs_to_sync[i]);
        if (!s.ok()) s = annotate(s, "syncing its directories");
      }
    } else {
      s = annotate(s, "syncing");
      (void)file_->close();
    }
  } else {
    (void)file_->close();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.ok()) status_ = s;
  }
  close_status_ = s;
  return s;
}

void EventFileWriter::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = absl::ToChronoNanoseconds(std::max(options_.flush_interval, absl::Milliseconds(1)));
  std::string writing;  // the worker's half of the double buffer
  std::unique_lock<std::mutex> lock(mu_);
  auto next_flush = Clock::now() + interval;
  const auto ready = [&] {
    return closing_ || (pending_events_ > 0 && (flush_target_ > written_ || space_waiters_ > 0 ||
                                                pending_events_ >= wake_events_ || pending_.size() >= wake_bytes_));
  };
  for (;;) {
    if (!ready()) worker_cv_.wait_until(lock, next_flush, ready);
    worker_signaled_ = false;
    const auto now = Clock::now();
    if (now >= next_flush) next_flush = now + interval;
    if (pending_events_ == 0) {
      if (closing_) break;
      continue;
    }
    writing.swap(pending_);
    const uint64_t batch_end = appended_;
    pending_events_ = 0;
    if (space_waiters_ > 0) space_cv_.notify_all();
    lock.unlock();
    absl::Status s = file_->append(writing);
    if (s.ok()) s = file_->flush();
    // One fstat per batch notices a removed logdir within a flush interval.
    absl::Status linked = s.ok() ? file_->check_linked() : absl::OkStatus();
    writing.clear();
    lock.lock();
    if (!s.ok()) {
      status_ = annotate(s, "writing");
      break;
    }
    if (!linked.ok()) {
      status_ = deleted_error(linked);
      break;
    }
    written_ = batch_end;
    if (flush_waiters_ > 0) flushed_cv_.notify_all();
  }
  worker_done_ = true;
  // Whatever ended the loop, nobody may be left waiting on this worker.
  space_cv_.notify_all();
  flushed_cv_.notify_all();
}

absl::Status EventFileWriter::closed_error() const {
  return absl::FailedPreconditionError(absl::StrCat("the writer for '", path_,
                                                    "' is closed; create a new SummaryWriter to log more"));
}

absl::Status EventFileWriter::annotate(const absl::Status& s, std::string_view during) const {
  return absl::Status(s.code(), absl::StrCat("event file '", path_, "': ", absl::string_view(during.data(), during.size()),
                                             " failed: ", s.message(),
                                             ". Events logged after the last successful flush() may be lost;"
                                             " this writer now returns this error"));
}

}  // namespace hp
