// Builders for the HParams plugin's summaries (config, session start and
// end) and the pure-Python scalar layout.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/summary.h"
#include "internal/group_name.h"
#include "internal/record_format.h"
#include "internal/record_reader_access.h"
#include "internal/serialize_deterministic.h"
#include "internal/status_macros.h"
#include "internal/validate_each_once.h"
#include "proto_enums.h"

namespace hp {
namespace {

using internal::serialize_deterministic;
using proto::hparams::HParamsPluginData;
using proto::hparams::SessionStartInfo;

double now_secs() { return absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()); }

// A Summary with one Value: the tag, the null tensor and the plugin content.
proto::Summary hparams_summary(const char* tag, std::string content) {
  proto::Summary summary;
  proto::Summary::Value* value = summary.add_value();
  value->set_tag(tag);
  proto::TensorProto* tensor = value->mutable_tensor();
  tensor->set_dtype(proto::DT_FLOAT);
  tensor->mutable_tensor_shape()->add_dim();  // shape [0]: no data
  proto::SummaryMetadata::PluginData* plugin = value->mutable_metadata()->mutable_plugin_data();
  plugin->set_plugin_name(kHParamsPluginName);
  plugin->set_content(std::move(content));
  return summary;
}

void set_proto_value(const Value& v, google::protobuf::Value* out) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      out->set_bool_value(v.as_bool());
      break;
    case Value::Kind::kInt:
    case Value::Kind::kFloat: {
      const double d = v.as_double();
      // One NaN bit pattern, Python's, whatever NaN the caller computed.
      out->set_number_value(std::isnan(d) ? std::numeric_limits<double>::quiet_NaN() : d);
      break;
    }
    case Value::Kind::kString:
      out->set_string_value(v.as_string());
      break;
  }
}

void fill_hparam_info(const HParam& h, proto::hparams::HParamInfo* info) {
  info->set_name(h.name());
  info->set_display_name(h.display_name());
  info->set_description(h.description());
  if (!h.domain().has_value()) return;
  const Domain& domain = *h.domain();
  info->set_type(internal::to_proto(domain_data_type(domain)));
  if (const auto* discrete = std::get_if<Discrete>(&domain)) {
    google::protobuf::ListValue* list = info->mutable_domain_discrete();
    for (const Value& v : discrete->values()) set_proto_value(v, list->add_values());
  } else if (const auto* ints = std::get_if<IntInterval>(&domain)) {
    info->mutable_domain_interval()->set_min_value(static_cast<double>(ints->min_value()));
    info->mutable_domain_interval()->set_max_value(static_cast<double>(ints->max_value()));
  } else if (const auto* reals = std::get_if<RealInterval>(&domain)) {
    info->mutable_domain_interval()->set_min_value(reals->min_value());
    info->mutable_domain_interval()->set_max_value(reals->max_value());
  }
}

// HParamsPluginData{session_start_info} with the hparams map entries in
// `order`. A generated map serializes in its own order, so each entry is
// serialized alone and the pieces concatenated: protobuf reads repeated
// occurrences of a map field as the union of their entries.
std::string session_start_content(const HParams& hparams, const std::vector<size_t>& order,
                                  SessionStartInfo rest) {
  std::string info_bytes;
  for (size_t i : order) {
    const HParams::Entry& e = hparams.entries()[i];
    SessionStartInfo one;
    set_proto_value(e.value(), &(*one.mutable_hparams())[e.name()]);
    info_bytes.append(one.SerializeAsString());
  }
  rest.clear_hparams();
  info_bytes.append(serialize_deterministic(rest));

  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        HParamsPluginData::kSessionStartInfoFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(info_bytes.size()));
    coded.WriteRaw(info_bytes.data(), static_cast<int>(info_bytes.size()));
  }
  return out;
}

std::vector<std::pair<std::string, Value>> by_name(const HParams& hparams) {
  std::vector<std::pair<std::string, Value>> out;
  out.reserve(hparams.size());
  for (const HParams::Entry& e : hparams) out.emplace_back(e.name(), e.value());
  return out;
}

}  // namespace

absl::StatusOr<proto::Summary> hparams_config_pb(const std::vector<HParam>& hparams,
                                                 const std::vector<Metric>& metrics,
                                                 std::optional<double> time_created_secs) {
  ExperimentInfo info;
  info.time_created_secs = time_created_secs;
  return hparams_config_pb(hparams, metrics, info);
}

absl::StatusOr<proto::Summary> hparams_config_pb(const std::vector<HParam>& hparams,
                                                 const std::vector<Metric>& metrics,
                                                 const ExperimentInfo& info) {
  HParamsPluginData data;
  proto::hparams::Experiment* experiment = data.mutable_experiment();
  for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"name", &info.name},
                                    {"description", &info.description},
                                    {"user", &info.user}}) {
    if (!internal::is_valid_utf8(*text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "experiment ", field, " is not valid UTF-8; TensorBoard's reader drops such a config"));
    }
  }
  experiment->set_name(info.name);
  experiment->set_description(info.description);
  experiment->set_user(info.user);
  experiment->set_time_created_secs(info.time_created_secs.has_value() ? *info.time_created_secs
                                                                       : now_secs());

  HP_RETURN_IF_ERROR(internal::validate_each_once(hparams, "the config"));
  for (const HParam& h : hparams) fill_hparam_info(h, experiment->add_hparam_infos());
  HP_RETURN_IF_ERROR(internal::validate_each_once(metrics, "the config"));
  for (const Metric& m : metrics) {
    proto::hparams::MetricInfo* info = experiment->add_metric_infos();
    info->mutable_name()->set_group(m.group());
    info->mutable_name()->set_tag(m.tag());
    info->set_display_name(m.display_name());
    info->set_description(m.description());
    info->set_dataset_type(internal::to_proto(m.dataset_type()));
  }
  return hparams_summary(kExperimentTag, serialize_deterministic(data));
}

absl::StatusOr<proto::Summary> hparams_pb(const HParams& hparams, std::optional<std::string> trial_id,
                                          std::optional<double> start_time_secs) {
  HP_RETURN_IF_ERROR(hparams.validate());
  SessionStartInfo info;
  HP_ASSIGN_OR_RETURN(std::string group, internal::session_group_name(hparams, std::move(trial_id)));
  info.set_group_name(std::move(group));
  info.set_start_time_secs(start_time_secs.has_value() ? *start_time_secs : now_secs());

  std::vector<size_t> order(hparams.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return hparams.entries()[a].name() < hparams.entries()[b].name(); });
  return hparams_summary(kSessionStartInfoTag, session_start_content(hparams, order, std::move(info)));
}

absl::StatusOr<proto::Summary> session_start_pb(const HParams& hparams, std::optional<double> start_time_secs,
                                                std::string group_name, std::string model_uri,
                                                std::string monitor_url) {
  HP_RETURN_IF_ERROR(hparams.validate());
  for (const std::string* text : {&group_name, &model_uri, &monitor_url}) {
    if (!internal::is_valid_utf8(*text)) {
      return absl::InvalidArgumentError(
          absl::StrCat("session_start_pb argument ", Value(*text).repr(), " is not valid UTF-8"));
    }
  }
  SessionStartInfo info;
  info.set_group_name(std::move(group_name));
  info.set_model_uri(std::move(model_uri));
  info.set_monitor_url(std::move(monitor_url));
  info.set_start_time_secs(start_time_secs.has_value() ? *start_time_secs : now_secs());
  std::vector<size_t> order(hparams.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  return hparams_summary(kSessionStartInfoTag, session_start_content(hparams, order, std::move(info)));
}

absl::StatusOr<proto::Summary> session_end_pb(SessionStatus status, std::optional<double> end_time_secs) {
  if (status < STATUS_UNKNOWN || status > STATUS_RUNNING) {
    return absl::InvalidArgumentError(
        absl::StrCat("session status ", static_cast<int>(status),
                     " is unknown; use STATUS_UNKNOWN, STATUS_SUCCESS, STATUS_FAILURE or STATUS_RUNNING"));
  }
  HParamsPluginData data;
  proto::hparams::SessionEndInfo* info = data.mutable_session_end_info();
  info->set_status(internal::to_proto(status));
  info->set_end_time_secs(end_time_secs.has_value() ? *end_time_secs : now_secs());
  return hparams_summary(kSessionEndInfoTag, serialize_deterministic(data));
}

proto::Summary scalar_pb(std::string_view tag, double value) {
  proto::Summary summary;
  proto::Summary::Value* v = summary.add_value();
  v->set_tag(std::string(tag));
  proto::TensorProto* tensor = v->mutable_tensor();
  tensor->set_dtype(proto::DT_FLOAT);
  tensor->mutable_tensor_shape();  // present and empty: a scalar
  tensor->add_float_val(static_cast<float>(value));
  // ScalarPluginData at version 0 serializes to no bytes.
  v->mutable_metadata()->mutable_plugin_data()->set_plugin_name(kScalarsPluginName);
  return summary;
}

absl::StatusOr<std::string> canonical_json(const HParams& hparams) {
  HP_RETURN_IF_ERROR(hparams.validate());
  return internal::canonical_json(by_name(hparams));
}

namespace internal {

absl::StatusOr<std::string> session_group_name(const HParams& hparams, std::optional<std::string> trial_id) {
  if (!trial_id.has_value()) return derive_group_name(by_name(hparams));
  if (!is_valid_utf8(*trial_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("trial_id ", Value(*trial_id).repr(), " is not valid UTF-8"));
  }
  return std::move(*trial_id);
}

}  // namespace internal

absl::StatusOr<std::string> group_name(const HParams& hparams) {
  HP_RETURN_IF_ERROR(hparams.validate());
  return internal::derive_group_name(by_name(hparams));
}

absl::StatusOr<std::unique_ptr<EventFileReader>> EventFileReader::open(const std::string& path,
                                                                       RecordReaderOptions options) {
  absl::StatusOr<std::unique_ptr<RecordReader>> records = RecordReader::open(path, options);
  if (!records.ok()) return records.status();
  return std::unique_ptr<EventFileReader>(new EventFileReader(std::move(*records), std::move(options)));
}

EventFileReader::EventFileReader(std::unique_ptr<RecordReader> records, RecordReaderOptions options)
    : records_(std::move(records)), options_(std::move(options)) {}

absl::StatusOr<bool> EventFileReader::next(proto::Event* event) {
  for (;;) {
    absl::StatusOr<std::string_view> record = records_->read_record();
    if (absl::IsOutOfRange(record.status())) return false;
    if (!record.ok()) return record.status();
    if (event->ParseFromArray(record->data(), static_cast<int>(record->size()))) return true;
    const std::string& path = internal::record_reader_path(*records_);
    absl::Status reason =
        absl::DataLossError(absl::StrCat("the ", record->size(), "-byte record at offset ",
                                         records_->record_offset(), " in '", path, "' is not a valid Event"));
    if (!options_.resync_after_corruption) return reason;
    const uint64_t dropped = internal::kRecordOverheadBytes + record->size();
    internal::count_dropped_record(records_.get(), dropped);
    if (options_.on_corruption) {
      options_.on_corruption(CorruptionReport{path, records_->record_offset(), dropped, reason});
    }
  }
}

}  // namespace hp
