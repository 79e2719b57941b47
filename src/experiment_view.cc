// The HParams plugin's computation (experiment, sessions, session groups)
// over already-decoded runs, and the decoder from Event records to RunData
// (the only place the read side touches protobuf). See
// hparams/experiment_view.h.
#include "hparams/experiment_view.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "event_decoder.h"
#include "google/protobuf/arena.h"
#include "hparams/proto/event.pb.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/summary.h"
#include "internal/python_float_repr.h"
#include "internal/run_order.h"
#include "internal/scalar_event.h"
#include "proto_enums.h"

namespace hp {
namespace {

namespace hpb = proto::hparams;

static_assert(proto::DT_FLOAT == 1 && proto::DT_DOUBLE == 2,
              "internal::tensor_scalar decodes DT_FLOAT as 1 and DT_DOUBLE as 2");

// The single number a scalar summary value holds; nullopt when it holds none.
std::optional<double> scalar_of(const proto::Summary::Value& value) {
  if (value.value_case() == proto::Summary::Value::kSimpleValue) {
    return static_cast<double>(value.simple_value());
  }
  if (value.value_case() != proto::Summary::Value::kTensor) return std::nullopt;
  const proto::TensorProto& tensor = value.tensor();
  internal::TensorScalarParts parts;
  parts.dtype = tensor.dtype();
  parts.content = tensor.tensor_content();
  parts.float_count = tensor.float_val_size();
  if (parts.float_count > 0) parts.first_float = tensor.float_val(0);
  parts.double_count = tensor.double_val_size();
  if (parts.double_count > 0) parts.first_double = tensor.double_val(0);
  return internal::tensor_scalar(parts);
}

// A step as the int32 TensorBoard stores, saturated instead of wrapped.
int32_t clamped_step(int64_t step) {
  return static_cast<int32_t>(
      std::clamp<int64_t>(step, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
}

using HParamMap = std::map<std::string, Value, std::less<>>;

// A session's hparams as its group shows them: NaN and infinities have no
// JSON form, and the plugin treats them as unset.
HParamMap shown_hparams(const SessionStartInfo& start) {
  HParamMap shown;
  for (const auto& [name, value] : start.hparams) {
    if (value.is_number() && !std::isfinite(value.as_double())) continue;
    shown.emplace(name, value);
  }
  return shown;
}

void Report(std::vector<Diagnostic>* diagnostics, DiagnosticKind kind, const std::string& run,
            std::string message) {
  if (diagnostics == nullptr) return;
  diagnostics->push_back(Diagnostic{kind, run, "", 0, std::move(message)});
}

// --- Decoding the plugin's protos into the plain model.

const char* kind_name(google::protobuf::Value::KindCase kind) {
  switch (kind) {
    case google::protobuf::Value::kNullValue:
      return "null";
    case google::protobuf::Value::kListValue:
      return "list";
    case google::protobuf::Value::kStructValue:
      return "struct";
    default:
      return "empty";
  }
}

// The hp::Value of a protobuf Value; nullopt (reported as `what` in run
// `run`) for a null, list, struct or unset one, which hp::Value cannot hold.
std::optional<Value> decode_value(const google::protobuf::Value& v, const std::string& run,
                                  const std::string& what, std::vector<Diagnostic>* diagnostics) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kNumberValue:
      return Value(v.number_value());
    case google::protobuf::Value::kStringValue:
      return Value(v.string_value());
    case google::protobuf::Value::kBoolValue:
      return Value(v.bool_value());
    default:
      Report(diagnostics, DiagnosticKind::kUnsupportedHParamValue, run,
             absl::StrFormat(
                 "run '%s': %s is a %s value, which hp::Value cannot hold (only numbers, strings and "
                 "bools); it is left out of the view. Log hparams as numbers, strings or bools.",
                 run, what, kind_name(v.kind_case())));
      return std::nullopt;
  }
}

Experiment decode_experiment(const hpb::Experiment& in, const std::string& run,
                             std::vector<Diagnostic>* diagnostics) {
  Experiment out;
  out.name = in.name();
  out.description = in.description();
  out.user = in.user();
  out.time_created_secs = in.time_created_secs();
  for (const hpb::HParamInfo& info : in.hparam_infos()) {
    HParamInfo& h = out.hparam_infos.emplace_back();
    h.name = info.name();
    h.display_name = info.display_name();
    h.description = info.description();
    h.type = internal::from_proto(info.type());
    h.differs = info.differs();
    if (info.has_domain_discrete()) {
      std::vector<Value>& values = h.domain_discrete.emplace();
      for (const google::protobuf::Value& v : info.domain_discrete().values()) {
        std::optional<Value> value = decode_value(
            v, run, absl::StrFormat("a domain value of hparam '%s' in the experiment config", info.name()),
            diagnostics);
        if (value) values.push_back(*std::move(value));
      }
    } else if (info.has_domain_interval()) {
      h.domain_interval = Interval{info.domain_interval().min_value(), info.domain_interval().max_value()};
    }
  }
  for (const hpb::MetricInfo& info : in.metric_infos()) {
    MetricInfo& m = out.metric_infos.emplace_back();
    m.name = MetricName{info.name().group(), info.name().tag()};
    m.display_name = info.display_name();
    m.description = info.description();
    m.dataset_type = internal::from_proto(info.dataset_type());
  }
  return out;
}

SessionStartInfo decode_session_start(const hpb::SessionStartInfo& in, const std::string& run,
                                      std::vector<Diagnostic>* diagnostics) {
  SessionStartInfo out;
  out.model_uri = in.model_uri();
  out.monitor_url = in.monitor_url();
  out.group_name = in.group_name();
  out.start_time_secs = in.start_time_secs();
  // Map order is unspecified; sorted names keep diagnostics deterministic.
  std::vector<const std::string*> names;
  for (const auto& [name, unused] : in.hparams()) names.push_back(&name);
  std::sort(names.begin(), names.end(), [](const auto* a, const auto* b) { return *a < *b; });
  for (const std::string* name : names) {
    std::optional<Value> value = decode_value(
        in.hparams().at(*name), run, absl::StrFormat("hparam '%s' of the session start", *name), diagnostics);
    if (value) out.hparams.emplace(*name, *std::move(value));
  }
  return out;
}

// Handles one hparams plugin summary value: the first of each tag wins.
void accumulate_hparams(const std::string& tag, const std::string& content, RunData* run,
                        std::vector<Diagnostic>* diagnostics) {
  int* count = nullptr;
  if (tag == kExperimentTag) {
    count = &run->experiment_count;
  } else if (tag == kSessionStartInfoTag) {
    count = &run->session_start_count;
  } else if (tag == kSessionEndInfoTag) {
    count = &run->session_end_count;
  } else {
    return;  // The plugin ignores other tags.
  }
  ++*count;
  if (*count > 1) {
    if (tag == kSessionStartInfoTag && *count == 2) {
      Report(diagnostics, DiagnosticKind::kDuplicateSessionStart, run->name,
             absl::StrFormat("run '%s' holds more than one session start; TensorBoard uses the first. "
                             "Write each trial to its own run directory.",
                             run->name));
    } else if (tag == kExperimentTag && *count == 2) {
      Report(diagnostics, DiagnosticKind::kMultipleConfigs, run->name,
             absl::StrFormat("run '%s' holds more than one experiment config; TensorBoard uses the first "
                             "written, so a config written again (e.g. corrected) never shows. Remove the "
                             "old event file, or write the experiment to a fresh logdir.",
                             run->name));
    } else if (tag == kSessionEndInfoTag && *count == 2) {
      Report(diagnostics, DiagnosticKind::kDuplicateSessionEnd, run->name,
             absl::StrFormat("run '%s' holds more than one session end; TensorBoard uses the first, "
                             "so a later status never shows. Write the session end once, at the end.",
                             run->name));
    }
    return;
  }
  hpb::HParamsPluginData data;
  if (!data.ParseFromString(content)) {
    Report(diagnostics, DiagnosticKind::kBadPluginData, run->name,
           absl::StrFormat("run '%s': the %s summary does not decode as HParamsPluginData; "
                           "TensorBoard rejects the experiment. Rewrite it with a current writer.",
                           run->name, tag));
    return;
  }
  if (data.version() != 0) {
    Report(diagnostics, DiagnosticKind::kBadPluginVersion, run->name,
           absl::StrFormat("run '%s': the %s summary has plugin data version %d, but TensorBoard "
                           "only accepts version 0 and rejects the whole experiment; it is ignored here.",
                           run->name, tag, data.version()));
    return;
  }
  bool matches = (tag == kExperimentTag && data.has_experiment()) ||
                 (tag == kSessionStartInfoTag && data.has_session_start_info()) ||
                 (tag == kSessionEndInfoTag && data.has_session_end_info());
  if (!matches) {
    Report(diagnostics, DiagnosticKind::kBadPluginData, run->name,
           absl::StrFormat("run '%s': the %s summary holds the wrong kind of plugin data; it is ignored.",
                           run->name, tag));
    return;
  }
  if (tag == kExperimentTag) {
    run->experiment = decode_experiment(data.experiment(), run->name, diagnostics);
  } else if (tag == kSessionStartInfoTag) {
    run->session_start = decode_session_start(data.session_start_info(), run->name, diagnostics);
  } else {
    run->session_end = SessionEndInfo{internal::from_proto(data.session_end_info().status()),
                                      data.session_end_info().end_time_secs()};
  }
}

}  // namespace

namespace internal {

// Adds a decoded Event to `run`.
static void accumulate_decoded_event(const proto::Event& event, RunData* run,
                                     std::vector<Diagnostic>* diagnostics) {
  if (event.what_case() != proto::Event::kSummary) return;
  for (const proto::Summary::Value& value : event.summary().value()) {
    const std::string& tag = value.tag();
    auto plugin = run->tag_plugins.find(tag);
    if (plugin == run->tag_plugins.end()) {
      // TensorBoard keeps the first metadata of a tag; a legacy simple_value
      // is migrated to a scalar with scalars metadata.
      std::string name;
      if (value.has_metadata()) {
        name = value.metadata().plugin_data().plugin_name();
      } else if (value.value_case() == proto::Summary::Value::kSimpleValue) {
        name = std::string(kScalarsPluginName);
      } else {
        continue;  // No metadata yet: TensorBoard cannot tell what this is.
      }
      plugin = run->tag_plugins.emplace(tag, std::move(name)).first;
    }
    if (plugin->second == kScalarsPluginName) {
      std::optional<double> scalar = scalar_of(value);
      if (!scalar) continue;
      ScalarValue& last = run->scalars[tag];
      last.value = *scalar;
      last.step = event.step();
      last.wall_time = event.wall_time();
    } else if (plugin->second == kHParamsPluginName && value.has_metadata() &&
               value.metadata().plugin_data().plugin_name() == kHParamsPluginName) {
      accumulate_hparams(tag, value.metadata().plugin_data().content(), run, diagnostics);
    }
  }
}

bool accumulate_scalar_event(std::string_view record, RunData* run) {
  internal::DecodedScalarEvent event;
  if (!internal::decode_scalar_event(record, &event)) return false;
  for (int i = 0; i < event.count; ++i) {
    const internal::DecodedScalarValue& v = event.values[i];
    auto plugin = run->tag_plugins.find(v.tag);
    if (plugin == run->tag_plugins.end()) {
      if (!v.simple) continue;  // no metadata yet: not a scalar
      plugin = run->tag_plugins.emplace(std::string(v.tag), std::string(kScalarsPluginName)).first;
    }
    if (plugin->second != kScalarsPluginName) continue;
    std::optional<double> scalar;
    if (v.simple) {
      scalar = static_cast<double>(v.simple_value);
    } else if (v.tensor) {
      scalar = internal::tensor_scalar(v.parts);
    }
    if (!scalar) continue;
    auto it = run->scalars.find(v.tag);
    if (it == run->scalars.end()) it = run->scalars.emplace(std::string(v.tag), ScalarValue{}).first;
    it->second.value = *scalar;
    it->second.step = event.step;
    it->second.wall_time = event.wall_time;
  }
  return true;
}

bool accumulate_event_with_protobuf(std::string_view event, RunData* run,
                                    std::vector<Diagnostic>* diagnostics) {
  // Decoded into an arena whose first block is on the stack: most events
  // then cost no heap allocation, which dominated reading before.
  alignas(16) char initial_block[8 << 10];
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = initial_block;
  arena_options.initial_block_size = sizeof initial_block;
  google::protobuf::Arena arena(arena_options);
  auto* decoded = google::protobuf::Arena::CreateMessage<proto::Event>(&arena);
  if (!decoded->ParseFromArray(event.data(), static_cast<int>(event.size()))) return false;
  accumulate_decoded_event(*decoded, run, diagnostics);
  return true;
}

}  // namespace internal

namespace {

// --- The plugin's computation.

// The plugin's HParamInfo for one hparam from all the values sessions gave it.
std::optional<HParamInfo> infer_hparam_info(const std::string& name,
                                            const std::vector<const Value*>& values) {
  HParamInfo info;
  info.name = name;
  DataType type = DATA_TYPE_UNSET;
  for (const Value* v : values) {
    DataType t = data_type_of(*v);
    if (type == DATA_TYPE_UNSET) {
      type = t;
    } else if (type != t) {
      type = DATA_TYPE_STRING;
      break;
    }
  }
  if (type == DATA_TYPE_UNSET) return std::nullopt;
  info.type = type;
  std::vector<Value>& domain = info.domain_discrete.emplace();
  if (type == DATA_TYPE_STRING) {
    // Mixed types are shown as their JSON text; NaN and infinities have none.
    std::set<std::string> distinct;
    for (const Value* v : values) {
      if (v->is_string()) {
        distinct.insert(v->as_string());
      } else if (v->is_bool()) {
        distinct.insert(v->as_bool() ? "true" : "false");
      } else if (std::isfinite(v->as_double())) {
        distinct.insert(internal::python_float_repr(v->as_double()));
      }
    }
    for (const auto& s : distinct) domain.emplace_back(s);
    info.differs = distinct.size() > 1;
  } else if (type == DATA_TYPE_BOOL) {
    std::set<bool> distinct;
    for (const Value* v : values) {
      if (v->is_bool()) distinct.insert(v->as_bool());
    }
    for (bool b : distinct) domain.emplace_back(b);
    info.differs = distinct.size() > 1;
  } else {
    info.domain_discrete.reset();
    std::set<double> distinct;
    for (const Value* v : values) {
      if (v->is_number() && !std::isnan(v->as_double())) distinct.insert(v->as_double());
    }
    if (!distinct.empty()) info.domain_interval = Interval{*distinct.begin(), *distinct.rbegin()};
    info.differs = distinct.size() > 1;
  }
  return info;
}

// Python's os.path.relpath(run, session) for a session that is a parent of
// run (or run itself), with "." mapped to "".
std::string relative_group(std::string_view run, std::string_view session) {
  if (run.size() == session.size()) return "";
  return std::string(run.substr(session.size() + 1));
}

std::vector<MetricInfo> infer_metric_infos(const std::vector<RunData>& runs) {
  std::set<std::string_view> session_runs;
  for (const RunData& run : runs) {
    if (run.session_start) session_runs.insert(run.name);
  }
  std::set<std::pair<std::string, std::string>> names;  // (tag, group), sorted as the plugin does
  for (const RunData& run : runs) {
    if (run.scalars.empty()) continue;
    std::string_view session = run.name;
    while (!session_runs.count(session)) {
      if (session.empty()) break;
      session = parent_run(session);
    }
    if (!session_runs.count(session)) continue;
    std::string group = relative_group(run.name, session);
    for (const auto& [tag, unused] : run.scalars) names.emplace(tag, group);
  }
  std::vector<MetricInfo> infos;
  for (const auto& [tag, group] : names) {
    MetricInfo& info = infos.emplace_back();
    info.name = MetricName{group, tag};
  }
  return infos;
}

void sort_hparam_infos(Experiment* experiment) {
  std::stable_sort(experiment->hparam_infos.begin(), experiment->hparam_infos.end(),
                   [](const HParamInfo& a, const HParamInfo& b) {
                     if (a.differs != b.differs) return a.differs;
                     return a.name < b.name;
                   });
}

}  // namespace

std::string_view diagnostic_kind_name(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::kCorruptRecord:
      return "corrupt_record";
    case DiagnosticKind::kTruncatedFile:
      return "truncated_file";
    case DiagnosticKind::kUnreadableFile:
      return "unreadable_file";
    case DiagnosticKind::kMultipleConfigs:
      return "multiple_configs";
    case DiagnosticKind::kDuplicateSessionStart:
      return "duplicate_session_start";
    case DiagnosticKind::kDuplicateSessionEnd:
      return "duplicate_session_end";
    case DiagnosticKind::kBadPluginVersion:
      return "bad_plugin_version";
    case DiagnosticKind::kBadPluginData:
      return "bad_plugin_data";
    case DiagnosticKind::kStepBeyondInt32:
      return "step_beyond_int32";
    case DiagnosticKind::kStatusOutOfEnum:
      return "status_out_of_enum";
    case DiagnosticKind::kGroupHParamsDiffer:
      return "group_hparams_differ";
    case DiagnosticKind::kUnsupportedHParamValue:
      return "unsupported_hparam_value";
  }
  return "unknown";
}

std::string_view parent_run(std::string_view run) {
  size_t slash = run.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : run.substr(0, slash);
}

DataType data_type_of(const Value& value) {
  if (value.is_number()) return DATA_TYPE_FLOAT64;
  if (value.is_string()) return DATA_TYPE_STRING;
  return DATA_TYPE_BOOL;
}

std::string metric_run(std::string_view session_run, std::string_view group) {
  // os.path.join(session, group) minus a trailing '/': an absolute group
  // replaces the session path.
  std::string run;
  if (!group.empty() && group.front() == '/') {
    run = std::string(group);
  } else if (group.empty()) {
    run = std::string(session_run);
  } else if (!session_run.empty() && session_run.back() == '/') {
    run = std::string(session_run) + std::string(group);
  } else {
    run = std::string(session_run) + "/" + std::string(group);
  }
  if (!run.empty() && run.back() == '/') run.pop_back();
  return run;
}

bool accumulate_event(std::string_view event, RunData* run, std::vector<Diagnostic>* diagnostics) {
  return internal::accumulate_scalar_event(event, run) ||
         internal::accumulate_event_with_protobuf(event, run, diagnostics);
}

const RunData* ExperimentView::find_run(std::string_view name) const {
  auto it = std::lower_bound(runs.begin(), runs.end(), name, [](const RunData& run, std::string_view n) {
    return internal::run_name_less(run.name, n);
  });
  if (it == runs.end() || it->name != name) return nullptr;
  return &*it;
}

ExperimentView build_experiment_view(std::vector<RunData> runs, std::vector<Diagnostic> diagnostics) {
  ExperimentView view;
  view.diagnostics = std::move(diagnostics);
  std::sort(runs.begin(), runs.end(),
            [](const RunData& a, const RunData& b) { return internal::run_name_less(a.name, b.name); });
  view.runs = std::move(runs);
  const std::vector<RunData>& all = view.runs;

  // --- The experiment.
  std::vector<std::string> config_runs;
  for (const RunData& run : all) {
    if (run.experiment) config_runs.push_back(run.name);
  }
  if (!config_runs.empty()) {
    view.source = ExperimentSource::kConfig;
    view.config_run = config_runs.front();
    view.experiment = *view.find_run(view.config_run)->experiment;
    if (config_runs.size() > 1) {
      view.diagnostics.push_back(Diagnostic{
          DiagnosticKind::kMultipleConfigs, config_runs.front(), "", 0,
          absl::StrFormat("experiment configs found in %d runs (%s); TensorBoard silently uses one of "
                          "them (here: '%s'). Write the config once, in the logdir root.",
                          config_runs.size(), absl::StrJoin(config_runs, ", "), config_runs.front())});
    }
  } else {
    std::vector<std::string> names;  // in first-seen order
    std::unordered_map<std::string, std::vector<const Value*>> values;
    for (const RunData& run : all) {
      if (!run.session_start) continue;
      for (const auto& [name, value] : run.session_start->hparams) {  // sorted by name
        auto& list = values[name];
        if (list.empty()) names.push_back(name);
        list.push_back(&value);
      }
    }
    for (const std::string& name : names) {
      if (auto info = infer_hparam_info(name, values[name]))
        view.experiment.hparam_infos.push_back(*std::move(info));
    }
    if (!view.experiment.hparam_infos.empty()) {
      view.source = ExperimentSource::kInferred;
      view.experiment.metric_infos = infer_metric_infos(all);
    }
  }
  sort_hparam_infos(&view.experiment);

  // --- Sessions and groups.
  struct MetricSum {
    double total = 0;
    int64_t total_step = 0;
    double total_wall_time = 0;
    int count = 0;
  };
  std::unordered_map<std::string_view, const RunData*> by_name;
  by_name.reserve(all.size());
  for (const RunData& run : all) by_name.emplace(run.name, &run);
  std::map<std::string, SessionGroup> groups;
  std::set<std::string> differing;  // groups already reported as kGroupHParamsDiffer
  for (const RunData& run : all) {
    if (!run.session_start) continue;
    const SessionStartInfo& start = *run.session_start;
    Session session;
    session.name = run.name;
    session.start_time_secs = start.start_time_secs;
    session.model_uri = start.model_uri;
    session.monitor_url = start.monitor_url;
    if (run.session_end &&
        (run.session_end->status < STATUS_UNKNOWN || run.session_end->status > STATUS_RUNNING)) {
      view.diagnostics.push_back(Diagnostic{
          DiagnosticKind::kStatusOutOfEnum, run.name, "", 0,
          absl::StrFormat("run '%s': the session end status %d is not a Status value (0-3), so TensorBoard "
                          "hides this session; write one of STATUS_UNKNOWN, STATUS_SUCCESS, STATUS_FAILURE "
                          "or STATUS_RUNNING",
                          run.name, static_cast<int>(run.session_end->status))});
      continue;
    }
    if (run.session_end) {
      session.status = run.session_end->status;
      session.end_time_secs = run.session_end->end_time_secs;
    }
    for (const MetricInfo& metric : view.experiment.metric_infos) {
      const RunData* metric_data = &run;
      if (!metric.name.group.empty()) {
        auto found = by_name.find(metric_run(run.name, metric.name.group));
        if (found == by_name.end()) continue;
        metric_data = found->second;
      }
      auto it = metric_data->scalars.find(metric.name.tag);
      if (it == metric_data->scalars.end()) continue;
      MetricValue& value = session.metric_values.emplace_back();
      value.name = metric.name;
      value.value = it->second.value;
      value.training_step = clamped_step(it->second.step);
      value.wall_time_secs = it->second.wall_time;
      if (value.training_step != it->second.step) {
        view.diagnostics.push_back(Diagnostic{
            DiagnosticKind::kStepBeyondInt32, metric_data->name, "", 0,
            absl::StrFormat(
                "run '%s': metric '%s' has step %d, beyond int32; TensorBoard cannot show this "
                "experiment: its session_groups request fails (HTTP 500) and the HParams dashboard "
                "stays empty. Log steps between -2147483648 and 2147483647",
                metric_data->name, metric.name.tag, it->second.step)});
      }
    }
    const std::string& group_name = start.group_name.empty() ? run.name : start.group_name;
    auto [it, inserted] = groups.try_emplace(group_name);
    SessionGroup& group = it->second;
    if (inserted) {
      group.name = group_name;
      group.monitor_url = start.monitor_url;
      group.hparams = shown_hparams(start);
    } else if (group.hparams != shown_hparams(start) && differing.insert(group_name).second) {
      // Value's == tells 0.0 from -0.0, which are distinct group names.
      view.diagnostics.push_back(Diagnostic{
          DiagnosticKind::kGroupHParamsDiffer, run.name, "", 0,
          absl::StrFormat("session group '%s': run '%s' has other hparams than '%s'; TensorBoard shows the "
                          "hparams of whichever session its directory walk meets first (file-system order), "
                          "here those of '%s'. Give each distinct set of hparams its own trial_id",
                          group_name, run.name, group.sessions[0].name, group.sessions[0].name)});
    }
    group.sessions.push_back(std::move(session));
  }
  for (auto& [name, group] : groups) {
    std::stable_sort(group.sessions.begin(), group.sessions.end(),
                     [](const Session& a, const Session& b) { return a.name < b.name; });
    // Average each metric over the sessions that have it, in first-seen
    // order; indexed by (group, tag), as a group may have 40k metrics.
    std::vector<std::pair<MetricName, MetricSum>> sums;
    std::map<std::pair<std::string_view, std::string_view>, size_t> sum_index;
    for (const Session& session : group.sessions) {
      for (const MetricValue& value : session.metric_values) {
        auto [slot, added] = sum_index.try_emplace({value.name.group, value.name.tag}, sums.size());
        if (added) sums.emplace_back(value.name, MetricSum{});
        auto sum = sums.begin() + static_cast<std::ptrdiff_t>(slot->second);
        sum->second.total += value.value;
        sum->second.total_step += value.training_step;
        sum->second.total_wall_time += value.wall_time_secs;
        ++sum->second.count;
      }
    }
    for (const auto& [metric, sum] : sums) {
      MetricValue& value = group.metric_values.emplace_back();
      value.name = metric;
      value.value = sum.total / sum.count;
      // Python's floor division.
      int64_t step = sum.total_step / sum.count;
      if (sum.total_step % sum.count != 0 && sum.total_step < 0) --step;
      value.training_step = static_cast<int32_t>(step);
      value.wall_time_secs = sum.total_wall_time / sum.count;
    }
    view.session_groups.push_back(std::move(group));
  }
  return view;
}

}  // namespace hp
