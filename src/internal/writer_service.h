// WriterService: the process-wide I/O service that issue 9 moves the
// SummaryWriter onto (not wired into SummaryWriter yet; see the report in
// bench/README.md). One I/O thread by default serves every event file of
// the process, as spdlog's async loggers share one thread pool.
//
// Caller path (Stream::append): each (thread, stream) pair gets its own
// GrowableSpscQueue the first time that thread appends to that stream
// (registered under the stream's mutex once; later calls find it in a
// thread-local cache). The caller encodes straight into the ring and
// publishes with a release store; it makes a system call only when the
// worker has announced it is going to sleep (one caller pays the wake-up,
// the others see the flag already cleared). A full ring grows while the
// process-wide ByteBudget allows, then blocks the caller until the worker
// frees room: nothing is dropped.
//
// Worker: visits its streams round robin, writing at most kBatchBytes of a
// stream per visit, so one slow file delays the others by one bounded
// batch, not by its whole backlog. On a stalled NFS mount the worker
// blocks inside that one write(2): every stream on the same worker waits
// for it (their callers keep running until their rings fill, then block);
// streams on other workers (set_writer_threads) are unaffected. The
// service is a leaked singleton created on first use, so no static
// destructor ever joins its threads (spdlog's exit hang); each stream's
// close() does the draining.
//
// Ordering and flush: bytes appended by one thread reach the file in that
// thread's order. flush() records every queue's published() position and
// waits until the worker has handed that much of each to the OS.
//
// Errors: a failed write makes the stream's status sticky: the stream's
// blocked callers are woken, later calls return the status, its rings are
// drained and discarded; other streams go on.
//
// Thread safety: every Stream method may be called from many threads at
// once; the stream must outlive the calls.
#ifndef HPARAMS_INTERNAL_WRITER_SERVICE_H_
#define HPARAMS_INTERNAL_WRITER_SERVICE_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hparams/env.h"
#include "internal/spsc_ring.h"

namespace hp::internal {

class WriterService {
 public:
  // Bytes of one stream written per visit before the worker moves on.
  static constexpr size_t kBatchBytes = size_t{256} << 10;
  // Every queue starts with a ring this small (1,000 idle writers cost
  // 4 MiB) and doubles on demand up to kMaxRingBytes.
  static constexpr size_t kInitialRingBytes = size_t{4} << 10;
  static constexpr size_t kMaxRingBytes = size_t{1} << 20;
  // All grown rings of the process together.
  static constexpr size_t kBudgetBytes = size_t{128} << 20;

  class Stream;

  // The process's service; starts its threads on the first call.
  // ResourceExhausted (never an exception) when a thread cannot start; a
  // later call tries again.
  static absl::StatusOr<WriterService*> Get();

  // How many I/O threads the service starts (default 1); effective only
  // before the first Get(). Values are clamped to [1, 8].
  static void set_threads(int n);

  // Registers `file` (already holding its first record). A caller wakes the
  // worker once per 64 KiB it queues; otherwise the worker comes by at
  // least every `flush_interval` (and at once on flush() and close()).
  std::shared_ptr<Stream> add_stream(std::unique_ptr<WritableFile> file, std::string path,
                                     absl::Duration flush_interval);

  // I/O threads running.
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  class Worker;
  WriterService() = default;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<size_t> next_worker_{0};
  ByteBudget budget_{kBudgetBytes};
};

class WriterService::Stream {
 public:
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Queues one framed record. Blocks only while this thread's ring is full
  // and cannot grow. FailedPrecondition after close(); the sticky error.
  absl::Status append(std::string_view framed);
  // Waits until everything appended before the call is handed to the OS.
  absl::Status flush();
  // Drains, flushes, fsyncs and closes the file; idempotent.
  absl::Status close();

  const std::string& path() const { return path_; }

 private:
  friend class WriterService;
  friend class WriterService::Worker;
  struct Queue {
    explicit Queue(ByteBudget* budget) : q(kInitialRingBytes, kMaxRingBytes, budget) {}
    GrowableSpscQueue q;
    // Producer only: bytes published since this queue last woke the worker.
    size_t unannounced = 0;
    // Bytes of q handed to the OS (worker writes, flush() reads).
    std::atomic<uint64_t> handed{0};
  };

  Stream(WriterService::Worker* worker, ByteBudget* budget, uint64_t id, std::unique_ptr<WritableFile> file,
         std::string path, absl::Duration flush_interval);
  Queue* queue_for_this_thread();
  absl::Status status() const;
  void fail(const absl::Status& s);
  bool has_pending() const;
  // Worker: writes up to kBatchBytes; true when it wrote or discarded bytes.
  bool drain_some();
  void notify_progress();

  WriterService::Worker* const worker_;
  ByteBudget* const budget_;
  const uint64_t id_;  // never reused, keys the thread-local caches
  const std::string path_;
  const absl::Duration flush_interval_;
  std::unique_ptr<WritableFile> file_;  // the worker's until close() detaches the stream

  mutable std::mutex mu_;
  std::condition_variable progress_cv_;  // room freed, bytes handed, or failure
  std::vector<std::unique_ptr<Queue>> queues_;  // guarded by mu_; entries never removed before ~Stream
  std::atomic<size_t> queue_count_{0};
  absl::Status status_;  // guarded by mu_; sticky
  std::atomic<bool> failed_{false};
  std::atomic<bool> closing_{false};
  std::atomic<int> active_appends_{0};
  std::atomic<int> waiters_{0};
  std::mutex io_mu_;       // held by the worker while it writes this stream
  bool detached_ = false;  // guarded by io_mu_: the worker must not touch file_
  bool detached_for_flush_ = false;  // guarded by mu_: close() is done, flush() returns
  std::mutex close_mu_;
  bool closed_ = false;
  absl::Status close_status_;
};

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_WRITER_SERVICE_H_
