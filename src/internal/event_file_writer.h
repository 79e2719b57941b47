// EventFileWriter: the bounded queue and the worker thread behind
// SummaryWriter.
//
// Callers append already-framed records to an in-memory buffer under a
// short mutex; one worker thread swaps that buffer for an empty one (double
// buffering) and writes it to the file. The buffer holds at most
// queue_capacity events: a caller that finds it full waits, nothing is
// dropped. The worker writes when the buffer holds half the capacity or
// ~128 KiB, on flush(), on close(), and at least every flush_interval.
//
// flush() takes a ticket (the number of events appended so far) and waits
// until the worker has handed that many to the OS. A worker I/O error is
// sticky: it wakes every waiter, and append/flush/close return it from then
// on. close() drains the queue, fsyncs the file and the directories named
// in Options::dirs_to_sync, and closes; it is idempotent. Each
// batch, flush() and close() also check that the file still has a name
// (WritableFile::check_linked): a file deleted under the writer is a sticky
// DataLoss, never a silent OK.
//
// Thread safety: all methods may be called concurrently. Records appended
// by one thread reach the file in that thread's order.
#ifndef HPARAMS_INTERNAL_EVENT_FILE_WRITER_H_
#define HPARAMS_INTERNAL_EVENT_FILE_WRITER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hparams/env.h"

namespace hp {

class EventFileWriter {
 public:
  struct Options {
    size_t queue_capacity = size_t{1} << 16;  // events
    absl::Duration flush_interval = absl::Seconds(2);
    // A second bound, in bytes, so a few huge events cannot pile up without
    // limit. An event larger than this is still accepted, alone.
    size_t max_buffered_bytes = size_t{32} << 20;
    // Directories whose entries close() makes durable (Env::sync_dir) after
    // fsyncing the file: the file's own, and the parent of each directory
    // the writer created, so a power loss cannot take the file's name away.
    std::vector<std::string> dirs_to_sync;
  };

  // Creates `path` and writes `first_record` (framed bytes) synchronously,
  // so a bad path or full disk shows up here. Starts the worker:
  // ResourceExhausted if the OS refuses the thread. On any error the file
  // is removed again.
  static absl::StatusOr<std::unique_ptr<EventFileWriter>> Open(Env* env, const std::string& path,
                                                               std::string_view first_record, Options options);

  EventFileWriter(const EventFileWriter&) = delete;
  EventFileWriter& operator=(const EventFileWriter&) = delete;
  // Closes quietly.
  ~EventFileWriter();

  // Waits for room, then calls `fill(buffer)` under the queue lock; `fill`
  // must append exactly one framed record to `buffer`. Running it under the
  // lock lets a caller make decisions that depend on file order (such as
  // "first event of this tag carries the metadata"). `fill` must be quick
  // and must not call back into this writer.
  // FailedPrecondition after close(); the sticky error after a failure.
  absl::Status append(absl::FunctionRef<void(std::string*)> fill);
  // Appends one framed record.
  absl::Status append_record(std::string_view framed);

  // Waits until every event appended before the call is handed to the OS.
  absl::Status flush();
  // Drains, flushes, fsyncs and closes. Later calls return the same status.
  absl::Status close();

  const std::string& path() const { return path_; }

 private:
  EventFileWriter(Env* env, std::unique_ptr<WritableFile> file, std::string path, Options options);
  void run();
  absl::Status closed_error() const;
  // Makes a deleted file (check_linked() failing) the sticky error.
  void check_linked_locked();
  absl::Status deleted_error(const absl::Status& s) const;
  absl::Status annotate(const absl::Status& s, std::string_view during) const;

  Env* const env_;
  std::unique_ptr<WritableFile> file_;
  const std::string path_;
  const Options options_;
  // Fill levels at which a caller wakes the worker. Batches of ~128 KiB
  // stay in L2 between the two threads and cost one wake-up per ~2,600
  // scalars; larger ones measured slower, smaller ones put the wake-up's
  // system call into the 99.9th percentile.
  const size_t wake_events_;
  const size_t wake_bytes_;

  std::mutex mu_;
  std::condition_variable worker_cv_;   // the worker waits for work
  std::condition_variable space_cv_;    // callers wait for room
  std::condition_variable flushed_cv_;  // flush() waits for its ticket
  std::string pending_;                 // framed records not yet taken by the worker
  size_t pending_events_ = 0;
  uint64_t appended_ = 0;      // events ever appended (the ticket counter)
  uint64_t written_ = 0;       // events handed to the OS
  uint64_t flush_target_ = 0;  // highest ticket a flush() waits for
  int space_waiters_ = 0;
  int flush_waiters_ = 0;
  bool worker_signaled_ = false;  // a wake-up is on its way to the worker
  bool closing_ = false;
  bool worker_done_ = false;
  absl::Status status_;  // sticky worker error

  std::mutex close_mu_;  // serialises close()
  bool closed_ = false;
  absl::Status close_status_;
  std::thread worker_;
};

}  // namespace hp

#endif  // HPARAMS_INTERNAL_EVENT_FILE_WRITER_H_
