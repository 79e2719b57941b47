// Logdir walking and parallel run reading behind hp::LoadExperiment.
#include "hparams/reader.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>

#include "absl/strings/str_format.h"
#include "hparams/record_reader.h"
#include "internal/status_macros.h"

namespace hp {
namespace {

Env* EnvOf(const LoadOptions& options) { return options.env != nullptr ? options.env : Env::Default(); }

bool IsEventFile(const std::string& name) { return name.find("tfevents") != std::string::npos; }

// Depth-first walk; `run` is the name of `dir` relative to the logdir.
void Walk(Env* env, const std::string& dir, const std::string& run, std::vector<RunFiles>* runs,
          std::vector<Diagnostic>* diagnostics) {
  absl::StatusOr<std::vector<DirEntry>> entries = env->list_dir(dir);
  if (!entries.ok()) {
    if (diagnostics != nullptr) {
      diagnostics->push_back(Diagnostic{
          DiagnosticKind::kUnreadableFile, run, dir, 0,
          absl::StrFormat("cannot list directory '%s': %s; its runs are skipped.", dir, entries.status().ToString())});
    }
    return;
  }
  std::sort(entries->begin(), entries->end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  RunFiles here;
  here.name = run;
  for (const DirEntry& entry : *entries) {
    if (!entry.is_directory && IsEventFile(entry.name)) here.files.push_back(join_path(dir, entry.name));
  }
  if (!here.files.empty()) runs->push_back(std::move(here));
  for (const DirEntry& entry : *entries) {
    if (!entry.is_directory) continue;
    Walk(env, join_path(dir, entry.name), run == "." ? entry.name : run + "/" + entry.name, runs, diagnostics);
  }
}

}  // namespace

absl::StatusOr<std::vector<RunFiles>> ListRuns(const std::string& logdir, const LoadOptions& options,
                                               std::vector<Diagnostic>* diagnostics) {
  if (logdir.empty()) return absl::InvalidArgumentError("logdir is empty; pass the directory to read");
  Env* env = EnvOf(options);
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
  std::vector<RunFiles> runs;
  Walk(env, logdir, ".", &runs, diagnostics);
  std::sort(runs.begin(), runs.end(), [](const RunFiles& a, const RunFiles& b) {
    if ((a.name == ".") != (b.name == ".")) return a.name == ".";
    return a.name < b.name;
  });
  return runs;
}

absl::Status ReadEventFile(const std::string& path, const std::string& run, const LoadOptions& options,
                           const std::function<void(const proto::Event&)>& on_event,
                           std::vector<Diagnostic>* diagnostics) {
  RecordReaderOptions reader_options;
  reader_options.env = EnvOf(options);
  reader_options.max_record_bytes = options.max_record_bytes;
  reader_options.resync_after_corruption = true;
  // Event files of one run are small: a modest buffer keeps 10,000 opens cheap.
  reader_options.buffer_bytes = size_t{64} << 10;
  reader_options.on_corruption = [&](const CorruptionReport& report) {
    if (diagnostics == nullptr) return;
    diagnostics->push_back(Diagnostic{
        DiagnosticKind::kCorruptRecord, run, report.path, report.offset,
        absl::StrFormat("%s: %d corrupt bytes skipped at offset %d (%s); the records around them were read.",
                        report.path, report.bytes_dropped, report.offset, report.reason.ToString())});
  };
  HP_ASSIGN_OR_RETURN(std::unique_ptr<EventFileReader> reader, EventFileReader::Open(path, reader_options));
  proto::Event event;
  while (true) {
    event.Clear();
    HP_ASSIGN_OR_RETURN(bool more, reader->next(&event));
    if (!more) break;
    on_event(event);
  }
  if (reader->records().truncated_tail() && diagnostics != nullptr) {
    diagnostics->push_back(Diagnostic{
        DiagnosticKind::kTruncatedFile, run, path, 0,
        absl::StrFormat("%s ends inside a record (a writer was killed, or it is still being written); "
                        "the events before it were read.",
                        path)});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RunData>> ReadLogdir(const std::string& logdir, const LoadOptions& options,
                                                std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> walk_diagnostics;
  HP_ASSIGN_OR_RETURN(std::vector<RunFiles> listing, ListRuns(logdir, options, &walk_diagnostics));

  // Each run is read by one thread into its own slot, so results and their
  // order do not depend on scheduling.
  std::vector<RunData> runs(listing.size());
  std::vector<std::vector<Diagnostic>> run_diagnostics(listing.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < listing.size(); i = next.fetch_add(1)) {
      RunData& run = runs[i];
      std::vector<Diagnostic>& found = run_diagnostics[i];
      run.name = listing[i].name;
      for (const std::string& path : listing[i].files) {
        run.files.push_back(path);
        absl::Status status = ReadEventFile(
            path, run.name, options, [&](const proto::Event& e) { AccumulateEvent(e, &run, &found); }, &found);
        if (!status.ok()) {
          found.push_back(Diagnostic{DiagnosticKind::kUnreadableFile, run.name, path, 0,
                                     absl::StrFormat("cannot read %s: %s", path, status.ToString())});
        }
      }
    }
  };
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::min(2u, std::max(1u, std::thread::hardware_concurrency())));
  threads = static_cast<int>(std::min<size_t>(threads, std::max<size_t>(1, listing.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  if (diagnostics != nullptr) {
    for (Diagnostic& d : walk_diagnostics) diagnostics->push_back(std::move(d));
    for (auto& found : run_diagnostics) {
      for (Diagnostic& d : found) diagnostics->push_back(std::move(d));
    }
  }
  return runs;
}

absl::StatusOr<ExperimentView> LoadExperiment(const std::string& logdir, const LoadOptions& options) {
  std::vector<Diagnostic> diagnostics;
  HP_ASSIGN_OR_RETURN(std::vector<RunData> runs, ReadLogdir(logdir, options, &diagnostics));
  return BuildExperimentView(std::move(runs), std::move(diagnostics));
}

}  // namespace hp
