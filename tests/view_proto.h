// The plain read model (hparams/experiment_view.h) back as the plugin's
// protos, so tests compare it field by field with TensorBoard's JSON answers
// (parsed into the same protos) through MessageDifferencer: every field of
// api.proto has its counterpart, so nothing escapes the comparison.
#ifndef HPARAMS_TESTS_VIEW_PROTO_H_
#define HPARAMS_TESTS_VIEW_PROTO_H_

#include <vector>

#include "hparams/experiment_view.h"
#include "hparams/proto/event.pb.h"
#include "hparams/proto/hparams_api.pb.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "proto_enums.h"

namespace hp::testing {

inline google::protobuf::Value to_proto(const Value& v) {
  google::protobuf::Value out;
  if (v.is_bool()) {
    out.set_bool_value(v.as_bool());
  } else if (v.is_number()) {
    out.set_number_value(v.as_double());
  } else {
    out.set_string_value(v.as_string());
  }
  return out;
}

inline proto::hparams::MetricName to_proto(const MetricName& name) {
  proto::hparams::MetricName out;
  out.set_group(name.group);
  out.set_tag(name.tag);
  return out;
}

inline proto::hparams::Experiment to_proto(const Experiment& experiment) {
  proto::hparams::Experiment out;
  out.set_name(experiment.name);
  out.set_description(experiment.description);
  out.set_user(experiment.user);
  out.set_time_created_secs(experiment.time_created_secs);
  for (const HParamInfo& info : experiment.hparam_infos) {
    proto::hparams::HParamInfo* h = out.add_hparam_infos();
    h->set_name(info.name);
    h->set_display_name(info.display_name);
    h->set_description(info.description);
    h->set_type(internal::to_proto(info.type));
    h->set_differs(info.differs);
    if (info.domain_discrete) {
      auto* values = h->mutable_domain_discrete();
      for (const Value& v : *info.domain_discrete) *values->add_values() = to_proto(v);
    }
    if (info.domain_interval) {
      h->mutable_domain_interval()->set_min_value(info.domain_interval->min_value);
      h->mutable_domain_interval()->set_max_value(info.domain_interval->max_value);
    }
  }
  for (const MetricInfo& info : experiment.metric_infos) {
    proto::hparams::MetricInfo* m = out.add_metric_infos();
    *m->mutable_name() = to_proto(info.name);
    m->set_display_name(info.display_name);
    m->set_description(info.description);
    m->set_dataset_type(internal::to_proto(info.dataset_type));
  }
  return out;
}

inline proto::hparams::MetricValue to_proto(const MetricValue& value) {
  proto::hparams::MetricValue out;
  *out.mutable_name() = to_proto(value.name);
  out.set_value(value.value);
  out.set_training_step(value.training_step);
  out.set_wall_time_secs(value.wall_time_secs);
  return out;
}

inline proto::hparams::SessionGroup to_proto(const SessionGroup& group) {
  proto::hparams::SessionGroup out;
  out.set_name(group.name);
  out.set_monitor_url(group.monitor_url);
  for (const auto& [name, value] : group.hparams) (*out.mutable_hparams())[name] = to_proto(value);
  for (const MetricValue& value : group.metric_values) *out.add_metric_values() = to_proto(value);
  for (const Session& session : group.sessions) {
    proto::hparams::Session* s = out.add_sessions();
    s->set_name(session.name);
    s->set_start_time_secs(session.start_time_secs);
    s->set_end_time_secs(session.end_time_secs);
    s->set_status(internal::to_proto(session.status));
    s->set_model_uri(session.model_uri);
    s->set_monitor_url(session.monitor_url);
    for (const MetricValue& value : session.metric_values) *s->add_metric_values() = to_proto(value);
  }
  return out;
}

// What the session_groups request answers: the groups and their number.
inline proto::hparams::ListSessionGroupsResponse to_proto(const std::vector<SessionGroup>& groups) {
  proto::hparams::ListSessionGroupsResponse out;
  for (const SessionGroup& group : groups) *out.add_session_groups() = to_proto(group);
  out.set_total_size(static_cast<int32_t>(groups.size()));
  return out;
}

// accumulate_event for an Event built as a proto.
inline bool accumulate_event(const proto::Event& event, RunData* run, std::vector<Diagnostic>* diagnostics) {
  return hp::accumulate_event(event.SerializeAsString(), run, diagnostics);
}

}  // namespace hp::testing

#endif  // HPARAMS_TESTS_VIEW_PROTO_H_
