// SummaryWriter: event-file naming, the scalar hot path, generic summaries,
// and the thread's default writer. The hparams methods live in
// writer_hparams.cc.
#include "hparams/writer.h"

#include <time.h>

#include <atomic>
#include <cmath>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"
#include "hparams/event.pb.h"
#include "hparams/summary.pb.h"
#include "internal/event_file_writer.h"
#include "internal/record_writer.h"
#include "internal/scalar_event.h"

namespace hp {
namespace {

constexpr char kFileVersion[] = "brain.Event:2";
constexpr char kWriterName[] = "hparams-cpp";

// Distinguishes event files created by this process in the same second.
std::atomic<uint64_t> g_file_counter{0};

thread_local SummaryWriter* t_default_writer = nullptr;

// Deterministic so that map fields (hparams) come out in key order.
std::string serialize_deterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
  }
  return out;
}

std::string serialize_event(const proto::Event& event) {
  event.ByteSizeLong();  // caches sizes for SerializeWithCachedSizes
  return serialize_deterministic(event);
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
  return Env::Default()->now_seconds();
}

}  // namespace

class SummaryWriter::Impl {
 public:
  // An empty `clock` means coarse_now().
  Impl(std::string logdir, std::function<double()> clock, std::unique_ptr<EventFileWriter> file)
      : logdir_(std::move(logdir)), clock_(std::move(clock)), file_(std::move(file)) {}

  const std::string& logdir() const { return logdir_; }
  const std::string& path() const { return file_->path(); }
  double now() const { return clock_ ? clock_() : coarse_now(); }
  EventFileWriter& file() { return *file_; }

  // Guarded by the EventFileWriter's queue lock: only touched inside
  // append() callbacks, so "first event of a tag" means first in the file.
  absl::flat_hash_set<std::string>& seen_tags() { return seen_tags_; }
  // The tag of the previous scalar: loops that log one tag skip the hash.
  std::string& last_tag() { return last_tag_; }

 private:
  const std::string logdir_;
  const std::function<double()> clock_;
  std::unique_ptr<EventFileWriter> file_;
  absl::flat_hash_set<std::string> seen_tags_;
  std::string last_tag_;
};

absl::StatusOr<std::unique_ptr<SummaryWriter>> SummaryWriter::Create(const std::string& logdir,
                                                                     WriterOptions options) {
  if (logdir.empty()) {
    return absl::InvalidArgumentError("SummaryWriter::Create: logdir is empty; pass a directory such as \"logs/run-0\"");
  }
  Env* env = options.env != nullptr ? options.env : Env::Default();
  std::function<double()> clock = options.clock;
  // A test Env's clock is honoured; the real one is replaced by coarse_now().
  if (!clock && options.env != nullptr) clock = [env] { return env->now_seconds(); };

  absl::Status s = env->create_dirs(logdir);
  if (!s.ok()) return s;

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
  const std::string first_record = frame_record(serialize_event(first));

  EventFileWriter::Options queue_options;
  queue_options.queue_capacity = options.queue_capacity;
  queue_options.flush_interval = options.flush_interval;
  absl::StatusOr<std::unique_ptr<EventFileWriter>> file =
      EventFileWriter::Open(env, path, first_record, queue_options);
  if (!file.ok()) return file.status();
  return std::unique_ptr<SummaryWriter>(
      new SummaryWriter(std::make_unique<Impl>(logdir, std::move(clock), std::move(*file))));
}

SummaryWriter::SummaryWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SummaryWriter::~SummaryWriter() { (void)close(); }

absl::Status SummaryWriter::scalar(std::string_view tag, double value, int64_t step) {
  if (tag.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("scalar: the tag is empty (value ", value, ", step ", step, "); give the metric a name"));
  }
  const double wall_time = impl_->now();
  const float v = static_cast<float>(value);
  // Encode and frame outside the lock; only the copy happens under it.
  constexpr size_t kStackBytes = 256;
  char stack[kStackBytes];
  std::string heap;
  char* record = stack;
  if (scalar_event::max_record_size(tag.size()) > kStackBytes) {
    heap.resize(scalar_event::max_record_size(tag.size()));
    record = heap.data();
  }
  const size_t n = scalar_event::encode_record(record, wall_time, step, tag, v, /*with_metadata=*/false);
  auto& seen = impl_->seen_tags();
  return impl_->file().append([&](std::string* buffer) {
    const absl::string_view key(tag.data(), tag.size());
    std::string& last = impl_->last_tag();
    if (key == last) {
      buffer->append(record, n);
    } else if (seen.find(key) != seen.end()) {
      last.assign(tag.data(), tag.size());
      buffer->append(record, n);
    } else {
      seen.emplace(key);
      last.assign(tag.data(), tag.size());
      scalar_event::append_record(buffer, wall_time, step, tag, v, /*with_metadata=*/true);
    }
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
  return impl_->file().append_record(frame_record(serialize_event(event)));
}

absl::Status SummaryWriter::flush() { return impl_->file().flush(); }

absl::Status SummaryWriter::close() { return impl_->file().close(); }

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

namespace {
absl::Status no_default_writer(std::string_view call) {
  return absl::FailedPreconditionError(
      absl::StrCat("hp::", absl::string_view(call.data(), call.size()),
                   "() needs a default writer: create a SummaryWriter and hold `auto scope = "
                   "writer->as_default();` while logging"));
}
}  // namespace

absl::Status scalar(std::string_view tag, double value, int64_t step) {
  SummaryWriter* writer = t_default_writer;
  if (writer == nullptr) return no_default_writer("scalar");
  return writer->scalar(tag, value, step);
}

absl::Status flush() {
  SummaryWriter* writer = t_default_writer;
  if (writer == nullptr) return no_default_writer("flush");
  return writer->flush();
}

}  // namespace hp
