// Logdir walking and parallel run reading behind hp::load_experiment.
#include "hparams/reader.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "hparams/record_reader.h"
#include "internal/mutex.h"
#include "internal/run_order.h"
#include "internal/status_macros.h"

namespace hp {
namespace {

Env* env_of(const LoadOptions& options) { return options.env != nullptr ? options.env : Env::default_env(); }

bool is_event_file(const std::string& name) { return name.find("tfevents") != std::string::npos; }

// Deeper than this is taken for a loop the checks below missed.
constexpr int kMaxDepth = 64;

// The directories a walk has read, by (device, inode), shared by the walk's
// threads: bind mounts and hard-linked directories can still make a loop
// when symlinks are not followed.
class VisitedDirs {
 public:
  // False when `dir` was read before. An Env that cannot identify
  // directories gets true: the depth guard is then the only backstop.
  bool first_visit(Env* env, const std::string& dir) {
    absl::StatusOr<FileId> id = env->file_id(dir);
    if (!id.ok()) return true;
    internal::MutexLock lock(&mu_);
    return ids_.insert(*id).second;
  }

 private:
  // Not absl::Mutex: Debian's abseil is not built with TSan's annotations
  // (see internal/mutex.h).
  internal::Mutex mu_;
  std::set<FileId> ids_ ABSL_GUARDED_BY(mu_);
};

// Depth-first walk; `run` is the name of `dir` relative to the logdir. Runs
// come out in walk order (list_runs sorts them). As TensorBoard's os.walk: a
// symlink to a directory is not descended, a symlink to a file is read.
void Walk(Env* env, const std::string& dir, const std::string& run, int depth, VisitedDirs* visited,
          std::vector<RunFiles>* runs, std::vector<Diagnostic>* diagnostics) {
  if (depth > kMaxDepth) {
    if (diagnostics != nullptr) {
      diagnostics->push_back(Diagnostic{
          DiagnosticKind::kUnreadableFile, run, dir, 0,
          absl::StrFormat("'%s' is nested more than %d directories deep; not read.", dir, kMaxDepth)});
    }
    return;
  }
  if (!visited->first_visit(env, dir)) {
    if (diagnostics != nullptr) {
      diagnostics->push_back(
          Diagnostic{DiagnosticKind::kUnreadableFile, run, dir, 0,
                     absl::StrFormat("'%s' is a directory already read under another name (a bind mount or "
                                     "hard-linked directory); not read again.",
                                     dir)});
    }
    return;
  }
  absl::StatusOr<std::vector<DirEntry>> entries = env->list_dir(dir);
  if (!entries.ok()) {
    if (diagnostics != nullptr) {
      diagnostics->push_back(
          Diagnostic{DiagnosticKind::kUnreadableFile, run, dir, 0,
                     absl::StrFormat("cannot list directory '%s': %s; its runs are skipped.", dir,
                                     entries.status().ToString())});
    }
    return;
  }
  std::sort(entries->begin(), entries->end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  RunFiles here;
  here.name = run;
  for (const DirEntry& entry : *entries) {
    if (!entry.is_directory && is_event_file(entry.name)) here.files.push_back(join_path(dir, entry.name));
  }
  if (!here.files.empty()) runs->push_back(std::move(here));
  for (const DirEntry& entry : *entries) {
    if (!entry.is_directory || entry.is_symlink) continue;
    Walk(env, join_path(dir, entry.name), run == "." ? entry.name : run + "/" + entry.name, depth + 1,
         visited, runs, diagnostics);
  }
}

absl::Status check_logdir(Env* env, const std::string& logdir) {
  if (logdir.empty()) return absl::InvalidArgumentError("logdir is empty; pass the directory to read");
  absl::StatusOr<bool> is_dir = env->is_directory(logdir);
  if (!is_dir.ok()) {
    if (absl::IsNotFound(is_dir.status())) {
      return absl::NotFoundError(absl::StrFormat("logdir '%s' does not exist", logdir));
    }
    return is_dir.status();
  }
  if (!*is_dir) {
    return absl::InvalidArgumentError(
        absl::StrFormat("logdir '%s' is not a directory; pass the directory holding the runs", logdir));
  }
  return absl::OkStatus();
}

// How read_event_file opens an event file of `run`: resynchronise after
// corruption, a small buffer (10,000 opens must stay cheap; a large buffer
// costs a zero-fill and a heap consolidation per file), and every skipped
// span reported to `diagnostics` (may be null).
RecordReaderOptions event_file_reader_options(const LoadOptions& options, const std::string& run,
                                              std::vector<Diagnostic>* diagnostics) {
  RecordReaderOptions reader_options;
  reader_options.env = env_of(options);
  reader_options.max_record_bytes = options.max_record_bytes;
  reader_options.resync_after_corruption = true;
  reader_options.buffer_bytes = size_t{16} << 10;
  reader_options.on_corruption = [run, diagnostics](const CorruptionReport& report) {
    if (diagnostics == nullptr) return;
    diagnostics->push_back(Diagnostic{
        DiagnosticKind::kCorruptRecord, run, report.path, report.offset,
        absl::StrFormat("%s: %d corrupt bytes skipped at offset %d (%s); the records around them were read.",
                        report.path, report.bytes_dropped, report.offset, report.reason.ToString())});
  };
  return reader_options;
}

void report_truncated_tail(const std::string& path, const std::string& run,
                           std::vector<Diagnostic>* diagnostics) {
  if (diagnostics == nullptr) return;
  diagnostics->push_back(Diagnostic{
      DiagnosticKind::kTruncatedFile, run, path, 0,
      absl::StrFormat("%s ends inside a record (a writer was killed, or it is still being written); "
                      "the events before it were read.",
                      path)});
}

}  // namespace

absl::StatusOr<std::vector<RunFiles>> list_runs(const std::string& logdir, const LoadOptions& options,
                                                std::vector<Diagnostic>* diagnostics) {
  Env* env = env_of(options);
  HP_RETURN_IF_ERROR(check_logdir(env, logdir));
  std::vector<RunFiles> runs;
  VisitedDirs visited;
  Walk(env, logdir, ".", 0, &visited, &runs, diagnostics);
  std::sort(runs.begin(), runs.end(),
            [](const RunFiles& a, const RunFiles& b) { return internal::run_name_less(a.name, b.name); });
  return runs;
}

absl::Status read_event_file(const std::string& path, const LoadOptions& options, RunData* run,
                             std::vector<Diagnostic>* diagnostics) {
  run->files.push_back(path);
  const RecordReaderOptions reader_options = event_file_reader_options(options, run->name, diagnostics);
  HP_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader, RecordReader::open(path, reader_options));
  while (true) {
    absl::StatusOr<std::string_view> record = reader->read_record();
    if (absl::IsOutOfRange(record.status())) break;
    if (!record.ok()) return record.status();
    if (accumulate_event(*record, run, diagnostics) || diagnostics == nullptr) continue;
    diagnostics->push_back(Diagnostic{
        DiagnosticKind::kCorruptRecord, run->name, path, reader->record_offset(),
        absl::StrFormat("%s: the %d-byte record at offset %d is not a valid Event (its CRC is fine: a writer "
                        "bug?); it was skipped.",
                        path, record->size(), reader->record_offset())});
  }
  if (reader->truncated_tail()) report_truncated_tail(path, run->name, diagnostics);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RunData>> read_logdir(const std::string& logdir, const LoadOptions& options,
                                                 std::vector<Diagnostic>* diagnostics) {
  Env* env = env_of(options);
  HP_RETURN_IF_ERROR(check_logdir(env, logdir));
  HP_ASSIGN_OR_RETURN(std::vector<DirEntry> top, env->list_dir(logdir));
  std::sort(top.begin(), top.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });

  // One task per top-level subdirectory (walk it, then read its runs), plus
  // one for the root's own event files, so the walk runs in parallel too.
  // Each task fills its own slot: results and their order do not depend on
  // scheduling.
  struct Task {
    std::string dir;  // directory to walk; empty for the root's own files
    std::string run;
    std::vector<RunFiles> listing;
    std::vector<RunData> runs;
    std::vector<Diagnostic> diagnostics;
  };
  std::vector<Task> tasks;
  RunFiles root{".", {}};
  VisitedDirs visited;
  (void)visited.first_visit(env, logdir);
  for (const DirEntry& entry : top) {
    if (entry.is_directory && entry.is_symlink) continue;  // not descended, as in Walk
    if (entry.is_directory) {
      Task task;
      task.dir = join_path(logdir, entry.name);
      task.run = entry.name;
      tasks.push_back(std::move(task));
    } else if (is_event_file(entry.name)) {
      root.files.push_back(join_path(logdir, entry.name));
    }
  }
  if (!root.files.empty()) {
    Task task;
    task.run = ".";
    task.listing.push_back(std::move(root));
    tasks.insert(tasks.begin(), std::move(task));
  }

  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < tasks.size(); i = next.fetch_add(1)) {
      Task& task = tasks[i];
      if (!task.dir.empty()) Walk(env, task.dir, task.run, 1, &visited, &task.listing, &task.diagnostics);
      for (RunFiles& listed : task.listing) {
        RunData& run = task.runs.emplace_back();
        run.name = std::move(listed.name);
        for (const std::string& path : listed.files) {
          absl::Status status = read_event_file(path, options, &run, &task.diagnostics);
          if (!status.ok()) {
            task.diagnostics.push_back(
                Diagnostic{DiagnosticKind::kUnreadableFile, run.name, path, 0,
                           absl::StrFormat("cannot read %s: %s", path, status.ToString())});
          }
        }
      }
    }
  };
  int threads = options.threads;
  if (threads <= 0)
    threads = static_cast<int>(std::min(2u, std::max(1u, std::thread::hardware_concurrency())));
  threads = static_cast<int>(std::min<size_t>(threads, std::max<size_t>(1, tasks.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    // Out of threads or memory for a stack: the threads already running (and
    // this one) take the remaining tasks, so fewer threads only cost time.
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  for (std::thread& t : pool) t.join();

  std::vector<RunData> runs;
  for (Task& task : tasks) {
    for (RunData& run : task.runs) runs.push_back(std::move(run));
    if (diagnostics != nullptr) {
      for (Diagnostic& d : task.diagnostics) diagnostics->push_back(std::move(d));
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const RunData& a, const RunData& b) { return internal::run_name_less(a.name, b.name); });
  return runs;
}

absl::StatusOr<ExperimentView> load_experiment(const std::string& logdir, const LoadOptions& options) {
  std::vector<Diagnostic> diagnostics;
  HP_ASSIGN_OR_RETURN(std::vector<RunData> runs, read_logdir(logdir, options, &diagnostics));
  return build_experiment_view(std::move(runs), std::move(diagnostics));
}

}  // namespace hp
