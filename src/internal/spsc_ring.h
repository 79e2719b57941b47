// Single-producer/single-consumer byte queues for the writer service's
// caller path (issue 9): a caller thread encodes framed records straight
// into its own ring and publishes them with one release store; the I/O
// thread drains the bytes and hands them to the file. Neither side takes a
// lock or makes a system call.
//
// SpscRing is a fixed, power-of-two sized ring. Positions are byte counts
// since creation (never wrapped), so `published()` doubles as a sequence
// number: flush() waits until `consumed()` reaches the `published()` it
// saw. Each side caches the other's position and reloads it only when the
// cached value says the ring is full (producer) or empty (consumer), so in
// the steady state the two cores do not trade cache lines per record.
//
// GrowableSpscQueue chains rings: it starts small and, when the producer
// finds its ring full, links a ring twice the size if a shared ByteBudget
// allows, and writes there from then on. The consumer drains the old ring
// to the end before it follows the link and frees it, so byte order is
// preserved and neither side ever touches a ring the other may free.
//
// Thread safety: one producer thread and one consumer thread per object;
// the producer methods and the consumer methods must each be called from a
// single thread at a time (different threads over time are fine when the
// hand-over is synchronised). ByteBudget is fully thread-safe.
#ifndef HPARAMS_INTERNAL_SPSC_RING_H_
#define HPARAMS_INTERNAL_SPSC_RING_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace hp::internal {

// Avoids false sharing between the producer's and the consumer's fields.
inline constexpr size_t kCacheLine = 64;

// How far ahead of its write position the producer asks for its ring's
// lines. Each line of a ring is written by the producer and then read by
// the consumer's write(2) on the other core, so on the next lap the store
// finds the line in the other core's cache. Measured on the 2-core VM:
// without the hint the caller stalls on those lines (85 ns per scalar, 11
// M/s); asking 512-1,024 bytes ahead hides the transfer (21 M/s).
inline constexpr size_t kPrefetchAheadBytes = 768;

// A hint to fetch the line at `p` in the state a store needs (PREFETCHW;
// a no-op on x86 CPUs without it, as the encoding is a NOP there).
inline void prefetch_for_write(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, /*rw=*/1, /*locality=*/3);
#endif
}

class SpscRing {
 public:
  // `capacity` is rounded up to a power of two, at least 64 bytes.
  explicit SpscRing(size_t capacity) : capacity_(round_up(capacity)), mask_(capacity_ - 1) {
    data_ = std::make_unique<char[]>(capacity_);
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  size_t capacity() const { return capacity_; }

  // --- Producer side ---

  // Room for `n` contiguous bytes at the write position, or nullptr (full,
  // or the free space wraps around the end: use try_write then).
  char* try_reserve(size_t n) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (!has_room(head, n)) return nullptr;
    const size_t offset = static_cast<size_t>(head & mask_);
    if (offset + n > capacity_) return nullptr;
    prefetch_for_write(data_.get() + ((offset + kPrefetchAheadBytes) & mask_));
    return data_.get() + offset;
  }
  // Publishes `n` bytes written at the pointer try_reserve returned.
  void commit(size_t n) { head_.store(head_.load(std::memory_order_relaxed) + n, std::memory_order_release); }
  // Copies and publishes `data` (split around the end if need be); false
  // when the ring lacks the room now. Records larger than capacity() never
  // fit.
  bool try_write(std::string_view data) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (!has_room(head, data.size())) return false;
    const size_t offset = static_cast<size_t>(head & mask_);
    const size_t first = std::min(data.size(), capacity_ - offset);
    std::memcpy(data_.get() + offset, data.data(), first);
    if (first < data.size()) std::memcpy(data_.get(), data.data() + first, data.size() - first);
    head_.store(head + data.size(), std::memory_order_release);
    return true;
  }
  // Whether `n` bytes fit now, contiguous or not.
  bool has_room(size_t n) { return has_room(head_.load(std::memory_order_relaxed), n); }
  // Bytes published so far: the sequence number a flush waits for.
  uint64_t published() const { return head_.load(std::memory_order_acquire); }

  // --- Consumer side ---

  // The published bytes not yet consumed, as up to two spans (the second
  // non-empty when they wrap around the end).
  struct Readable {
    std::string_view first;
    std::string_view second;
    size_t size() const { return first.size() + second.size(); }
  };
  Readable peek() {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (cached_head_ == tail) cached_head_ = head_.load(std::memory_order_acquire);
    const size_t n = static_cast<size_t>(cached_head_ - tail);
    const size_t offset = static_cast<size_t>(tail & mask_);
    const size_t first = std::min(n, capacity_ - offset);
    return Readable{std::string_view(data_.get() + offset, first), std::string_view(data_.get(), n - first)};
  }
  // Frees `n` bytes from the front; the producer may reuse them.
  void consume(size_t n) {
    tail_.store(tail_.load(std::memory_order_relaxed) + n, std::memory_order_release);
  }
  // Bytes consumed so far (any thread may read it).
  uint64_t consumed() const { return tail_.load(std::memory_order_acquire); }

 private:
  static size_t round_up(size_t n) {
    size_t c = 64;
    while (c < n) c <<= 1;
    return c;
  }
  bool has_room(uint64_t head, size_t n) {
    if (head + n - cached_tail_ <= capacity_) return true;
    cached_tail_ = tail_.load(std::memory_order_acquire);
    return head + n - cached_tail_ <= capacity_;
  }

  const size_t capacity_;
  const size_t mask_;
  std::unique_ptr<char[]> data_;
  // Producer's line: its position and its view of the consumer's.
  alignas(kCacheLine) std::atomic<uint64_t> head_{0};
  uint64_t cached_tail_ = 0;
  // Consumer's line.
  alignas(kCacheLine) std::atomic<uint64_t> tail_{0};
  uint64_t cached_head_ = 0;
};

// Bytes the rings of a process may hold in total. Growth asks here first;
// a producer refused growth waits for its consumer instead (nothing is
// dropped). Every queue's first ring is granted outside the budget, so a
// writer can always make progress.
class ByteBudget {
 public:
  explicit ByteBudget(size_t limit) : limit_(limit) {}
  bool try_acquire(size_t n) {
    size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used + n > limit_) return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
  }
  // For a record that fits nowhere else: charged even over the limit.
  void acquire_anyway(size_t n) { used_.fetch_add(n, std::memory_order_relaxed); }
  void release(size_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }
  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

class GrowableSpscQueue {
 public:
  // Starts with one ring of `initial` bytes; grows by doubling up to `max`
  // bytes per ring while `budget` (which must outlive the queue) allows.
  GrowableSpscQueue(size_t initial, size_t max, ByteBudget* budget)
      : max_(max), budget_(budget), write_(new Node(initial, /*charged_budget=*/false)), read_(write_) {}
  GrowableSpscQueue(const GrowableSpscQueue&) = delete;
  GrowableSpscQueue& operator=(const GrowableSpscQueue&) = delete;
  ~GrowableSpscQueue() {
    Node* node = read_;
    while (node != nullptr) {
      Node* next = node->next.load(std::memory_order_acquire);
      free_node(node);
      node = next;
    }
  }

  // --- Producer side ---

  // Room for `n` contiguous bytes, growing the ring if it is full and the
  // budget allows; nullptr when the caller must wait for the consumer (or
  // fall back to try_write for a wrapped free span).
  char* try_reserve(size_t n) {
    if (char* p = write_->ring.try_reserve(n)) return p;
    if (write_->ring.has_room(n)) return nullptr;  // room, but split by the end
    if (!grow(n)) return nullptr;
    return write_->ring.try_reserve(n);
  }
  // Publishes with a release store, which is all the consumer needs. The
  // writer service also orders the publication before its next load (to
  // settle an append racing close()): with an asymmetric fence, or with
  // commit_fenced(), a locked instruction on x86.
  void commit(size_t n) {
    write_->ring.commit(n);
    published_.store(published_.load(std::memory_order_relaxed) + n, std::memory_order_release);
  }
  void commit_fenced(size_t n) {
    write_->ring.commit(n);
    published_.fetch_add(n, std::memory_order_seq_cst);  // one producer: an RMW as a full fence
  }
  bool try_write(std::string_view data) {
    if (!write_->ring.try_write(data)) {
      if (!grow(data.size()) || !write_->ring.try_write(data)) return false;
    }
    published_.store(published_.load(std::memory_order_relaxed) + data.size(), std::memory_order_seq_cst);
    return true;
  }
  // Whether `n` bytes fit in the current ring now (without growing).
  bool has_room(size_t n) { return write_->ring.has_room(n); }
  // Bytes ever published, over all rings: the flush sequence number.
  uint64_t published() const { return published_.load(std::memory_order_seq_cst); }
  // Capacity of the ring the producer writes to.
  size_t capacity() const { return write_->ring.capacity(); }

  // --- Consumer side ---

  // Readable bytes of the oldest ring; empty when nothing is published.
  SpscRing::Readable peek() {
    for (;;) {
      SpscRing::Readable r = read_->ring.peek();
      if (r.size() > 0) return r;
      Node* next = read_->next.load(std::memory_order_acquire);
      if (next == nullptr) return r;
      // The producer linked `next` after its last commit to this ring:
      // look once more, then the ring is finished for good.
      r = read_->ring.peek();
      if (r.size() > 0) return r;
      Node* old = read_;
      read_ = next;
      free_node(old);
    }
  }
  void consume(size_t n) {
    read_->ring.consume(n);
    consumed_.store(consumed_.load(std::memory_order_relaxed) + n, std::memory_order_release);
  }
  // Bytes ever consumed (any thread may read it).
  uint64_t consumed() const { return consumed_.load(std::memory_order_acquire); }

 private:
  struct Node {
    Node(size_t capacity, bool charged_budget) : ring(capacity), charged(charged_budget) {}
    SpscRing ring;
    const bool charged;
    std::atomic<Node*> next{nullptr};
  };

  // A record larger than the ring grows it whatever the limits say (it
  // would never fit otherwise); any other growth stays within `max_` and
  // the budget, and the producer waits for the consumer instead.
  bool grow(size_t n) {
    const bool needed = n > write_->ring.capacity();
    size_t capacity = write_->ring.capacity() * 2;
    while (capacity < n) capacity *= 2;
    if (!needed && capacity > max_) return false;
    if (!budget_->try_acquire(capacity)) {
      if (!needed) return false;
      budget_->acquire_anyway(capacity);
    }
    Node* node = new Node(capacity, /*charged_budget=*/true);
    write_->next.store(node, std::memory_order_release);
    write_ = node;
    return true;
  }
  void free_node(Node* node) {
    if (node->charged) budget_->release(node->ring.capacity());
    delete node;
  }

  const size_t max_;
  ByteBudget* const budget_;
  Node* write_;  // producer only
  alignas(kCacheLine) std::atomic<uint64_t> published_{0};
  alignas(kCacheLine) Node* read_;  // consumer only
  std::atomic<uint64_t> consumed_{0};
};

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_SPSC_RING_H_
