// libFuzzer harness for everything after the record reader: event decoding
// (the protobuf path and the fast scalar path), the experiment view, `hparams
// check` and every table rendering and sort. The input is an event file;
// each event carrying file_version starts the next run ("." first, then
// run-0, run-1, ...), so a concatenation of a logdir's event files is a
// whole logdir.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "fuzz_env.h"
#include "hparams/experiment_view.h"
#include "hparams/record_reader.h"
#include "hparams/summary.h"
#include "table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  hp::fuzz::MemoryEnv env(file, size_t{1} << 16);
  hp::RecordReaderOptions options;
  options.env = &env;
  auto reader = hp::RecordReader::open("fuzz", options);
  if (!reader.ok()) return 0;

  std::vector<hp::RunData> runs;
  std::vector<hp::Diagnostic> diagnostics;
  for (;;) {
    absl::StatusOr<std::string_view> record = (*reader)->read_record();
    if (!record.ok()) break;
    hp::proto::Event event;
    const bool decoded = event.ParseFromArray(record->data(), static_cast<int>(record->size()));
    if (runs.empty() || (decoded && !event.file_version().empty())) {
      if (runs.size() >= 64) break;
      hp::RunData& run = runs.emplace_back();
      run.name = runs.size() == 1 ? "." : "run-" + std::to_string(runs.size() - 2);
    }
    hp::RunData& run = runs.back();
    // Both of the decoder's paths: the fast one for plain scalars (it
    // changes nothing when it declines), the full one for the rest.
    (void)hp::accumulate_event(*record, &run, &diagnostics);
  }

  hp::ExperimentView view = hp::build_experiment_view(std::move(runs), std::move(diagnostics));
  (void)hp::cli::check_experiment(view);
  hp::cli::Table table = hp::cli::build_table(view);
  (void)hp::cli::render_text(table);
  (void)hp::cli::render_csv(table);
  (void)hp::cli::render_markdown(table);
  (void)hp::cli::render_json(table);
  for (const hp::cli::Column& column : table.columns) {
    if (column.kind != hp::cli::Column::Kind::kMetric && column.kind != hp::cli::Column::Kind::kHParam)
      continue;
    hp::cli::Table sorted = table;
    if (hp::cli::sort_table(&sorted, column.key, (size & 1) != 0).ok()) (void)hp::cli::render_text(sorted);
    break;
  }
  return 0;
}
