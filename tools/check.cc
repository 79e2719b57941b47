// The findings of `hparams check`.
#include "check.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "table.h"

namespace hp::cli {
namespace {

constexpr size_t kMaxListed = 5;

std::string list_some(const std::vector<std::string>& items) {
  std::vector<std::string> shown(items.begin(), items.begin() + std::min(items.size(), kMaxListed));
  std::string out = absl::StrJoin(shown, ", ");
  if (items.size() > kMaxListed) absl::StrAppendFormat(&out, " and %d more", items.size() - kMaxListed);
  return out;
}

std::string Describe(const Value& v) {
  if (v.is_number()) return format_number(v.as_double());
  if (v.is_string()) return "'" + v.as_string() + "'";
  return v.as_bool() ? "true" : "false";
}

std::string type_name(DataType type) {
  switch (type) {
    case DATA_TYPE_STRING:
      return "string";
    case DATA_TYPE_BOOL:
      return "bool";
    case DATA_TYPE_FLOAT64:
      return "number";
    default:
      return "unset";
  }
}

// The same value as the plugin compares them: numbers by value (an int
// domain value matches a float hparam), so 0.0 == -0.0 and NaN matches nothing.
bool same_value(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.as_double() == b.as_double();
  if (a.is_string() && b.is_string()) return a.as_string() == b.as_string();
  if (a.is_bool() && b.is_bool()) return a.as_bool() == b.as_bool();
  return false;
}

// The nearest session run above `run` ("a/b/c" -> "a/b" or "a"), the way
// TensorBoard looks for it; "" when none.
std::string session_above(const ExperimentView& view, const std::string& run) {
  for (std::string_view candidate = run; !candidate.empty(); candidate = parent_run(candidate)) {
    const RunData* data = view.find_run(candidate);
    if (data != nullptr && data->session_start) return std::string(candidate);
  }
  return "";
}

// Whether a logged tag looks like the configured one: equal but for case, or
// one containing the other (accuracy / epoch_accuracy / val_accuracy).
bool similar_tag(const std::string& logged, const std::string& configured) {
  if (configured.empty() || logged == configured) return false;
  const std::string a = absl::AsciiStrToLower(logged);
  const std::string b = absl::AsciiStrToLower(configured);
  return absl::StrContains(a, b) || absl::StrContains(b, a);
}

// The C++ and CLI spelling of the metric (tag, one of `groups`), preferring
// the validation group, which is what a tuning dashboard usually compares.
std::string metric_fix(const std::string& tag, const std::set<std::string>& groups) {
  std::string group = groups.count("validation") ? "validation" : *groups.begin();
  if (group.empty()) return absl::StrFormat("hp::Metric(\"%s\") (CLI: --metric '%s')", tag, tag);
  return absl::StrFormat("hp::Metric(\"%s\").group(\"%s\") (CLI: --metric '%s;group=%s')", tag, group, tag,
                         group);
}

void check_metrics(const ExperimentView& view, std::vector<Finding>* findings) {
  std::vector<const RunData*> sessions;
  for (const RunData& run : view.runs) {
    if (run.session_start) sessions.push_back(&run);
  }
  if (sessions.empty()) return;
  if (view.experiment.metric_infos.empty()) {
    findings->push_back({"no_metrics",
                         "the experiment lists no metrics, so the dashboard shows no metric columns; pass "
                         "metrics to hparams_config() (or `hparams config --metric TAG`)"});
    return;
  }
  // Metrics no session has.
  for (const MetricInfo& metric : view.experiment.metric_infos) {
    bool found = false;
    for (const RunData* session : sessions) {
      const RunData* run = view.find_run(metric_run(session->name, metric.name.group));
      if (run != nullptr && run->scalars.count(metric.name.tag)) found = true;
    }
    if (found) continue;
    std::string what = absl::StrFormat("metric (group='%s', tag='%s')", metric.name.group, metric.name.tag);
    // Where the tag does exist.
    std::vector<std::string> places;
    std::set<std::string> groups;  // groups under which sessions do have the tag
    std::set<std::string> nearby_tags;
    for (const RunData& run : view.runs) {
      if (run.scalars.count(metric.name.tag)) {
        places.push_back(run.name);
        std::string session = session_above(view, run.name);
        if (!session.empty()) groups.insert(run.name == session ? "" : run.name.substr(session.size() + 1));
      }
      if (!session_above(view, run.name).empty()) {
        for (const auto& [tag, unused] : run.scalars) nearby_tags.insert(tag);
      }
    }
    std::string suggestion;
    if (!groups.empty()) {
      std::vector<std::string> options;
      for (const std::string& g : groups) options.push_back("group='" + g + "'");
      suggestion = "did you mean " + absl::StrJoin(options, " or ") + "? Configure " +
                   metric_fix(metric.name.tag, groups);
    }
    // Tags like the configured one (Keras writes `epoch_accuracy` under
    // train/ and validation/ for a metric named `accuracy`), with the
    // groups they are in: fixing the tag alone leaves the column empty.
    std::map<std::string, std::set<std::string>> similar;
    for (const RunData& run : view.runs) {
      std::string session = session_above(view, run.name);
      if (session.empty()) continue;
      for (const auto& [tag, unused] : run.scalars) {
        if (similar_tag(tag, metric.name.tag)) {
          similar[tag].insert(run.name == session ? "" : run.name.substr(session.size() + 1));
        }
      }
    }
    std::string message;
    if (!places.empty()) {
      message = absl::StrFormat(
          "%s is in no session run: found `%s` in %s; %s", what, metric.name.tag, list_some(places),
          suggestion.empty() ? "those runs belong to no session; log hparams() in the run "
                               "directory that holds them (or its parent)"
                             : suggestion);
    } else if (!similar.empty()) {
      std::vector<std::string> found;
      for (const auto& [tag, in_groups] : similar) {
        std::vector<std::string> quoted;
        for (const std::string& g : in_groups) quoted.push_back("'" + g + "'");
        found.push_back(absl::StrFormat("`%s` in group%s %s", tag, in_groups.size() == 1 ? "" : "s",
                                        absl::StrJoin(quoted, ", ")));
      }
      const auto& [tag, in_groups] = *similar.begin();
      message = absl::StrFormat(
          "%s is logged in no run, but the sessions have %s. A metric is found by its tag AND its group (the "
          "subdirectory of the session run), so renaming the tag alone still leaves the column empty; "
          "configure "
          "%s",
          what, absl::StrJoin(found, " and "), metric_fix(tag, in_groups));
    } else if (!nearby_tags.empty()) {
      message =
          absl::StrFormat("%s is logged in no run; the sessions have scalar tags %s: is the tag misspelled?",
                          what, list_some({nearby_tags.begin(), nearby_tags.end()}));
    } else {
      message = absl::StrFormat(
          "%s is logged in no run, and no session has any scalar; log it with "
          "scalar(\"%s\", value, step) in each trial's run directory",
          what, metric.name.tag);
    }
    findings->push_back({"metric_not_found", message});
  }
  // Sessions without any metric value.
  std::vector<std::string> empty;
  for (const SessionGroup& group : view.session_groups) {
    for (const Session& session : group.sessions) {
      if (session.metric_values.empty()) empty.push_back(session.name);
    }
  }
  std::sort(empty.begin(), empty.end());
  if (!empty.empty()) {
    findings->push_back(
        {"session_without_metrics",
         absl::StrFormat(
             "%d session%s ha%s no value for any configured metric (%s); the dashboard shows them "
             "with empty metric columns. Log the metrics in the trial's run directory (or the "
             "metric's group subdirectory)",
             empty.size(), empty.size() == 1 ? "" : "s", empty.size() == 1 ? "s" : "ve", list_some(empty))});
  }
}

void check_root_session(const ExperimentView& view, std::vector<Finding>* findings) {
  const RunData* root = view.find_run(".");
  if (root == nullptr || !root->session_start) return;
  std::vector<std::string> below;
  for (const RunData& run : view.runs) {
    if (run.name != "." && !run.scalars.empty() && session_above(view, run.name).empty())
      below.push_back(run.name);
  }
  bool grouped_metric = false;
  for (const MetricInfo& metric : view.experiment.metric_infos) {
    grouped_metric |= !metric.name.group.empty();
  }
  if (below.empty() && !grouped_metric) return;
  findings->push_back(
      {"session_in_root",
       absl::StrFormat(
           "the logdir root holds a session start; TensorBoard never finds a root session's metrics "
           "in subdirectories%s. Write each trial's hparams into its own run directory "
           "(e.g. LOGDIR/run-0) instead of the logdir root",
           below.empty() ? "" : " (scalars in " + list_some(below) + " are lost)")});
}

void check_hparams(const ExperimentView& view, std::vector<Finding>* findings) {
  if (view.source != ExperimentSource::kConfig) return;
  std::map<std::string, const HParamInfo*> infos;
  for (const HParamInfo& info : view.experiment.hparam_infos) infos[info.name] = &info;
  for (const RunData& run : view.runs) {
    if (!run.session_start) continue;
    for (const auto& [name, value] : run.session_start->hparams) {  // sorted by name
      auto it = infos.find(name);
      if (it == infos.end()) {
        findings->push_back(
            {"hparam_not_in_config",
             absl::StrFormat("run '%s': hparam '%s' is not in the experiment config, so the dashboard has no "
                             "column for it; add HParam(\"%s\") to hparams_config()",
                             run.name, name, name)});
        continue;
      }
      const HParamInfo& info = *it->second;
      DataType type = data_type_of(value);
      if (info.type != DATA_TYPE_UNSET && type != info.type) {
        findings->push_back(
            {"hparam_wrong_type",
             absl::StrFormat(
                 "run '%s': hparam '%s' = %s is a %s, but the config declares a %s; log the value "
                 "with the declared type",
                 run.name, name, Describe(value), type_name(type), type_name(info.type))});
        continue;
      }
      if (info.domain_discrete) {
        bool in = false;
        std::vector<std::string> allowed;
        for (const Value& v : *info.domain_discrete) {
          in |= same_value(v, value);
          allowed.push_back(Describe(v));
        }
        if (!in) {
          findings->push_back(
              {"hparam_out_of_domain",
               absl::StrFormat(
                   "run '%s': hparam '%s' = %s is not one of the config's values {%s}; add it to the "
                   "domain or fix the trial",
                   run.name, name, Describe(value), absl::StrJoin(allowed, ", "))});
        }
      } else if (info.domain_interval && type == DATA_TYPE_FLOAT64) {
        double v = value.as_double();
        const Interval& interval = *info.domain_interval;
        if (!(v >= interval.min_value && v <= interval.max_value)) {
          findings->push_back(
              {"hparam_out_of_domain",
               absl::StrFormat(
                   "run '%s': hparam '%s' = %s is outside the config's interval [%s, %s]; widen the "
                   "interval or fix the trial",
                   run.name, name, Describe(value), format_number(interval.min_value),
                   format_number(interval.max_value))});
        }
      }
    }
  }
}

void check_runs_without_session(const ExperimentView& view, std::vector<Finding>* findings) {
  bool any_session = false;
  for (const RunData& run : view.runs) any_session |= run.session_start.has_value();
  if (!any_session) {
    findings->push_back(
        {"no_sessions",
         "no run holds a session start (hparams() was never called), so the dashboard is empty; "
         "call hparams() (or `hparams log RUN_DIR --hparam ...`) in each trial's run directory"});
    return;
  }
  for (const RunData& run : view.runs) {
    if (run.session_start || !session_above(view, run.name).empty()) continue;
    if (run.scalars.empty()) continue;  // e.g. the root holding only the config
    findings->push_back(
        {"run_without_session",
         absl::StrFormat(
             "run '%s' has scalars but no session start in it or a parent directory, so the "
             "dashboard ignores it; call hparams() in it (or move it under a trial's run directory)",
             run.name)});
  }
}

}  // namespace

std::vector<Finding> check_experiment(const ExperimentView& view) {
  std::vector<Finding> findings;
  for (const Diagnostic& d : view.diagnostics) {
    findings.push_back({std::string(diagnostic_kind_name(d.kind)), d.message});
  }
  check_runs_without_session(view, &findings);
  check_root_session(view, &findings);
  check_metrics(view, &findings);
  check_hparams(view, &findings);
  return findings;
}

}  // namespace hp::cli
