// The session-group table and its text, CSV, JSON and Markdown renderings.
#include "table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "specs.h"

namespace hp::cli {
namespace {

// Shortest text that reads back as the same double (std::to_chars).
std::string shortest_double(double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

// TensorBoard's JSON (Python's json.dumps) spells the non-finite numbers
// NaN, Infinity and -Infinity, and keeps the sign of -0.0.
std::string json_number(double value) {
  if (std::isnan(value)) return "\"NaN\"";
  if (std::isinf(value)) return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  if (value == 0 && std::signbit(value)) return "-0.0";
  return shortest_double(value);
}

// A JSON string literal (json.dumps of `s`).
std::string json_string(const std::string& s) { return Value(s).json(); }

std::string status_name(SessionStatus status) {
  switch (status) {
    case STATUS_SUCCESS:
      return "success";
    case STATUS_FAILURE:
      return "failure";
    case STATUS_RUNNING:
      return "running";
    default:
      return "unknown";
  }
}

std::string metric_key(const MetricName& name) {
  return name.group.empty() ? name.tag : name.group + "/" + name.tag;
}

Cell value_cell(const Value& value) {
  Cell cell;
  cell.missing = false;
  if (value.is_number()) {
    cell.number = value.as_double();
    cell.text = format_number(value.as_double());
    cell.json = json_number(value.as_double());
  } else if (value.is_string()) {
    cell.text = value.as_string();
    cell.json = value.json();
  } else {
    cell.text = value.as_bool() ? "true" : "false";
    cell.json = cell.text;
  }
  return cell;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string markdown_field(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    if (c == '\n') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

// Display width of UTF-8 text: one column per code point.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string escape_control(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += absl::StrFormat("\\x%02x", c);
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      // C1 controls (U+0080..U+009F): some terminals act on them too.
      out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(s[i + 1]));
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::floor(value) && std::fabs(value) < 1e16) return absl::StrFormat("%.0f", value);
  float f = static_cast<float>(value);
  if (static_cast<double>(f) == value) {
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, f);
    return std::string(buf, result.ptr);
  }
  return shortest_double(value);
}

Table build_table(const ExperimentView& view) {
  Table table;
  table.columns.push_back({Column::Kind::kRuns, "Run", "", "", ""});
  std::set<std::string> configured;
  for (const HParamInfo& info : view.experiment.hparam_infos) {
    // A config may list a name twice (Python allows it); one column each.
    if (!configured.insert(info.name).second) continue;
    table.columns.push_back({Column::Kind::kHParam, info.display_name.empty() ? info.name : info.display_name,
                             info.name, "", ""});
  }
  // TensorBoard's groups carry hparams the config does not list; they come
  // after the configured ones, by name.
  std::set<std::string> extra;
  for (const SessionGroup& group : view.session_groups) {
    for (const auto& [name, unused] : group.hparams) {
      if (!configured.count(name)) extra.insert(name);
    }
  }
  for (const std::string& name : extra) table.columns.push_back({Column::Kind::kHParam, name, name, "", ""});
  size_t first_metric = table.columns.size();
  std::set<std::string> metric_keys;
  for (const MetricInfo& info : view.experiment.metric_infos) {
    if (!metric_keys.insert(metric_key(info.name)).second) continue;
    std::string header = info.display_name.empty() ? metric_key(info.name) : info.display_name;
    table.columns.push_back(
        {Column::Kind::kMetric, header, metric_key(info.name), info.name.group, info.name.tag});
  }
  // Two metrics shown under one name (e.g. "Accuracy" for train and
  // validation) are told apart by their key.
  std::map<std::string, int> header_count;
  for (size_t i = first_metric; i < table.columns.size(); ++i) ++header_count[table.columns[i].header];
  for (size_t i = first_metric; i < table.columns.size(); ++i) {
    if (header_count[table.columns[i].header] > 1)
      table.columns[i].header += " (" + table.columns[i].key + ")";
  }
  table.columns.push_back({Column::Kind::kStatus, "Status", "", "", ""});

  for (const SessionGroup& group : view.session_groups) {
    Table::Row row;
    row.group = group.name;
    std::set<std::string> statuses;
    // (group, tag) -> value, so filling the row is not metrics x columns.
    std::map<std::pair<std::string_view, std::string_view>, double> metric_values;
    for (const MetricValue& value : group.metric_values) {
      metric_values[{value.name.group, value.name.tag}] = value.value;  // the last wins, as before
    }
    for (const Session& session : group.sessions) {
      row.sessions.push_back(session.name);
      statuses.insert(status_name(session.status));
    }
    for (const Column& column : table.columns) {
      Cell cell;
      switch (column.kind) {
        case Column::Kind::kRuns: {
          cell.missing = false;
          cell.text = absl::StrJoin(row.sessions, ",");
          std::vector<std::string> quoted;
          for (const auto& s : row.sessions) quoted.push_back(json_string(s));
          cell.json = "[" + absl::StrJoin(quoted, ", ") + "]";
          break;
        }
        case Column::Kind::kHParam: {
          auto it = group.hparams.find(column.key);
          if (it != group.hparams.end()) cell = value_cell(it->second);
          break;
        }
        case Column::Kind::kMetric: {
          auto found = metric_values.find({column.group, column.tag});
          if (found != metric_values.end()) {
            cell.missing = false;
            cell.number = found->second;
            cell.text = format_number(found->second);
            cell.json = json_number(found->second);
          }
          break;
        }
        case Column::Kind::kStatus:
          cell.missing = false;
          cell.text = absl::StrJoin(statuses, ",");
          cell.json = json_string(cell.text);
          break;
      }
      row.cells.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::Status sort_table(Table* table, const std::string& name, bool descending) {
  int index = -1;
  for (size_t i = 0; i < table->columns.size() && index < 0; ++i) {
    const Column& c = table->columns[i];
    if (c.kind == Column::Kind::kRuns || c.kind == Column::Kind::kStatus) continue;
    std::string tag = c.key.substr(c.key.rfind('/') == std::string::npos ? 0 : c.key.rfind('/') + 1);
    if (c.header == name || c.key == name) index = static_cast<int>(i);
    if (index < 0 && c.kind == Column::Kind::kMetric && tag == name) index = static_cast<int>(i);
  }
  if (index < 0) {
    std::vector<std::string> names;
    for (const Column& c : table->columns) {
      if (c.kind == Column::Kind::kMetric || c.kind == Column::Kind::kHParam) names.push_back(c.key);
    }
    return absl::InvalidArgumentError(absl::StrFormat("--sort '%s' names no column; use one of: %s", name,
                                                      names.empty() ? "(none)" : absl::StrJoin(names, ", ")));
  }
  std::stable_sort(table->rows.begin(), table->rows.end(), [&](const Table::Row& a, const Table::Row& b) {
    const Cell& x = a.cells[index];
    const Cell& y = b.cells[index];
    // NaN is ordered by nothing, so it goes last like a missing value.
    const bool x_missing = x.missing || (x.number && std::isnan(*x.number));
    const bool y_missing = y.missing || (y.number && std::isnan(*y.number));
    if (x_missing != y_missing) return y_missing;
    if (x_missing) return false;
    if (x.number && y.number) return descending ? *x.number > *y.number : *x.number < *y.number;
    if (x.number != y.number) return x.number.has_value();  // numbers before text
    return descending ? x.text > y.text : x.text < y.text;
  });
  return absl::OkStatus();
}

std::string render_text(const Table& table) {
  std::vector<size_t> widths;
  // Names and values come from files anyone can write: a control character
  // printed raw could retitle or clear the terminal, or split a row.
  std::vector<std::string> header;
  for (const Column& c : table.columns) header.push_back(escape_control(c.header));
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : table.rows) {
    std::vector<std::string>& fields = rows.emplace_back();
    for (const Cell& cell : row.cells) fields.push_back(cell.missing ? "-" : escape_control(cell.text));
  }
  for (const std::string& h : header) widths.push_back(Width(h));
  for (const auto& fields : rows) {
    for (size_t i = 0; i < fields.size(); ++i) widths[i] = std::max(widths[i], Width(fields[i]));
  }
  auto line = [&](const std::vector<std::string>& fields, const std::vector<bool>& right) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string pad(widths[i] - Width(fields[i]), ' ');
      bool last = i + 1 == fields.size();
      out += right[i] ? pad + fields[i] : (last ? fields[i] : fields[i] + pad);
      if (!last) out += "  ";
    }
    return out + "\n";
  };
  std::vector<bool> left(table.columns.size(), false);
  std::string out = line(header, left);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  out += line(rule, left);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<bool> right;
    for (const Cell& cell : table.rows[r].cells) right.push_back(cell.number.has_value());
    out += line(rows[r], right);
  }
  return out;
}

std::string render_csv(const Table& table) {
  std::vector<std::string> header;
  for (const Column& c : table.columns) header.push_back(csv_field(c.header));
  std::string out = absl::StrJoin(header, ",") + "\n";
  for (const auto& row : table.rows) {
    std::vector<std::string> fields;
    for (const Cell& cell : row.cells) fields.push_back(csv_field(cell.text));
    out += absl::StrJoin(fields, ",") + "\n";
  }
  return out;
}

std::string render_markdown(const Table& table) {
  std::vector<std::string> header;
  std::vector<std::string> rule;
  for (const Column& c : table.columns) {
    header.push_back(markdown_field(c.header));
    bool numeric = c.kind == Column::Kind::kMetric;
    rule.push_back(numeric ? "---:" : "---");
  }
  std::string out = "| " + absl::StrJoin(header, " | ") + " |\n| " + absl::StrJoin(rule, " | ") + " |\n";
  for (const auto& row : table.rows) {
    std::vector<std::string> fields;
    for (const Cell& cell : row.cells) fields.push_back(markdown_field(cell.missing ? "" : cell.text));
    out += "| " + absl::StrJoin(fields, " | ") + " |\n";
  }
  return out;
}

std::string render_json(const Table& table) {
  std::string out = "[";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    std::vector<std::string> hparams;
    std::vector<std::string> metrics;
    std::string sessions;
    std::string status;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const Column& c = table.columns[i];
      const Cell& cell = row.cells[i];
      switch (c.kind) {
        case Column::Kind::kRuns:
          sessions = cell.json;
          break;
        case Column::Kind::kStatus:
          status = cell.json;
          break;
        case Column::Kind::kHParam:
          if (!cell.missing) hparams.push_back(json_string(c.key) + ": " + cell.json);
          break;
        case Column::Kind::kMetric:
          if (!cell.missing) metrics.push_back(json_string(c.key) + ": " + cell.json);
          break;
      }
    }
    out += r == 0 ? "\n" : ",\n";
    out += "  {\"group\": " + json_string(row.group) + ", \"sessions\": " + sessions + ", \"hparams\": {" +
           absl::StrJoin(hparams, ", ") + "}, \"metrics\": {" + absl::StrJoin(metrics, ", ") +
           "}, \"status\": " + status + "}";
  }
  out += table.rows.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace hp::cli
