// The writer service's workers, the caller path and close/flush.
#include "internal/writer_service.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "internal/thread_start.h"

namespace hp::internal {
namespace {

std::atomic<int> g_requested_threads{1};
std::atomic<uint64_t> g_next_stream_id{1};

// This thread's queue of each stream it has appended to, by stream id
// (ids are never reused, so an entry of a destroyed stream is never found).
// Entries of destroyed streams are dropped whenever the map has doubled
// since the last sweep, so a thread that logs to a long series of writers
// (a sweep's trials) keeps at most about twice the entries of the writers
// still alive, not one per writer it ever used.
struct ThreadQueues {
  struct Entry {
    void* queue;
    std::weak_ptr<const WriterService::Stream> stream;  // expired once the stream is destroyed
  };
  absl::flat_hash_map<uint64_t, Entry> by_id;
  size_t sweep_at = 64;
};
thread_local ThreadQueues t_queues;

void sweep_destroyed_streams(ThreadQueues& t) {
  absl::erase_if(t.by_id, [](const auto& entry) { return entry.second.stream.expired(); });
  t.sweep_at = std::max<size_t>(64, 2 * t.by_id.size());
}

}  // namespace

class WriterService::Worker {
 public:
  absl::Status start(int index) {
    absl::StatusOr<std::thread> t = start_thread(
        index == 0 ? std::string("the writer thread") : absl::StrCat("writer thread ", index + 1),
        [this] { run(); });
    if (!t.ok()) return t.status();
    t->detach();  // the service is never destroyed
    return absl::OkStatus();
  }

  void add(std::shared_ptr<Stream> stream) {
    MutexLock lock(&mu_);
    streams_.push_back(std::move(stream));
    ++generation_;
    wake_locked();
  }
  void remove(const Stream* stream) {
    MutexLock lock(&mu_);
    streams_.erase(std::remove_if(streams_.begin(), streams_.end(),
                                  [&](const std::shared_ptr<Stream>& s) { return s.get() == stream; }),
                   streams_.end());
    ++generation_;
  }

  // Called by a producer after publishing: a system call only when the
  // worker said it sleeps, and only for the first caller to see that. The
  // exchange is a full barrier on the producer's side; should a wake-up
  // still be missed, the worker's timed wait (the flush interval) bounds
  // the delay, and every caller that blocks wakes the worker itself.
  void maybe_wake() {
    if (sleeping_.exchange(false, std::memory_order_seq_cst)) wake();
  }
  void wake() {
    MutexLock lock(&mu_);
    wake_locked();
  }

 private:
  void wake_locked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    wake_pending_ = true;
    cv_.notify_one();
  }

  void run() {
    std::vector<std::shared_ptr<Stream>> streams;
    uint64_t seen = ~uint64_t{0};
    absl::Duration interval = absl::Seconds(2);
    for (;;) {
      {
        MutexLock lock(&mu_);
        if (generation_ != seen) {
          streams = streams_;
          seen = generation_;
          interval = absl::Seconds(2);
          for (const auto& s : streams) interval = std::min(interval, s->options_.flush_interval);
          interval = std::max(interval, absl::Milliseconds(1));
        }
      }
      size_t written = 0;
      for (const auto& s : streams) written += s->drain_some();
      if (written >= kMinBatchBytes) continue;
      // Announce the sleep, then look once more: a producer publishes,
      // then swaps the flag, so one of the two sees the other. Less than
      // kMinBatchBytes waiting is left for the producers' next wake-up
      // (they wake us every kWakeBytes, or half their ring) or the timed
      // wait below, which bounds how long it waits.
      sleeping_.store(true, std::memory_order_seq_cst);
      size_t pending = 0;
      for (const auto& s : streams) pending += s->pending_bytes();
      MutexLock lock(&mu_);
      if (pending < kMinBatchBytes && !wake_pending_ && generation_ == seen) {
        cv_.wait_for(&mu_, absl::ToChronoNanoseconds(interval));
      }
      wake_pending_ = false;
      sleeping_.store(false, std::memory_order_relaxed);
      // A timed-out wait drains whatever is queued (the flush interval).
    }
  }

  Mutex mu_;
  CondVar cv_;
  std::vector<std::shared_ptr<Stream>> streams_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool wake_pending_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> sleeping_{false};
};

namespace {

// The service and the lock that guards its creation. A fork()ed child
// inherits neither the threads nor a usable lock, so it starts afresh (the
// parent's service is leaked in the child, never touched).
Mutex* g_service_mu = new Mutex;
WriterService* g_service ABSL_GUARDED_BY(g_service_mu) = nullptr;

// Runs in the child alone, before anything else there: no lock to take (the
// parent's may be held by a thread the child does not have).
void reset_in_child() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  g_service_mu = new Mutex;
  g_service = nullptr;
}

}  // namespace

absl::StatusOr<WriterService*> WriterService::get() {
  static const bool registered = ::pthread_atfork(nullptr, nullptr, &reset_in_child) == 0;
  (void)registered;
  MutexLock lock(g_service_mu);
  if (g_service != nullptr) return g_service;
  // Before any stream exists, so every caller sees the final choice.
  enable_asymmetric_fences();
  auto* created = new WriterService;
  const int n = std::clamp(g_requested_threads.load(), 1, 8);
  for (int i = 0; i < n; ++i) {
    auto worker = std::make_unique<Worker>();
    absl::Status s = worker->start(i);
    if (!s.ok()) {
      if (i == 0) {
        delete created;
        return s;
      }
      break;  // the threads that did start serve every stream
    }
    created->workers_.push_back(std::move(worker));
  }
  g_service = created;
  return g_service;
}

void WriterService::set_threads(int n) { g_requested_threads.store(n); }

size_t WriterService::queues_remembered_by_this_thread() { return t_queues.by_id.size(); }

std::shared_ptr<WriterService::Stream> WriterService::add_stream(std::unique_ptr<WritableFile> file,
                                                                 std::string path, StreamOptions options) {
  options.max_ring_bytes = std::clamp<size_t>(options.max_ring_bytes, 64, kMaxRingBytes);
  Worker* worker = workers_[next_worker_.fetch_add(1, std::memory_order_relaxed) % workers_.size()].get();
  std::shared_ptr<Stream> stream(new Stream(worker, &budget_, g_next_stream_id.fetch_add(1), std::move(file),
                                            std::move(path), std::move(options)));
  worker->add(stream);
  return stream;
}

WriterService::Stream::Stream(WriterService::Worker* worker, ByteBudget* budget, uint64_t id,
                              std::unique_ptr<WritableFile> file, std::string path, StreamOptions options)
    : worker_(worker),
      budget_(budget),
      id_(id),
      path_(std::move(path)),
      options_(std::move(options)),
      file_(std::move(file)) {}

WriterService::Stream::~Stream() = default;

WriterService::Stream::Queue* WriterService::Stream::find_or_add_queue_for_this_thread() {
  ThreadQueues& t = t_queues;
  Queue* queue;
  auto it = t.by_id.find(id_);
  if (it != t.by_id.end()) {
    queue = static_cast<Queue*>(it->second.queue);
  } else {
    if (t.by_id.size() >= t.sweep_at) sweep_destroyed_streams(t);
    MutexLock lock(&mu_);
    queues_.push_back(std::make_unique<Queue>(options_.max_ring_bytes, budget_));
    queue = queues_.back().get();
    queue_count_.store(queues_.size(), std::memory_order_release);
    t.by_id.emplace(id_, ThreadQueues::Entry{queue, weak_from_this()});
  }
  t_last_queue.stream_id = id_;
  t_last_queue.queue = queue;
  return queue;
}

absl::Status WriterService::Stream::status() const {
  MutexLock lock(&mu_);
  return status_;
}

absl::Status WriterService::Stream::closed_error() const {
  return absl::FailedPreconditionError(
      absl::StrCat("the writer for '", path_, "' is closed; create a new SummaryWriter to log more"));
}

absl::Status WriterService::Stream::refusal() {
  if (closing_.load(std::memory_order_seq_cst)) return closed_error();
  return status();
}

absl::Status WriterService::Stream::annotate(const absl::Status& s, std::string_view during) const {
  return absl::Status(
      s.code(), absl::StrCat("event file '", path_, "': ", absl::string_view(during.data(), during.size()),
                             " failed: ", s.message(),
                             ". Events logged after the last successful flush() may be lost;"
                             " this writer now returns this error"));
}

void WriterService::Stream::fail(const absl::Status& s) {
  {
    MutexLock lock(&mu_);
    if (status_.ok()) status_ = s;
    failed_.store(true, std::memory_order_release);
  }
  progress_cv_.notify_all();
}

void WriterService::Stream::check_linked_io_locked() {
  const absl::Status linked = file_->check_linked();
  if (linked.ok()) return;
  if (!absl::IsDataLoss(linked)) {
    fail(annotate(linked, "checking the file"));
    return;
  }
  fail(absl::DataLossError(absl::StrCat(
      "event file '", path_,
      "' was deleted while the writer was open (was the log directory removed?): ", linked.message(),
      ". Events logged to this writer are lost and it now returns this error;"
      " create a new SummaryWriter to log again")));
}

void WriterService::Stream::notify_progress() {
  // The consume() and handed stores above must be visible before waiters_
  // is read: a waiter announces itself (an RMW), then looks at them. A
  // plain load could miss the waiter while the waiter misses the room, and
  // the waiter would sleep its whole timeout; reading with an RMW (not a
  // fence, which TSan does not model) orders the two sides.
  if (waiters_.fetch_add(0, std::memory_order_seq_cst) > 0) {
    MutexLock lock(&mu_);
    progress_cv_.notify_all();
  }
}

void WriterService::Stream::wake_worker_if_sleeping() { worker_->maybe_wake(); }

absl::Status WriterService::Stream::append(std::string_view framed) {
  if (ABSL_PREDICT_FALSE(closing_.load(std::memory_order_relaxed) ||
                         failed_.load(std::memory_order_relaxed))) {
    return refusal();
  }
  // The bytes are already encoded: straight to append_slow's copy-and-wait,
  // not through append_encoded's scratch buffer, which would copy (and for
  // a large event allocate) them a second time whenever the ring is full.
  return append_slow(queue_for_this_thread(), framed);
}

absl::Status WriterService::Stream::append_slow(Queue* queue, std::string_view framed) {
  for (;;) {
    if (char* p = queue->q.try_reserve(framed.size())) {
      std::memcpy(p, framed.data(), framed.size());
      commit(queue, framed.size());
      break;
    }
    if (queue->q.try_write(framed)) break;
    // Full and not allowed to grow: wait for the worker to free room. It
    // is usually mid-batch on the other core: a short spin sees the room
    // without two futex calls and a sleep.
    worker_->maybe_wake();
    bool room = false;
    for (int spin = 0; spin < 64 && !room; ++spin) {
      std::this_thread::yield();
      room = queue->q.has_room(framed.size());
    }
    if (room) continue;
    worker_->wake();
    MutexLock lock(&mu_);
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    // Looked at again after announcing the wait; the timeout bounds the
    // cost of a notification that raced past it.
    if (status_.ok() && !closing_.load(std::memory_order_seq_cst) && !queue->q.has_room(framed.size())) {
      progress_cv_.wait_for(&mu_, std::chrono::milliseconds(10));
    }
    waiters_.fetch_sub(1, std::memory_order_relaxed);
    if (!status_.ok()) return status_;
    // Not published yet: this call lost the race with close(), and says so.
    if (closing_.load(std::memory_order_seq_cst)) return closed_error();
  }
  return published(queue, framed.size());
}

absl::Status WriterService::Stream::settle_with_close(Queue* queue) {
  // close() raised closing_ around our publication. Whether its final drain
  // took our bytes is known once it is done.
  const uint64_t mine = queue->q.published();
  worker_->wake();
  MutexLock lock(&mu_);
  waiters_.fetch_add(1, std::memory_order_seq_cst);
  while (!detached_for_flush_) progress_cv_.wait_for(&mu_, std::chrono::milliseconds(10));
  waiters_.fetch_sub(1, std::memory_order_relaxed);
  if (queue->handed.load(std::memory_order_acquire) >= mine && status_.ok()) return absl::OkStatus();
  return status_.ok() ? closed_error() : status_;
}

size_t WriterService::Stream::pending_bytes() const {
  const size_t n = queue_count_.load(std::memory_order_acquire);
  MutexLock lock(&mu_);
  size_t pending = 0;
  for (size_t i = 0; i < n && i < queues_.size(); ++i) {
    pending +=
        static_cast<size_t>(queues_[i]->q.published() - queues_[i]->handed.load(std::memory_order_relaxed));
  }
  return pending;
}

size_t WriterService::Stream::drain_some() {
  MutexLock io(&io_mu_);
  if (detached_) return 0;
  std::vector<Queue*> queues;
  {
    MutexLock lock(&mu_);
    queues.reserve(queues_.size());
    for (const auto& q : queues_) queues.push_back(q.get());
  }
  const bool failed = failed_.load(std::memory_order_acquire);
  size_t budget = kBatchBytes;
  size_t written = 0;
  absl::Status s;
  for (Queue* queue : queues) {
    while (budget > 0) {
      SpscRing::Readable r = queue->q.peek();
      if (r.size() == 0) break;
      // Always the whole readable span: the producer publishes whole
      // records, so a span ends on a record boundary, and a record cut at
      // the batch limit would be finished only after other queues' bytes.
      // A batch is thus bounded by kBatchBytes plus one ring.
      const size_t n = r.size();
      if (!failed && s.ok()) {
        s = file_->append(r.first);
        if (s.ok() && !r.second.empty()) s = file_->append(r.second);
      }
      queue->q.consume(n);
      budget -= std::min(n, budget);
      written += n;
    }
  }
  const bool worked = written > 0;
  if (worked && !failed && s.ok()) s = file_->flush();
  if (!failed && !s.ok()) fail(annotate(s, "writing"));
  // One fstat per batch notices a removed logdir within a flush interval.
  if (worked && !failed && s.ok()) check_linked_io_locked();
  if (worked) {
    // Handed to the OS (or discarded after a failure): flush() may return.
    for (Queue* queue : queues) queue->handed.store(queue->q.consumed(), std::memory_order_release);
    notify_progress();
  }
  return written;
}

absl::Status WriterService::Stream::flush() {
  std::vector<std::pair<Queue*, uint64_t>> targets;
  {
    MutexLock lock(&mu_);
    if (!status_.ok()) return status_;
    for (const auto& q : queues_) targets.emplace_back(q.get(), q->q.published());
  }
  const auto done = [&] {
    for (const auto& [queue, target] : targets) {
      if (queue->handed.load(std::memory_order_acquire) < target) return false;
    }
    return true;
  };
  if (!done()) {
    worker_->wake();
    MutexLock lock(&mu_);
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    while (!done() && status_.ok() && !detached_for_flush_) {
      progress_cv_.wait_for(&mu_, std::chrono::milliseconds(10));
    }
    waiters_.fetch_sub(1, std::memory_order_relaxed);
    if (!status_.ok() || detached_for_flush_) return status_;
  }
  {
    // A flush with nothing new to write still notices a deleted file.
    MutexLock io(&io_mu_);
    if (!detached_ && !failed_.load(std::memory_order_acquire)) check_linked_io_locked();
  }
  return status();
}

absl::Status WriterService::Stream::close() {
  MutexLock close_lock(&close_mu_);
  if (closed_) return close_status_;
  closed_ = true;
  // Callers that published before this store are drained by the flush
  // below; those after it see closing_ (see settle_with_close).
  closing_.store(true, std::memory_order_seq_cst);
  heavy_fence();  // pairs with commit()'s light_fence()
  absl::Status s = flush();
  {
    MutexLock io(&io_mu_);
    detached_ = true;
  }
  worker_->remove(this);
  if (s.ok()) {
    s = file_->sync();
    if (s.ok()) {
      s = file_->close();
      if (!s.ok()) s = annotate(s, "closing");
      for (size_t i = 0; s.ok() && i < options_.dirs_to_sync.size(); ++i) {
        s = options_.env->sync_dir(options_.dirs_to_sync[i]);
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
    MutexLock lock(&mu_);
    if (status_.ok()) status_ = s;
    s = status_;
    detached_for_flush_ = true;
  }
  progress_cv_.notify_all();
  close_status_ = s;
  return s;
}

}  // namespace hp::internal
