// WriterService: the process-wide I/O service behind every SummaryWriter.
// One I/O thread by default (hp::set_writer_threads for more) serves every
// event file of the process, as spdlog's async loggers share one thread
// pool: 1,000 open writers cost one thread, not 1,000.
//
// Caller path (Stream::append): each (thread, stream) pair gets its own
// GrowableSpscQueue the first time that thread appends to that stream
// (registered under the stream's mutex once; later calls find it in a
// thread-local cache). The caller encodes straight into the ring and
// publishes it; it makes a system call only when the
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
// drained and discarded; other streams go on. Each batch, flush() and
// close() also check that the file still has a name
// (WritableFile::check_linked): a file deleted under the writer is a sticky
// DataLoss, never a silent OK.
//
// Close racing appends: a caller publishes, then reads `closing_`; close()
// raises `closing_`, then reads what was published. A store-load pair on
// each side needs a full fence between them; the caller's is only a
// compiler barrier, close()'s is a process-wide one (asymmetric_fence.h;
// a locked instruction per append where the kernel lacks membarrier). So
// either close() sees the bytes (and writes them) or the caller sees
// `closing_` after publishing; that caller then waits for close() to
// finish and returns OK only if its bytes were written, FailedPrecondition
// otherwise. No append is lost silently, and the hot path has neither a
// locked instruction nor a shared counter.
//
// Thread safety: every Stream method may be called from many threads at
// once; the stream must outlive the calls.
#ifndef HPARAMS_INTERNAL_WRITER_SERVICE_H_
#define HPARAMS_INTERNAL_WRITER_SERVICE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hparams/env.h"
#include "internal/asymmetric_fence.h"
#include "internal/mutex.h"
#include "internal/spsc_ring.h"

namespace hp::internal {

// The calling thread's most recent (stream id, queue) pair: a loop logging
// to one writer finds its queue without a hash lookup or a call.
struct LastQueueOfThread {
  uint64_t stream_id = 0;
  void* queue = nullptr;
};
inline thread_local LastQueueOfThread t_last_queue;

class WriterService {
 public:
  // Bytes of one stream written per visit before the worker moves on.
  static constexpr size_t kBatchBytes = size_t{256} << 10;
  // A worker that found less than this to write sleeps until a producer
  // has queued kWakeBytes (or flush(), close(), a full ring, the flush
  // interval) instead of polling again: polling for a few records at a time
  // costs a write(2) per handful of records and keeps the producers' ring
  // and counter lines bouncing between the cores.
  static constexpr size_t kMinBatchBytes = size_t{16} << 10;
  // Every queue starts with a ring this small (1,000 idle writers cost
  // 4 MiB) and doubles on demand up to kMaxRingBytes.
  static constexpr size_t kInitialRingBytes = size_t{4} << 10;
  static constexpr size_t kMaxRingBytes = size_t{1} << 20;
  // All grown rings of the process together.
  static constexpr size_t kBudgetBytes = size_t{128} << 20;

  class Stream;

  struct StreamOptions {
    // The worker comes by at least this often when a caller did not wake it.
    absl::Duration flush_interval = absl::Seconds(2);
    // Largest ring of one (thread, stream) pair; at least 64 bytes, at most
    // kMaxRingBytes. A record larger than the ring is still accepted, alone.
    size_t max_ring_bytes = kMaxRingBytes;
    // close() fsyncs these directories (Env::sync_dir) after the file, in
    // order; `env` must outlive the stream when the list is not empty.
    Env* env = nullptr;
    std::vector<std::string> dirs_to_sync;
  };

  // The process's service; starts its threads on the first call.
  // ResourceExhausted (never an exception) when a thread cannot start; a
  // later call tries again.
  static absl::StatusOr<WriterService*> get();

  // How many I/O threads the service starts (default 1); effective only
  // before the first get(). Values are clamped to [1, 8].
  static void set_threads(int n);
  // For tests: the streams the calling thread keeps a queue pointer for.
  static size_t queues_remembered_by_this_thread();

  // Registers `file` (already holding its first record). A caller wakes the
  // worker once per 64 KiB it queues; otherwise the worker comes by at
  // least every `flush_interval` (and at once on flush() and close()).
  std::shared_ptr<Stream> add_stream(std::unique_ptr<WritableFile> file, std::string path,
                                     StreamOptions options);
  std::shared_ptr<Stream> add_stream(std::unique_ptr<WritableFile> file, std::string path,
                                     absl::Duration flush_interval) {
    StreamOptions options;
    options.flush_interval = flush_interval;
    return add_stream(std::move(file), std::move(path), std::move(options));
  }

  // I/O threads running.
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  class Worker;
  WriterService() = default;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<size_t> next_worker_{0};
  ByteBudget budget_{kBudgetBytes};
};

class WriterService::Stream : public std::enable_shared_from_this<WriterService::Stream> {
 public:
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // A caller wakes a sleeping worker once it has queued this much.
  static constexpr size_t kWakeBytes = size_t{64} << 10;

  // One (thread, stream) pair's queue and the producer's own state.
  struct Queue {
    Queue(size_t max_ring_bytes, ByteBudget* budget)
        : q(std::min(kInitialRingBytes, max_ring_bytes), max_ring_bytes, budget) {}
    GrowableSpscQueue q;
    // Producer only: bytes published since this queue last woke the worker.
    // On a line of its own with the rest of the producer's state, away from
    // the consumer's counters (false sharing cost more than the encoding).
    alignas(kCacheLine) size_t unannounced = 0;
    // Producer only, for the encoder's use (SummaryWriter: the scalar tags
    // this thread has written to this stream, and the last one).
    absl::flat_hash_set<std::string> seen_tags;
    std::string last_tag;
    // Bytes of q handed to the OS (worker writes, flush() reads).
    alignas(kCacheLine) std::atomic<uint64_t> handed{0};
  };

  // Queues one framed record. Blocks only while this thread's ring is full
  // and cannot grow. FailedPrecondition after close(); the sticky error.
  absl::Status append(std::string_view framed);

  // The hot path: `encode(char* out, Queue& queue)` writes one framed record
  // of at most `max_bytes` bytes to `out` and returns its size; it runs on
  // the calling thread, straight into the ring when there is room (into a
  // scratch buffer otherwise), and may use `queue`'s producer-only state.
  template <typename Encode>
  absl::Status append_encoded(size_t max_bytes, Encode&& encode);
  // Waits until everything appended before the call is handed to the OS.
  absl::Status flush();
  // Drains, flushes, fsyncs and closes the file; idempotent.
  absl::Status close();

  const std::string& path() const { return path_; }

 private:
  friend class WriterService;
  friend class WriterService::Worker;

  Stream(WriterService::Worker* worker, ByteBudget* budget, uint64_t id, std::unique_ptr<WritableFile> file,
         std::string path, StreamOptions options);
  Queue* queue_for_this_thread() {
    if (ABSL_PREDICT_TRUE(t_last_queue.stream_id == id_)) return static_cast<Queue*>(t_last_queue.queue);
    return find_or_add_queue_for_this_thread();
  }
  Queue* find_or_add_queue_for_this_thread();
  // Why an append is refused before it starts: closed or failed.
  absl::Status refusal();
  absl::Status closed_error() const;
  template <typename Encode>
  absl::Status append_encoded_slow(Queue* queue, size_t max_bytes, Encode& encode);
  // Copies `framed` in, waiting for room, then publishes.
  absl::Status append_slow(Queue* queue, std::string_view framed);
  // Publishes `n` bytes written at the pointer try_reserve returned.
  static void commit(Queue* queue, size_t n) {
    if (ABSL_PREDICT_TRUE(light_fence_is_enough())) {
      queue->q.commit(n);
      light_fence();
    } else {
      queue->q.commit_fenced(n);
    }
  }
  // After publishing `n` bytes: the close race, and waking the worker.
  absl::Status published(Queue* queue, size_t n) {
    if (ABSL_PREDICT_FALSE(closing_.load(std::memory_order_seq_cst))) return settle_with_close(queue);
    queue->unannounced += n;
    if (ABSL_PREDICT_FALSE(queue->unannounced >= std::min(kWakeBytes, queue->q.capacity() / 2))) {
      queue->unannounced = 0;
      wake_worker_if_sleeping();
    }
    return absl::OkStatus();
  }
  absl::Status settle_with_close(Queue* queue);
  void wake_worker_if_sleeping();
  // Makes a deleted file (check_linked() failing) the sticky error; the
  // caller holds io_mu_ and the stream is not detached.
  void check_linked_io_locked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(io_mu_);
  absl::Status annotate(const absl::Status& s, std::string_view during) const;
  absl::Status status() const;
  void fail(const absl::Status& s);
  // Bytes published but not yet handed to the OS, over all its queues.
  size_t pending_bytes() const;
  // Worker: writes up to kBatchBytes (plus one ring); the bytes it wrote or
  // discarded.
  size_t drain_some();
  void notify_progress();

  WriterService::Worker* const worker_;
  ByteBudget* const budget_;
  const uint64_t id_;  // never reused, keys the thread-local caches
  const std::string path_;
  const StreamOptions options_;
  // The worker's (under io_mu_) until close() detaches the stream, then
  // close()'s: an ownership hand-over the analysis cannot express.
  std::unique_ptr<WritableFile> file_;

  mutable Mutex mu_;
  CondVar progress_cv_;  // room freed, bytes handed, or failure
  // Entries are never removed before ~Stream.
  std::vector<std::unique_ptr<Queue>> queues_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> queue_count_{0};
  absl::Status status_ ABSL_GUARDED_BY(mu_);  // sticky
  std::atomic<int> waiters_{0};
  // Read by every append, written once: on a line of their own, away from
  // mu_, which the worker takes per batch.
  alignas(kCacheLine) std::atomic<bool> failed_{false};
  std::atomic<bool> closing_{false};
  alignas(kCacheLine) Mutex io_mu_;                       // held by the worker while it writes this stream
  bool detached_ ABSL_GUARDED_BY(io_mu_) = false;         // set: the worker must not touch file_
  bool detached_for_flush_ ABSL_GUARDED_BY(mu_) = false;  // close() is done, flush() returns
  Mutex close_mu_;                                        // serialises close()
  bool closed_ ABSL_GUARDED_BY(close_mu_) = false;
  absl::Status close_status_ ABSL_GUARDED_BY(close_mu_);
};

template <typename Encode>
absl::Status WriterService::Stream::append_encoded(size_t max_bytes, Encode&& encode) {
  if (ABSL_PREDICT_FALSE(closing_.load(std::memory_order_relaxed) ||
                         failed_.load(std::memory_order_relaxed))) {
    return refusal();
  }
  Queue* queue = queue_for_this_thread();
  if (char* out = queue->q.try_reserve(max_bytes); ABSL_PREDICT_TRUE(out != nullptr)) {
    const size_t n = encode(out, *queue);
    commit(queue, n);
    return published(queue, n);
  }
  return append_encoded_slow(queue, max_bytes, encode);
}

template <typename Encode>
ABSL_ATTRIBUTE_NOINLINE absl::Status WriterService::Stream::append_encoded_slow(Queue* queue,
                                                                                size_t max_bytes,
                                                                                Encode& encode) {
  // No room in the ring now: encode aside, then wait for room.
  constexpr size_t kStackBytes = 256;
  char stack[kStackBytes];
  std::string heap;
  char* out = stack;
  if (max_bytes > kStackBytes) {
    heap.resize(max_bytes);
    out = heap.data();
  }
  const size_t n = encode(out, *queue);
  return append_slow(queue, std::string_view(out, n));
}

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_WRITER_SERVICE_H_
