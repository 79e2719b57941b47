// SummaryWriter: event-file naming, the scalar hot path, generic summaries,
// and the thread's default writer. The hparams methods live in
// writer_hparams.cc.
#include "hparams/writer.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "hparams/proto/event.pb.h"
#include "hparams/proto/summary.pb.h"
#include "hparams/record_reader.h"
#include "internal/default_writer_error.h"
#include "internal/group_name.h"
#include "internal/mutex.h"
#include "internal/record_format.h"
#include "internal/record_writer.h"
#include "internal/scalar_event.h"
#include "internal/serialize_deterministic.h"
#include "internal/writer_service.h"

namespace hp {
namespace {

constexpr char kFileVersion[] = "brain.Event:2";
constexpr char kWriterName[] = "hparams-cpp";

// Distinguishes event files created by this process in the same second.
std::atomic<uint64_t> g_file_counter{0};

thread_local SummaryWriter* t_default_writer = nullptr;

// Counts the fork()s between the process that first created a writer and
// this one. A writer remembers the count it was created at; a call made
// after a fork (in the child) sees another count. Reading an atomic costs
// the hot path nothing measurable, unlike getpid(), a system call since
// glibc 2.25.
std::atomic<uint64_t> g_fork_generation{0};

void count_fork_in_child() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

uint64_t fork_generation_registering_handler() {
  static const bool registered = [] {
    return ::pthread_atfork(nullptr, nullptr, &count_fork_in_child) == 0;
  }();
  (void)registered;
  return g_fork_generation.load(std::memory_order_relaxed);
}

// The largest event our reader accepts with its default options (and
// TensorBoard has no smaller limit): a record above it would be written,
// then called corrupt on every read, so the writer refuses it instead.
const size_t kMaxEventBytes = RecordReaderOptions().max_record_bytes;

// A short, printable form of bad bytes for error messages.
std::string escaped_prefix(std::string_view text) {
  constexpr size_t kShown = 64;
  const bool cut = text.size() > kShown;
  return absl::StrCat("\"", absl::CHexEscape(absl::string_view(text.data(), cut ? kShown : text.size())),
                      cut ? "\"..." : "\"");
}

// Tags are nearly always ASCII: eight bytes at a time decide that, and only
// a tag with a high bit set pays for the full decoder.
bool is_valid_utf8_tag(std::string_view tag) {
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= tag.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, tag.data() + i, 8);
    high |= word;
  }
  for (; i < tag.size(); ++i) high |= static_cast<unsigned char>(tag[i]);
  if ((high & 0x8080808080808080ULL) == 0) return true;
  return internal::is_valid_utf8(tag);
}

// Finds the first field declared `string` whose value is not UTF-8 (proto3
// parsers, ours and TensorBoard's, reject the whole event for it). Sets
// `path` to its location, such as "summary.value[0].tag", and `value`.
bool find_invalid_utf8(const google::protobuf::Message& message, std::string* path, std::string* value) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  std::string scratch;
  for (const FieldDescriptor* field : fields) {
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    // Built only for the error, so a clean event pays for no strings.
    const auto here = [&](int i) {
      return field->is_repeated() ? absl::StrCat(field->name(), "[", i, "]") : std::string(field->name());
    };
    for (int i = 0; i < count; ++i) {
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        const std::string& text = field->is_repeated()
                                      ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                                      : reflection->GetStringReference(message, field, &scratch);
        if (!internal::is_valid_utf8(text)) {
          *path = here(i);
          *value = text;
          return true;
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& child = field->is_repeated()
                                                     ? reflection->GetRepeatedMessage(message, field, i)
                                                     : reflection->GetMessage(message, field);
        if (find_invalid_utf8(child, path, value)) {
          *path = absl::StrCat(here(i), ".", *path);
          return true;
        }
      }
    }
  }
  return false;
}

// The default wall clock. A precise clock read (clock_gettime or the TSC)
// serialises the pipeline and costs 20-60 ns on virtual machines, more than
// the rest of scalar(); the coarse clock reads a value the kernel updates
// every tick (1-4 ms), which is finer than any TensorBoard chart shows.
double coarse_now() {
#if defined(CLOCK_REALTIME_COARSE)
  struct timespec ts;
  if (::clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0) {
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
#endif
  return Env::default_env()->now_seconds();
}

}  // namespace

class SummaryWriter::Impl {
 public:
  using Stream = internal::WriterService::Stream;
  // An empty `clock` means coarse_now().
  Impl(std::string logdir, std::function<double()> clock, std::shared_ptr<Stream> stream,
       uint64_t fork_generation)
      : logdir_(std::move(logdir)),
        clock_(std::move(clock)),
        stream_(std::move(stream)),
        fork_generation_(fork_generation),
        creator_pid_(::getpid()) {}

  // Whether this is a fork()ed child of the process that created the
  // writer: the service's threads do not exist here and its locks may be
  // held forever by threads that did not survive the fork.
  bool in_forked_child() const {
    return g_fork_generation.load(std::memory_order_relaxed) != fork_generation_;
  }
  absl::Status forked_error(std::string_view call) const {
    return absl::FailedPreconditionError(absl::StrCat(
        absl::string_view(call.data(), call.size()), ": this SummaryWriter for '", path(),
        "' was created in process ", creator_pid_, " and this is a fork()ed child (process ", ::getpid(),
        "), where its writer thread does not run, so nothing would be written. Create a new SummaryWriter "
        "in the child (it gets its own event file)"));
  }

  const std::string& logdir() const { return logdir_; }
  const std::string& path() const { return stream_->path(); }
  double now() const { return clock_ ? clock_() : coarse_now(); }
  Stream& stream() { return *stream_; }

 private:
  const std::string logdir_;
  const std::function<double()> clock_;
  const std::shared_ptr<Stream> stream_;
  const uint64_t fork_generation_;
  const pid_t creator_pid_;
};

namespace {

// Bytes a thread may queue for one writer per WriterOptions::queue_capacity
// unit: about one scalar event (40-60 bytes framed, more for long tags).
constexpr size_t kBytesPerQueuedEvent = 64;

// Whether this scalar carries the "scalars" plugin metadata: the first
// event of each tag from each thread does, so that whichever thread's event
// comes first in the file, TensorBoard's loader finds the metadata there.
// The state is the calling thread's own (the queue's producer side): no
// lock, and a loop that logs one tag does not even hash it.
bool first_of_tag_from_this_thread(internal::WriterService::Stream::Queue& queue, std::string_view tag) {
  if (tag == queue.last_tag) return false;
  queue.last_tag.assign(tag.data(), tag.size());
  return queue.seen_tags.emplace(absl::string_view(tag.data(), tag.size())).second;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SummaryWriter>> SummaryWriter::create(const std::string& logdir,
                                                                     const WriterOptions& options) {
  if (logdir.empty()) {
    return absl::InvalidArgumentError(
        "SummaryWriter::create: logdir is empty; pass a directory such as \"logs/run-0\"");
  }
  Env* env = options.env != nullptr ? options.env : Env::default_env();
  std::function<double()> clock = options.clock;
  // An Env given in the options supplies the clock, even Env::default_env()
  // (whose now_seconds() is precise); only with options.env unset does
  // coarse_now() serve.
  if (!clock && options.env != nullptr) clock = [env] { return env->now_seconds(); };

  const uint64_t generation = fork_generation_registering_handler();

  std::vector<std::string> new_dirs;
  absl::Status s = env->create_dirs_reporting(logdir, &new_dirs);
  if (!s.ok()) return s;
  // A failed Create leaves nothing behind: neither the file nor the
  // directories made for it (a name too long for the file used to leave
  // the whole new tree).
  const auto remove_created = [&] {
    for (auto dir = new_dirs.rbegin(); dir != new_dirs.rend(); ++dir) (void)env->remove_dir(*dir);
  };

  const double created = clock ? clock() : coarse_now();
  const uint64_t counter = g_file_counter.fetch_add(1, std::memory_order_relaxed);
  const std::string name =
      absl::StrFormat("events.out.tfevents.%010d.%s.%d.%d%s", static_cast<int64_t>(std::floor(created)),
                      env->host_name(), env->process_id(), counter, options.filename_suffix);
  const std::string path = join_path(logdir, name);

  proto::Event first;
  first.set_wall_time(created);
  first.set_file_version(kFileVersion);
  first.mutable_source_metadata()->set_writer(kWriterName);
  const std::string first_record = internal::frame_record(internal::serialize_deterministic(first));

  // The first record is written here, synchronously, so that a bad path or
  // a full disk shows up as Create's error.
  absl::StatusOr<std::unique_ptr<WritableFile>> file = env->new_writable_file(path);
  if (!file.ok()) {
    remove_created();
    return file.status();
  }
  s = (*file)->append(first_record);
  if (s.ok()) s = (*file)->flush();
  absl::StatusOr<internal::WriterService*> service =
      s.ok() ? internal::WriterService::get() : absl::StatusOr<internal::WriterService*>(s);
  if (!service.ok()) {
    (void)(*file)->close();
    (void)env->remove_file(path);
    remove_created();
    if (s.ok()) {
      // The service's thread would not start (`ulimit -u`): say for which file.
      return absl::Status(service.status().code(),
                          absl::StrCat("event file '", path, "': ", service.status().message()));
    }
    return s;
  }

  internal::WriterService::StreamOptions stream_options;
  stream_options.flush_interval = options.flush_interval;
  stream_options.max_ring_bytes = std::max<size_t>(1, options.queue_capacity) >
                                          internal::WriterService::kMaxRingBytes / kBytesPerQueuedEvent
                                      ? internal::WriterService::kMaxRingBytes
                                      : std::max<size_t>(1, options.queue_capacity) * kBytesPerQueuedEvent;
  stream_options.env = env;
  // The new file's entry lives in logdir; each created directory's in its
  // parent. Deepest first, so each name is durable before its parent's.
  stream_options.dirs_to_sync.push_back(logdir);
  for (auto dir = new_dirs.rbegin(); dir != new_dirs.rend(); ++dir) {
    std::string parent = parent_dir(*dir);
    if (parent != stream_options.dirs_to_sync.back())
      stream_options.dirs_to_sync.push_back(std::move(parent));
  }
  std::shared_ptr<internal::WriterService::Stream> stream =
      (*service)->add_stream(std::move(*file), path, std::move(stream_options));
  return std::unique_ptr<SummaryWriter>(
      new SummaryWriter(std::make_unique<Impl>(logdir, std::move(clock), std::move(stream), generation)));
}

SummaryWriter::SummaryWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SummaryWriter::~SummaryWriter() {
  if (impl_->in_forked_child()) {
    // Closing it here would wait for a service thread that does not exist,
    // may block on a mutex no thread will release, and would write the
    // parent's queued bytes into the parent's file a second time. Keep it,
    // out of reach, until the child exits.
    // Leaked on purpose (never destroyed at exit). Allocation failure here,
    // in a destructor, can only terminate, as for any allocation there.
    static internal::Mutex* const mu = new internal::Mutex;  // NOLINT(bugprone-unhandled-exception-at-new)
    static std::vector<Impl*>* const kept =
        new std::vector<Impl*>;  // NOLINT(bugprone-unhandled-exception-at-new)
    internal::MutexLock lock(mu);
    kept->push_back(impl_.release());
    return;
  }
  (void)close();
}

namespace {

// Why scalar() refuses a tag, or OK (the caller's quick test also lets
// through tags that are merely long). Out of line: the hot path carries
// none of the message building.
ABSL_ATTRIBUTE_NOINLINE absl::Status check_scalar_tag(std::string_view tag, double value, int64_t step) {
  if (tag.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("scalar: the tag is empty (value ", value, ", step ", step,
                                                   "); give the metric a name"));
  }
  if (!is_valid_utf8_tag(tag)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scalar: the tag ", escaped_prefix(tag), " is not valid UTF-8 (step ", step,
                     "); TensorBoard drops such events as corrupt: give the tag in UTF-8"));
  }
  if (internal::scalar_event_size(0, step, tag.size(), /*with_metadata=*/true) > kMaxEventBytes) {
    return absl::InvalidArgumentError(absl::StrCat("scalar: the tag of ", tag.size(),
                                                   " bytes makes the event larger than readers accept (",
                                                   kMaxEventBytes, " bytes); use a short tag"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SummaryWriter::scalar(std::string_view tag, double value, int64_t step) {
  if (ABSL_PREDICT_FALSE(tag.empty() || tag.size() > kMaxEventBytes - 128 || !is_valid_utf8_tag(tag))) {
    absl::Status refused = check_scalar_tag(tag, value, step);
    if (!refused.ok()) return refused;
  }
  if (ABSL_PREDICT_FALSE(impl_->in_forked_child())) return impl_->forked_error("scalar");
  const double wall_time = impl_->now();
  const float v = static_cast<float>(value);
  return impl_->stream().append_encoded(internal::max_scalar_record_size(tag.size()),
                                        [&](char* out, internal::WriterService::Stream::Queue& queue) {
                                          return internal::encode_scalar_record(
                                              out, wall_time, step, tag, v,
                                              first_of_tag_from_this_thread(queue, tag));
                                        });
}

absl::Status SummaryWriter::write_summary(const proto::Summary& summary, int64_t step) {
  return write_summary(summary, step, impl_->now());
}

absl::Status SummaryWriter::write_summary(const proto::Summary& summary, int64_t step, double wall_time) {
  proto::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  *event.mutable_summary() = summary;
  return write_event(event);
}

absl::Status SummaryWriter::write_event(const proto::Event& event) {
  if (impl_->in_forked_child()) return impl_->forked_error("write_event");
  std::string path;
  std::string bad;
  if (find_invalid_utf8(event, &path, &bad)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "write_event: field ", path, " = ", escaped_prefix(bad),
        " is not valid UTF-8; readers (TensorBoard's too) drop such events as corrupt. Nothing was written"));
  }
  const size_t size = event.ByteSizeLong();
  if (size > kMaxEventBytes) {
    return absl::InvalidArgumentError(absl::StrCat("write_event: the event is ", size,
                                                   " bytes, more than readers accept (", kMaxEventBytes,
                                                   " bytes); split it or log less. Nothing was written"));
  }
  return impl_->stream().append(internal::frame_record(internal::serialize_deterministic(event)));
}

absl::Status SummaryWriter::write_framed_record(std::string_view framed, std::string_view call) {
  if (impl_->in_forked_child()) return impl_->forked_error(call);
  const size_t size = framed.size() - internal::kRecordOverheadBytes;
  if (size > kMaxEventBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        absl::string_view(call.data(), call.size()), ": the event is ", size,
        " bytes, more than readers accept (", kMaxEventBytes, " bytes); log less. Nothing was written"));
  }
  return impl_->stream().append(framed);
}

absl::Status SummaryWriter::flush() {
  if (impl_->in_forked_child()) return impl_->forked_error("flush");
  return impl_->stream().flush();
}

absl::Status SummaryWriter::close() {
  if (impl_->in_forked_child()) return impl_->forked_error("close");
  return impl_->stream().close();
}

DefaultWriterScope SummaryWriter::as_default() { return DefaultWriterScope(this); }

const std::string& SummaryWriter::logdir() const { return impl_->logdir(); }
const std::string& SummaryWriter::path() const { return impl_->path(); }
double SummaryWriter::now() const { return impl_->now(); }

DefaultWriterScope::DefaultWriterScope(SummaryWriter* writer) : previous_(t_default_writer), active_(true) {
  t_default_writer = writer;
}

DefaultWriterScope::DefaultWriterScope(DefaultWriterScope&& other) noexcept
    : previous_(other.previous_), active_(other.active_) {
  other.active_ = false;
}

DefaultWriterScope::~DefaultWriterScope() {
  if (active_) t_default_writer = previous_;
}

SummaryWriter* default_writer() { return t_default_writer; }

absl::Status scalar(std::string_view tag, double value, int64_t step) {
  SummaryWriter* writer = t_default_writer;
  if (writer == nullptr) return internal::no_default_writer_error("scalar");
  return writer->scalar(tag, value, step);
}

absl::Status flush() {
  SummaryWriter* writer = t_default_writer;
  if (writer == nullptr) return internal::no_default_writer_error("flush");
  return writer->flush();
}

void set_writer_threads(int n) { internal::WriterService::set_threads(n); }

}  // namespace hp
