// SummaryWriter's HParams methods and the free functions that call them on
// the default writer. Everything is built and validated before anything is
// queued, so a rejected call writes nothing.
#include "hparams/hparam.h"
#include "hparams/summary.h"
#include "hparams/writer.h"
#include "internal/default_writer_error.h"
#include "internal/group_name.h"
#include "internal/hparams_event.h"
#include "internal/status_macros.h"

namespace hp {
namespace {

// HParams events go at step 0, as TF2's hp.hparams_config() and hp.hparams() do.
constexpr int64_t kHParamsStep = 0;

}  // namespace

absl::Status SummaryWriter::hparams_config(const std::vector<HParam>& hparams,
                                           const std::vector<Metric>& metrics,
                                           std::optional<double> time_created_secs) {
  HP_ASSIGN_OR_RETURN(proto::Summary summary,
                      hparams_config_pb(hparams, metrics, time_created_secs.value_or(now())));
  return write_summary(summary, kHParamsStep);
}

absl::Status SummaryWriter::hparams_config(const std::vector<HParam>& hparams,
                                           const std::vector<Metric>& metrics, const ExperimentInfo& info) {
  ExperimentInfo pinned = info;
  if (!pinned.time_created_secs) pinned.time_created_secs = now();
  HP_ASSIGN_OR_RETURN(proto::Summary summary, hparams_config_pb(hparams, metrics, pinned));
  return write_summary(summary, kHParamsStep);
}

absl::Status SummaryWriter::hparams(const HParams& hparams, std::optional<std::string> trial_id,
                                    std::optional<double> start_time_secs) {
  // What hparams_pb() + write_summary() write, encoded by hand (one call
  // per trial in a sweep; see internal/hparams_event.h). The validation is
  // hparams_pb()'s, so the tag, names, values and group are UTF-8.
  HP_RETURN_IF_ERROR(hparams.validate());
  HP_ASSIGN_OR_RETURN(std::string group, internal::session_group_name(hparams, std::move(trial_id)));
  const double start = start_time_secs.value_or(now());
  return write_framed_record(internal::encode_hparams_record(hparams, group, start, now()), "hparams");
}

absl::Status SummaryWriter::session_end(SessionStatus status, std::optional<double> end_time_secs) {
  HP_ASSIGN_OR_RETURN(proto::Summary summary, session_end_pb(status, end_time_secs.value_or(now())));
  return write_summary(summary, kHParamsStep);
}

absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                            std::optional<double> time_created_secs) {
  SummaryWriter* writer = default_writer();
  if (writer == nullptr) return internal::no_default_writer_error("hparams_config");
  return writer->hparams_config(hparams, metrics, time_created_secs);
}

absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                            const ExperimentInfo& info) {
  SummaryWriter* writer = default_writer();
  if (writer == nullptr) return internal::no_default_writer_error("hparams_config");
  return writer->hparams_config(hparams, metrics, info);
}

absl::Status hparams(const HParams& hparams, std::optional<std::string> trial_id,
                     std::optional<double> start_time_secs) {
  SummaryWriter* writer = default_writer();
  if (writer == nullptr) return internal::no_default_writer_error("hparams");
  return writer->hparams(hparams, std::move(trial_id), start_time_secs);
}

absl::Status session_end(SessionStatus status, std::optional<double> end_time_secs) {
  SummaryWriter* writer = default_writer();
  if (writer == nullptr) return internal::no_default_writer_error("session_end");
  return writer->session_end(status, end_time_secs);
}

}  // namespace hp
