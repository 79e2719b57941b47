// A Dekker-style handshake where one side is hot and the other rare: the
// hot side (every scalar() publishing into its ring, then reading whether
// the stream is closing) pays only a compiler barrier, the rare side
// (close()) pays a process-wide barrier that makes every running thread
// of the process execute a full memory barrier (Linux membarrier(2),
// MEMBARRIER_CMD_PRIVATE_EXPEDITED). The pairing is the one folly and
// liburcu use ("asymmetric fences").
//
// Where the kernel lacks it (before Linux 4.14, or a seccomp filter that
// refuses the call), and in TSan builds (TSan does not know membarrier),
// the hot side falls back to a locked instruction, which costs about 6 ns
// per call on the team's 2-core VM.
//
// Thread safety: all functions may be called from any thread.
// enable_asymmetric_fences() must be called before any thread relies on
// light_fence_is_enough(), and again in a fork()ed child (a new address
// space must register again).
#ifndef HPARAMS_INTERNAL_ASYMMETRIC_FENCE_H_
#define HPARAMS_INTERNAL_ASYMMETRIC_FENCE_H_

#include <atomic>

namespace hp::internal {

// Registers the process for expedited membarrier; false where unavailable.
bool enable_asymmetric_fences();

// Set once by enable_asymmetric_fences(), before the first stream exists.
inline std::atomic<bool> g_asymmetric_fences_enabled{false};

// Whether the hot side may use light_fence(): enable_asymmetric_fences()
// succeeded in this process. Read on every scalar(): one load of a line
// that is never written after start-up.
inline bool light_fence_is_enough() { return g_asymmetric_fences_enabled.load(std::memory_order_relaxed); }

// The hot side's half when light_fence_is_enough().
inline void light_fence() { std::atomic_signal_fence(std::memory_order_seq_cst); }

// The rare side's half: every thread of the process that is running now
// passes a full memory barrier before this returns (threads not running
// pass one when they are scheduled). A seq_cst fence where unavailable.
void heavy_fence();

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_ASYMMETRIC_FENCE_H_
