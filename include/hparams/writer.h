// hp::SummaryWriter: writes TensorBoard event files asynchronously.
//
// create() makes the log directory (recursively) and opens
//   <logdir>/events.out.tfevents.<secs>.<host>.<pid>.<counter><suffix>
// whose first record is the `file_version: "brain.Event:2"` event.
//
// Data path: the caller's thread encodes and frames each event straight
// into a ring of its own (one per thread and writer, small at first, grown
// on demand); one process-wide I/O thread (set_writer_threads() for more)
// drains the rings of every writer of the process and writes the files, a
// bounded batch per file in turn. A caller makes no system call unless the
// I/O thread sleeps; when its ring is full it blocks (nothing is ever
// dropped). Queued events reach the OS at least every
// WriterOptions::flush_interval, on flush(), on close() and in the
// destructor. On a stalled file system (a hung NFS mount) the I/O thread
// waits inside that file's write: every writer it serves then fills its
// rings and blocks its callers, until the mount answers.
//
// Errors: a failed write makes the writer's status sticky: the next call,
// flush() and close() return it (an absl::Status naming the file and the OS
// error); blocked callers are woken, never left hanging. Nothing logged
// before a successful flush()/close() is lost. No method throws.
//
// Deleted files: if the event file is deleted under a live writer (`rm -rf`
// of the logdir), the writer notices when it next writes a batch, on
// flush() and on close(), and fails with a sticky DataLoss saying the file
// was deleted. It does not recreate the file (the events already written
// are gone with it, and a partial file would pass for a whole one): create
// a new SummaryWriter to log again.
//
// fork(): a writer belongs to the process that created it. In a fork()ed
// child every call on an inherited writer returns FailedPrecondition and
// writes nothing (its thread does not exist there); destroying it in the
// child is safe and leaves the parent's file alone. Create a new writer in
// the child.
//
// Thread safety: every method may be called from many threads at once.
// Events from one thread reach the file in that thread's call order.
// Destroying a writer (or letting its unique_ptr go) while another thread
// may still call it, directly or through a DefaultWriterScope, is a
// use-after-free: the caller's bug, which the writer cannot detect. Stop or
// join those threads first; close() may race with other calls, the
// destructor may not.
//
// Example:
//   auto writer = hp::SummaryWriter::create("logs/run-0");
//   if (!writer.ok()) return writer.status();
//   absl::Status s = (*writer)->scalar("loss", 0.25, /*step=*/7);
//   { auto scope = (*writer)->as_default(); s = hp::scalar("loss", 0.2, 8); }
//   s = (*writer)->close();
#ifndef HPARAMS_WRITER_H_
#define HPARAMS_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hparams/env.h"
#include "hparams/export.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// Declared, not included: callers that build raw protos include
// <hparams/summary.h> or the .pb.h headers themselves; everyone else is
// spared the protobuf headers.
namespace proto {
class Event;
class Summary;
}  // namespace proto

class HParam;
class HParams;
class Metric;
struct ExperimentInfo;
enum SessionStatus : int;

struct WriterOptions {
  // Events each thread may queue for this writer, counted as 64 bytes each
  // (a scalar event is 40-60 bytes), and at most 1 MiB per thread; all the
  // writers of a process queue at most 128 MiB beyond their first 4 KiB
  // each. When a thread's queue is full it blocks until the I/O thread
  // catches up. An event larger than the queue is accepted alone.
  size_t queue_capacity = size_t{1} << 16;
  // How often, at the latest, queued events are handed to the OS.
  absl::Duration flush_interval = absl::Seconds(2);
  // Appended to the event-file name (TF2's C++ writer uses ".v2").
  std::string filename_suffix;
  // Source of every event's wall_time and of default hparams times, in
  // seconds since the epoch. Empty: with `env` set (even to
  // Env::default_env()), env->now_seconds(); with `env` unset, the kernel's
  // coarse real-time clock (CLOCK_REALTIME_COARSE, one scheduler tick of
  // resolution, typically 1-4 ms), because a precise clock read would cost
  // more than the rest of scalar(). Pass
  // `[] { return hp::Env::default_env()->now_seconds(); }` for full resolution.
  std::function<double()> clock;
  // File system; nullptr means Env::default_env().
  Env* env = nullptr;
};

class DefaultWriterScope;

class SummaryWriter {
 public:
  // Creates `logdir` if needed and opens a new event file in it.
  // InvalidArgument for an empty logdir; the Env's error (e.g.
  // PermissionDenied, naming the directory) if it cannot be created;
  // ResourceExhausted if the process's writer thread cannot start
  // (`ulimit -u`; only the first writer of a process starts it). A failed
  // Create removes the file and the directories it made.
  static absl::StatusOr<std::unique_ptr<SummaryWriter>> create(const std::string& logdir,
                                                               const WriterOptions& options = {});

  SummaryWriter(const SummaryWriter&) = delete;
  SummaryWriter& operator=(const SummaryWriter&) = delete;
  // Closes quietly; call close() to see errors.
  ~SummaryWriter();

  // Writes a scalar the TF2 way: a DT_FLOAT scalar tensor, with the
  // "scalars" plugin metadata on the first event of each tag from each
  // thread (so the file's first event of a tag always has it). The
  // value is stored as float32, as TensorBoard stores it. The event is
  // encoded on the calling thread and queued; this blocks only while the
  // queue is full. InvalidArgument, writing nothing, for an empty tag, a
  // tag that is not UTF-8, or one so long that readers would refuse the
  // event (over 256 MiB); FailedPrecondition after close() or in a fork()ed
  // child; the sticky I/O error after a failure.
  absl::Status scalar(std::string_view tag, double value, int64_t step);

  // Writes any summary at `step`, with wall_time from the clock.
  absl::Status write_summary(const proto::Summary& summary, int64_t step);
  // The same with an explicit wall_time (seconds since the epoch), for
  // events whose time the caller pins (hparams events, replayed data).
  absl::Status write_summary(const proto::Summary& summary, int64_t step, double wall_time);
  // Writes `event` as is (deterministic serialization: map fields in key
  // order). InvalidArgument, writing nothing, when a field the proto
  // declares `string` is not UTF-8 (the error names the field; readers
  // would drop the event as corrupt) or when the event is larger than
  // readers accept (256 MiB). write_summary() checks the same.
  absl::Status write_event(const proto::Event& event);

  // HParams plugin events (see hparams/hparam.h); each is written at step 0,
  // as TF2's hp.hparams_config() and hp.hparams() do. A call rejected with
  // InvalidArgument writes nothing.
  absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                              std::optional<double> time_created_secs = std::nullopt);
  // The same with the experiment's name, description and user (v1 API).
  absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                              const ExperimentInfo& info);
  absl::Status hparams(const HParams& hparams, std::optional<std::string> trial_id = std::nullopt,
                       std::optional<double> start_time_secs = std::nullopt);
  absl::Status session_end(SessionStatus status, std::optional<double> end_time_secs = std::nullopt);

  // Blocks until everything written before this call is handed to the OS
  // (visible to readers; not fsynced). Returns the sticky error, if any.
  absl::Status flush();
  // Drains the queue, flushes, fsyncs and closes the file, then fsyncs the
  // logdir and the parent of each directory create() made, so that the
  // file's name survives a power loss too. Idempotent: later calls return
  // the same status; later writes return FailedPrecondition.
  absl::Status close();

  // Makes this writer the calling thread's default (what hp::scalar() and
  // the other free functions write to) until the scope ends; scopes nest.
  // The default is per thread: a thread you start has none until it makes
  // its own scope. The writer must outlive the scope.
  [[nodiscard]] DefaultWriterScope as_default();

  const std::string& logdir() const;
  // Full path of the event file.
  const std::string& path() const;
  // The writer's clock, in seconds since the epoch.
  double now() const;

 private:
  class Impl;
  explicit SummaryWriter(std::unique_ptr<Impl> impl);
  // Queues a framed record the caller encoded itself, having checked every
  // string in it is UTF-8 (the hparams() fast path). `call` names the
  // public method in errors.
  absl::Status write_framed_record(std::string_view framed, std::string_view call);
  std::unique_ptr<Impl> impl_;
};

// RAII: while alive, its writer is the thread's default writer.
class [[nodiscard]] DefaultWriterScope {
 public:
  explicit DefaultWriterScope(SummaryWriter* writer);
  DefaultWriterScope(DefaultWriterScope&& other) noexcept;
  DefaultWriterScope& operator=(DefaultWriterScope&&) = delete;
  DefaultWriterScope(const DefaultWriterScope&) = delete;
  DefaultWriterScope& operator=(const DefaultWriterScope&) = delete;
  ~DefaultWriterScope();

 private:
  SummaryWriter* previous_ = nullptr;
  bool active_ = false;
};

// The calling thread's default writer, or nullptr.
SummaryWriter* default_writer();

// hp::scalar() on the default writer; FailedPrecondition when there is none.
absl::Status scalar(std::string_view tag, double value, int64_t step);
// flush() on the default writer; FailedPrecondition when there is none.
absl::Status flush();

// How many I/O threads the process-wide writer service starts (default 1;
// clamped to [1, 8]). Takes effect only when called before the service
// first starts; later calls change nothing. A sweep over slow or remote
// file systems may want more than one, so that a stalled write(2) on one
// file does not hold up the files served by the other threads. Writers are
// spread over the threads round robin.
void set_writer_threads(int n);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_WRITER_H_
