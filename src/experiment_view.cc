// The HParams plugin's computation (experiment, sessions, session groups)
// over already-decoded runs. See hparams/experiment_view.h.
#include "hparams/experiment_view.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "hparams/summary.h"
#include "internal/python_float_repr.h"
#include "internal/record_format.h"
#include "internal/run_order.h"

namespace hp {
namespace {

namespace hpb = proto::hparams;

// What a scalar tensor holds, as TensorBoard's
// tensor_util.make_ndarray(...).item() reads it: 4 (DT_FLOAT) or 8
// (DT_DOUBLE) little-endian bytes of tensor_content, or else exactly one
// float_val / double_val (only the first of each is passed in, with the
// count). nullopt when it holds no single number. Shared by the protobuf
// path (ScalarOf) and the fast wire path (AccumulateScalarRecord), which
// must agree.
struct TensorScalarParts {
  int dtype = 0;
  std::string_view content;
  int float_count = 0;
  float first_float = 0;
  int double_count = 0;
  double first_double = 0;
};

std::optional<double> TensorScalar(const TensorScalarParts& t) {
  switch (t.dtype) {
    case proto::DT_FLOAT:
      if (t.content.size() == sizeof(float)) {
        uint32_t bits = internal::decode_fixed32(t.content.data());
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return static_cast<double>(f);
      }
      if (t.content.empty() && t.float_count == 1) return static_cast<double>(t.first_float);
      return std::nullopt;
    case proto::DT_DOUBLE:
      if (t.content.size() == sizeof(double)) {
        uint64_t bits = internal::decode_fixed64(t.content.data());
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
      if (t.content.empty() && t.double_count == 1) return t.first_double;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// The single number a scalar summary value holds; nullopt when it holds none.
std::optional<double> ScalarOf(const proto::Summary::Value& value) {
  if (value.value_case() == proto::Summary::Value::kSimpleValue) {
    return static_cast<double>(value.simple_value());
  }
  if (value.value_case() != proto::Summary::Value::kTensor) return std::nullopt;
  const proto::TensorProto& tensor = value.tensor();
  TensorScalarParts parts;
  parts.dtype = tensor.dtype();
  parts.content = tensor.tensor_content();
  parts.float_count = tensor.float_val_size();
  if (parts.float_count > 0) parts.first_float = tensor.float_val(0);
  parts.double_count = tensor.double_val_size();
  if (parts.double_count > 0) parts.first_double = tensor.double_val(0);
  return TensorScalar(parts);
}

// A step as the int32 TensorBoard stores, saturated instead of wrapped.
int32_t ClampedStep(int64_t step) {
  return static_cast<int32_t>(std::clamp<int64_t>(step, std::numeric_limits<int32_t>::min(),
                                                  std::numeric_limits<int32_t>::max()));
}

// A session's hparams as its group shows them: NaN and infinities have no
// JSON form, and the plugin treats them as unset.
google::protobuf::Map<std::string, google::protobuf::Value> ShownHParams(const hpb::SessionStartInfo& start) {
  google::protobuf::Map<std::string, google::protobuf::Value> shown;
  for (const auto& [name, value] : start.hparams()) {
    if (value.kind_case() == google::protobuf::Value::kNumberValue && !std::isfinite(value.number_value())) {
      continue;
    }
    shown[name] = value;
  }
  return shown;
}

bool SameHParams(const google::protobuf::Map<std::string, google::protobuf::Value>& a,
                 const google::protobuf::Map<std::string, google::protobuf::Value>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, value] : a) {
    auto it = b.find(name);
    if (it == b.end() || it->second.kind_case() != value.kind_case()) return false;
    switch (value.kind_case()) {
      case google::protobuf::Value::kNumberValue:
        // Bitwise, so that 0.0 and -0.0 (distinct group names) differ.
        if (std::signbit(value.number_value()) != std::signbit(it->second.number_value()) ||
            value.number_value() != it->second.number_value()) {
          return false;
        }
        break;
      case google::protobuf::Value::kStringValue:
        if (value.string_value() != it->second.string_value()) return false;
        break;
      case google::protobuf::Value::kBoolValue:
        if (value.bool_value() != it->second.bool_value()) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

void Report(std::vector<Diagnostic>* diagnostics, DiagnosticKind kind, const std::string& run,
            std::string message) {
  if (diagnostics == nullptr) return;
  diagnostics->push_back(Diagnostic{kind, run, "", 0, std::move(message)});
}

// Handles one hparams plugin summary value: the first of each tag wins.
void AccumulateHParams(const std::string& tag, const std::string& content, RunData* run,
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
    run->experiment = std::move(*data.mutable_experiment());
  } else if (tag == kSessionStartInfoTag) {
    run->session_start = std::move(*data.mutable_session_start_info());
  } else {
    run->session_end = std::move(*data.mutable_session_end_info());
  }
}

// The plugin's HParamInfo for one hparam from all the values sessions gave it.
std::optional<hpb::HParamInfo> InferHParamInfo(const std::string& name,
                                               const std::vector<const google::protobuf::Value*>& values) {
  hpb::HParamInfo info;
  info.set_name(name);
  hpb::DataType type = hpb::DATA_TYPE_UNSET;
  for (const auto* v : values) {
    hpb::DataType t = DataTypeOf(*v);
    if (t == hpb::DATA_TYPE_UNSET) continue;
    if (type == hpb::DATA_TYPE_UNSET) {
      type = t;
    } else if (type != t) {
      type = hpb::DATA_TYPE_STRING;
      break;
    }
  }
  if (type == hpb::DATA_TYPE_UNSET) return std::nullopt;
  info.set_type(type);
  if (type == hpb::DATA_TYPE_STRING) {
    // Mixed types are shown as their JSON text; NaN and infinities have none.
    std::set<std::string> distinct;
    for (const auto* v : values) {
      switch (v->kind_case()) {
        case google::protobuf::Value::kStringValue:
          distinct.insert(v->string_value());
          break;
        case google::protobuf::Value::kBoolValue:
          distinct.insert(v->bool_value() ? "true" : "false");
          break;
        case google::protobuf::Value::kNumberValue:
          if (std::isfinite(v->number_value())) distinct.insert(internal::python_float_repr(v->number_value()));
          break;
        default:
          break;
      }
    }
    for (const auto& s : distinct) info.mutable_domain_discrete()->add_values()->set_string_value(s);
    info.set_differs(distinct.size() > 1);
  } else if (type == hpb::DATA_TYPE_BOOL) {
    std::set<bool> distinct;
    for (const auto* v : values) {
      if (v->kind_case() == google::protobuf::Value::kBoolValue) distinct.insert(v->bool_value());
    }
    for (bool b : distinct) info.mutable_domain_discrete()->add_values()->set_bool_value(b);
    info.set_differs(distinct.size() > 1);
  } else {
    std::set<double> distinct;
    for (const auto* v : values) {
      if (v->kind_case() == google::protobuf::Value::kNumberValue && !std::isnan(v->number_value())) {
        distinct.insert(v->number_value());
      }
    }
    if (!distinct.empty()) {
      info.mutable_domain_interval()->set_min_value(*distinct.begin());
      info.mutable_domain_interval()->set_max_value(*distinct.rbegin());
    }
    info.set_differs(distinct.size() > 1);
  }
  return info;
}

// Python's os.path.relpath(run, session) for a session that is a parent of
// run (or run itself), with "." mapped to "".
std::string RelativeGroup(std::string_view run, std::string_view session) {
  if (run.size() == session.size()) return "";
  return std::string(run.substr(session.size() + 1));
}

std::vector<hpb::MetricInfo> InferMetricInfos(const std::vector<RunData>& runs) {
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
      session = ParentRun(session);
    }
    if (!session_runs.count(session)) continue;
    std::string group = RelativeGroup(run.name, session);
    for (const auto& [tag, unused] : run.scalars) names.emplace(tag, group);
  }
  std::vector<hpb::MetricInfo> infos;
  for (const auto& [tag, group] : names) {
    hpb::MetricInfo info;
    info.mutable_name()->set_tag(tag);
    info.mutable_name()->set_group(group);
    infos.push_back(std::move(info));
  }
  return infos;
}

void SortHParamInfos(hpb::Experiment* experiment) {
  auto* infos = experiment->mutable_hparam_infos();
  std::vector<hpb::HParamInfo> sorted(infos->begin(), infos->end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const hpb::HParamInfo& a, const hpb::HParamInfo& b) {
    if (a.differs() != b.differs()) return a.differs();
    return a.name() < b.name();
  });
  infos->Clear();
  for (auto& info : sorted) *infos->Add() = std::move(info);
}

}  // namespace

std::string_view DiagnosticKindName(DiagnosticKind kind) {
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
  }
  return "unknown";
}

std::string_view ParentRun(std::string_view run) {
  size_t slash = run.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : run.substr(0, slash);
}

proto::hparams::DataType DataTypeOf(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kNumberValue:
      return hpb::DATA_TYPE_FLOAT64;
    case google::protobuf::Value::kStringValue:
      return hpb::DATA_TYPE_STRING;
    case google::protobuf::Value::kBoolValue:
      return hpb::DATA_TYPE_BOOL;
    default:
      return hpb::DATA_TYPE_UNSET;
  }
}

std::string MetricRun(std::string_view session_run, std::string_view group) {
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

void AccumulateEvent(const proto::Event& event, RunData* run, std::vector<Diagnostic>* diagnostics) {
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
      std::optional<double> scalar = ScalarOf(value);
      if (!scalar) continue;
      ScalarValue& last = run->scalars[tag];
      last.value = *scalar;
      last.step = event.step();
      last.wall_time = event.wall_time();
    } else if (plugin->second == kHParamsPluginName && value.has_metadata() &&
               value.metadata().plugin_data().plugin_name() == kHParamsPluginName) {
      AccumulateHParams(tag, value.metadata().plugin_data().content(), run, diagnostics);
    }
  }
}

namespace {

// A minimal reader of the protobuf wire format for AccumulateScalarRecord.
// Every method returns false on anything unexpected, so the caller falls
// back to the full decoder, which also reports malformed data.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool done() const { return p_ == end_; }

  bool varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      uint8_t byte = static_cast<uint8_t>(*p_++);
      v |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool fixed32(uint32_t* out) {
    if (end_ - p_ < 4) return false;
    *out = internal::decode_fixed32(p_);
    p_ += 4;
    return true;
  }
  bool fixed64(uint64_t* out) {
    if (end_ - p_ < 8) return false;
    *out = internal::decode_fixed64(p_);
    p_ += 8;
    return true;
  }
  bool bytes(std::string_view* out) {
    uint64_t n;
    if (!varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

struct FastScalar {
  std::string_view tag;
  bool simple = false;  // simple_value set
  float simple_value = 0;
  bool tensor = false;  // tensor set
  TensorScalarParts parts;
};

// One occurrence of a repeated float (Bits = uint32_t) or double (uint64_t)
// field, packed (wire type 2) or a single element: adds its elements to
// *count and keeps the first element of the field in *first, as the
// decoder's float_val / double_val would.
template <typename Bits, typename Number>
bool ReadRepeatedFixed(WireReader& r, uint64_t wire, int* count, Number* first) {
  static_assert(sizeof(Bits) == sizeof(Number), "bit pattern and number differ in size");
  Bits bits = 0;
  size_t n = 1;
  if (wire == 2) {
    std::string_view packed;
    if (!r.bytes(&packed) || packed.size() % sizeof(Bits) != 0) return false;
    n = packed.size() / sizeof(Bits);
    if (n > 0) {
      if constexpr (sizeof(Bits) == 4) {
        bits = internal::decode_fixed32(packed.data());
      } else {
        bits = internal::decode_fixed64(packed.data());
      }
    }
  } else {
    bool read;
    if constexpr (sizeof(Bits) == 4) {
      read = r.fixed32(&bits);
    } else {
      read = r.fixed64(&bits);
    }
    if (!read) return false;
  }
  if (n > 0 && *count == 0) std::memcpy(first, &bits, sizeof bits);
  *count += static_cast<int>(n);
  return true;
}

bool ParseFastTensor(std::string_view data, FastScalar* out) {
  WireReader r(data);
  while (!r.done()) {
    uint64_t key;
    if (!r.varint(&key)) return false;
    uint64_t field = key >> 3;
    uint64_t wire = key & 7;
    std::string_view bytes;
    if (field == 1 && wire == 0) {
      uint64_t dtype;
      if (!r.varint(&dtype)) return false;
      // Truncated to 32 bits, as protobuf's parser stores an enum.
      out->parts.dtype = static_cast<int32_t>(static_cast<uint32_t>(dtype));
    } else if (field == 2 && wire == 2) {
      // Scalars have an empty shape; anything else goes to the full decoder,
      // which also validates it.
      if (!r.bytes(&bytes) || !bytes.empty()) return false;
    } else if (field == 4 && wire == 2) {
      if (!r.bytes(&out->parts.content)) return false;
    } else if (field == 5 && (wire == 2 || wire == 5)) {
      if (!ReadRepeatedFixed<uint32_t>(r, wire, &out->parts.float_count, &out->parts.first_float)) return false;
    } else if (field == 6 && (wire == 2 || wire == 1)) {
      if (!ReadRepeatedFixed<uint64_t>(r, wire, &out->parts.double_count, &out->parts.first_double)) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool ParseFastValue(std::string_view data, FastScalar* out) {
  WireReader r(data);
  while (!r.done()) {
    uint64_t key;
    if (!r.varint(&key)) return false;
    uint64_t field = key >> 3;
    uint64_t wire = key & 7;
    if (field == 1 && wire == 2) {
      if (!r.bytes(&out->tag)) return false;
      // proto3 strings must be UTF-8; leave anything but ASCII to protobuf.
      for (char c : out->tag) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
      }
    } else if (field == 2 && wire == 5 && !out->tensor) {
      uint32_t bits;
      if (!r.fixed32(&bits)) return false;
      std::memcpy(&out->simple_value, &bits, 4);
      out->simple = true;
    } else if (field == 8 && wire == 2 && !out->simple && !out->tensor) {
      std::string_view tensor;
      if (!r.bytes(&tensor) || !ParseFastTensor(tensor, out)) return false;
      out->tensor = true;
    } else {
      return false;  // metadata, node_name, a second value: the full decoder
    }
  }
  return true;
}

}  // namespace

bool AccumulateScalarRecord(std::string_view record, RunData* run) {
  WireReader r(record);
  uint64_t wall_bits = 0;
  uint64_t step = 0;
  std::string_view summary;
  bool has_summary = false;
  while (!r.done()) {
    uint64_t key;
    if (!r.varint(&key)) return false;
    if (key == (1 << 3 | 1)) {
      if (!r.fixed64(&wall_bits)) return false;
    } else if (key == (2 << 3 | 0)) {
      if (!r.varint(&step)) return false;
    } else if (key == (5 << 3 | 2) && !has_summary) {
      if (!r.bytes(&summary)) return false;
      has_summary = true;
    } else {
      return false;
    }
  }
  if (!has_summary) return false;
  // First decode every value, then apply them, so a false return changes nothing.
  FastScalar values[4];
  int count = 0;
  WireReader s(summary);
  while (!s.done()) {
    uint64_t key;
    std::string_view value;
    if (!s.varint(&key) || key != (1 << 3 | 2) || !s.bytes(&value) || count == 4) return false;
    if (!ParseFastValue(value, &values[count++])) return false;
  }
  double wall_time;
  std::memcpy(&wall_time, &wall_bits, 8);
  for (int i = 0; i < count; ++i) {
    const FastScalar& v = values[i];
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
      scalar = TensorScalar(v.parts);
    }
    if (!scalar) continue;
    auto it = run->scalars.find(v.tag);
    if (it == run->scalars.end()) it = run->scalars.emplace(std::string(v.tag), ScalarValue{}).first;
    it->second.value = *scalar;
    it->second.step = static_cast<int64_t>(step);
    it->second.wall_time = wall_time;
  }
  return true;
}

const RunData* ExperimentView::find_run(std::string_view name) const {
  auto it = std::lower_bound(runs.begin(), runs.end(), name, [](const RunData& run, std::string_view n) {
    return internal::run_name_less(run.name, n);
  });
  if (it == runs.end() || it->name != name) return nullptr;
  return &*it;
}

ExperimentView BuildExperimentView(std::vector<RunData> runs, std::vector<Diagnostic> diagnostics) {
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
    std::unordered_map<std::string, std::vector<const google::protobuf::Value*>> values;
    for (const RunData& run : all) {
      if (!run.session_start) continue;
      // Map order is unspecified; sort names for a deterministic walk.
      std::vector<const std::string*> keys;
      for (const auto& [name, unused] : run.session_start->hparams()) keys.push_back(&name);
      std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
      for (const std::string* name : keys) {
        auto& list = values[*name];
        if (list.empty()) names.push_back(*name);
        list.push_back(&run.session_start->hparams().at(*name));
      }
    }
    for (const std::string& name : names) {
      if (auto info = InferHParamInfo(name, values[name])) *view.experiment.add_hparam_infos() = std::move(*info);
    }
    if (view.experiment.hparam_infos_size() > 0) {
      view.source = ExperimentSource::kInferred;
      for (auto& info : InferMetricInfos(all)) *view.experiment.add_metric_infos() = std::move(info);
    }
  }
  SortHParamInfos(&view.experiment);

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
  std::map<std::string, hpb::SessionGroup> groups;
  std::set<std::string> differing;  // groups already reported as kGroupHParamsDiffer
  for (const RunData& run : all) {
    if (!run.session_start) continue;
    const hpb::SessionStartInfo& start = *run.session_start;
    hpb::Session session;
    session.set_name(run.name);
    session.set_start_time_secs(start.start_time_secs());
    session.set_model_uri(start.model_uri());
    session.set_monitor_url(start.monitor_url());
    if (run.session_end && !hpb::Status_IsValid(run.session_end->status())) {
      view.diagnostics.push_back(Diagnostic{
          DiagnosticKind::kStatusOutOfEnum, run.name, "", 0,
          absl::StrFormat("run '%s': the session end status %d is not a Status value (0-3), so TensorBoard "
                          "hides this session; write one of STATUS_UNKNOWN, STATUS_SUCCESS, STATUS_FAILURE "
                          "or STATUS_RUNNING",
                          run.name, static_cast<int>(run.session_end->status()))});
      continue;
    }
    if (run.session_end) {
      session.set_status(run.session_end->status());
      session.set_end_time_secs(run.session_end->end_time_secs());
    }
    for (const hpb::MetricInfo& metric : view.experiment.metric_infos()) {
      const RunData* metric_run = &run;
      if (!metric.name().group().empty()) {
        auto found = by_name.find(MetricRun(run.name, metric.name().group()));
        if (found == by_name.end()) continue;
        metric_run = found->second;
      }
      auto it = metric_run->scalars.find(metric.name().tag());
      if (it == metric_run->scalars.end()) continue;
      hpb::MetricValue* value = session.add_metric_values();
      *value->mutable_name() = metric.name();
      value->set_value(it->second.value);
      value->set_training_step(ClampedStep(it->second.step));
      value->set_wall_time_secs(it->second.wall_time);
      if (value->training_step() != it->second.step) {
        view.diagnostics.push_back(Diagnostic{
            DiagnosticKind::kStepBeyondInt32, metric_run->name, "", 0,
            absl::StrFormat("run '%s': metric '%s' has step %d, beyond int32; TensorBoard cannot show this "
                            "experiment: its session_groups request fails (HTTP 500) and the HParams dashboard "
                            "stays empty. Log steps between -2147483648 and 2147483647",
                            metric_run->name, metric.name().tag(), it->second.step)});
      }
    }
    const std::string& group_name = start.group_name().empty() ? run.name : start.group_name();
    auto [it, inserted] = groups.try_emplace(group_name);
    hpb::SessionGroup& group = it->second;
    if (inserted) {
      group.set_name(group_name);
      group.set_monitor_url(start.monitor_url());
      *group.mutable_hparams() = ShownHParams(start);
    } else if (!SameHParams(group.hparams(), ShownHParams(start)) && differing.insert(group_name).second) {
      view.diagnostics.push_back(Diagnostic{
          DiagnosticKind::kGroupHParamsDiffer, run.name, "", 0,
          absl::StrFormat("session group '%s': run '%s' has other hparams than '%s'; TensorBoard shows the "
                          "hparams of whichever session its directory walk meets first (file-system order), "
                          "here those of '%s'. Give each distinct set of hparams its own trial_id",
                          group_name, run.name, group.sessions(0).name(), group.sessions(0).name())});
    }
    *group.add_sessions() = std::move(session);
  }
  for (auto& [name, group] : groups) {
    auto* sessions = group.mutable_sessions();
    std::stable_sort(sessions->begin(), sessions->end(),
                     [](const hpb::Session& a, const hpb::Session& b) { return a.name() < b.name(); });
    // Average each metric over the sessions that have it, in first-seen
    // order; indexed by (group, tag), as a group may have 40k metrics.
    std::vector<std::pair<hpb::MetricName, MetricSum>> sums;
    std::map<std::pair<std::string_view, std::string_view>, size_t> sum_index;
    for (const hpb::Session& session : group.sessions()) {
      for (const hpb::MetricValue& value : session.metric_values()) {
        auto [slot, added] = sum_index.try_emplace({value.name().group(), value.name().tag()}, sums.size());
        if (added) sums.emplace_back(value.name(), MetricSum{});
        auto sum = sums.begin() + static_cast<std::ptrdiff_t>(slot->second);
        sum->second.total += value.value();
        sum->second.total_step += value.training_step();
        sum->second.total_wall_time += value.wall_time_secs();
        ++sum->second.count;
      }
    }
    for (const auto& [metric, sum] : sums) {
      hpb::MetricValue* value = group.add_metric_values();
      *value->mutable_name() = metric;
      value->set_value(sum.total / sum.count);
      // Python's floor division.
      int64_t step = sum.total_step / sum.count;
      if (sum.total_step % sum.count != 0 && sum.total_step < 0) --step;
      value->set_training_step(static_cast<int32_t>(step));
      value->set_wall_time_secs(sum.total_wall_time / sum.count);
    }
    *view.session_groups.add_session_groups() = std::move(group);
  }
  view.session_groups.set_total_size(view.session_groups.session_groups_size());
  return view;
}

}  // namespace hp
