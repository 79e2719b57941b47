// The HParams dashboard's table view (one row per session group: hparams,
// then metrics, then status) and its renderings: aligned text, CSV, JSON and
// Markdown.
#ifndef HPARAMS_TOOLS_TABLE_H_
#define HPARAMS_TOOLS_TABLE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hparams/experiment_view.h"

namespace hp::cli {

struct Cell {
  std::string text;              // as shown; "" when missing
  std::optional<double> number;  // for sorting numbers numerically
  bool missing = true;
  // For JSON: the value as a JSON literal ("0.1", "\"adam\"", "true").
  std::string json;
};

struct Column {
  enum class Kind { kRuns, kHParam, kMetric, kStatus };
  Kind kind;
  std::string header;  // shown name: display name, else name / tag
  std::string key;     // hparam name, or "group/tag" ("tag" when group is "")
  std::string group;   // for metrics: the metric's group and tag
  std::string tag;
};

struct Table {
  std::vector<Column> columns;
  struct Row {
    std::string group;                  // session group name
    std::vector<std::string> sessions;  // session run names
    std::vector<Cell> cells;            // one per column
  };
  std::vector<Row> rows;
};

// Builds the table of `view`, rows in the server's order (group name).
Table build_table(const ExperimentView& view);

// Sorts rows by the column whose header, key or tag is `name` (missing
// values last in both directions). InvalidArgument naming the columns there
// are when none matches.
absl::Status sort_table(Table* table, const std::string& name, bool descending);

std::string render_text(const Table& table);
std::string render_csv(const Table& table);
std::string render_markdown(const Table& table);
std::string render_json(const Table& table);

// Shortest text that reads back as `value`; float32-exact values use the
// float32 shortest form (0.8700000047683716 -> "0.87").
std::string format_number(double value);

// `s` safe to print on a terminal: control characters (C0, DEL, C1) become
// \n, \r, \t, \xHH or \u00HH; everything else, UTF-8 included, as is.
std::string escape_control(const std::string& s);

}  // namespace hp::cli

#endif  // HPARAMS_TOOLS_TABLE_H_
