// The opt-in protobuf API of hparams-cpp: raw-proto builders for the HParams
// plugin's summaries and a reader of raw Events. Everything else
// (<hparams/hparams.h>, the readers in <hparams/reader.h>) is free of
// protobuf; this is the one public header that is not.
//
// REQUIRES PROTOBUF: this header includes the generated headers
// <hparams/proto/*.pb.h> (installed with the library) and so needs the
// protobuf headers and library the library was built with. With CMake, link
// `hparams::proto` instead of `hparams::hparams` (it adds protobuf); with
// pkg-config, add `protobuf`.
//
// The builders, like Python's hparams_config_pb / hparams_pb /
// session_start_pb / session_end_pb, return a proto::Summary holding one
// Value, ready to be written in an Event at any step (e.g. with
// SummaryWriter::write_summary); nothing is written anywhere. Useful for
// testing and for programs that have their own event writer.
//
// Every Value carries TensorBoard's "null tensor" (DT_FLOAT, shape [0]) and
// the plugin metadata: plugin_name "hparams", content = a serialized
// HParamsPluginData (version 0). Content is serialized deterministically:
// map keys sorted (hparams_pb) or in the given order (session_start_pb),
// so hparams_pb's bytes equal Python's pure-protobuf output byte for byte.
//
// Errors: InvalidArgument for bad input, as listed in hparams/hparam.h; the
// message names the hparam/metric and the value.
//
// Times default to the current wall-clock time (like Python's time.time());
// pass them explicitly for reproducible output.
//
// Thread safety: all functions are thread-safe.
//
// Example:
//   absl::StatusOr<hp::proto::Summary> s = hp::hparams_pb({{"lr", 0.1}}, std::nullopt, 1.6e9);
//   if (s.ok()) my_writer.write(*s, /*step=*/0);
//
//   auto reader = hp::EventFileReader::open(path);
//   if (!reader.ok()) return reader.status();
//   hp::proto::Event event;
//   for (;;) {
//     absl::StatusOr<bool> more = (*reader)->next(&event);
//     if (!more.ok()) return more.status();  // I/O error
//     if (!*more) break;                       // end of data
//     Use(event);
//   }
#ifndef HPARAMS_SUMMARY_H_
#define HPARAMS_SUMMARY_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/hparam.h"
#include "hparams/proto/event.pb.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/proto/summary.pb.h"
#include "hparams/record_reader.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

inline constexpr char kHParamsPluginName[] = "hparams";
inline constexpr char kExperimentTag[] = "_hparams_/experiment";
inline constexpr char kSessionStartInfoTag[] = "_hparams_/session_start_info";
inline constexpr char kSessionEndInfoTag[] = "_hparams_/session_end_info";
inline constexpr char kScalarsPluginName[] = "scalars";

// The experiment config (Python's summary_v2.hparams_config_pb). hparam
// infos keep the given order; Discrete values are sorted; ints and floats
// are DATA_TYPE_FLOAT64. InvalidArgument for an invalid or repeated hparam
// or metric (same group and tag).
absl::StatusOr<proto::Summary> hparams_config_pb(const std::vector<HParam>& hparams,
                                                 const std::vector<Metric>& metrics,
                                                 std::optional<double> time_created_secs = std::nullopt);

// The same config with the experiment's name, description and user.
// InvalidArgument also for a field that is not valid UTF-8.
absl::StatusOr<proto::Summary> hparams_config_pb(const std::vector<HParam>& hparams,
                                                 const std::vector<Metric>& metrics,
                                                 const ExperimentInfo& info);

// One trial's session start (Python's summary_v2.hparams_pb): hparams
// sorted by name, group_name = trial_id if given, else group_name(hparams).
// Ints are stored as number_value doubles, bools as bool_value.
absl::StatusOr<proto::Summary> hparams_pb(const HParams& hparams,
                                          std::optional<std::string> trial_id = std::nullopt,
                                          std::optional<double> start_time_secs = std::nullopt);

// The v1 session start (Python's summary.session_start_pb): hparams in the
// given order and group_name as given (empty by default: TensorBoard then
// names the group after the run). A bool is written as bool_value, as
// Python's v1 does.
absl::StatusOr<proto::Summary> session_start_pb(const HParams& hparams,
                                                std::optional<double> start_time_secs = std::nullopt,
                                                std::string group_name = "", std::string model_uri = "",
                                                std::string monitor_url = "");

// The session end (Python's summary.session_end_pb). InvalidArgument for a
// status that is not one of SessionStatus's values.
absl::StatusOr<proto::Summary> session_end_pb(SessionStatus status,
                                              std::optional<double> end_time_secs = std::nullopt);

// A scalar the way TensorBoard's pure-Python scalar_pb lays it out:
// DT_FLOAT, scalar shape, float_val [value], "scalars" metadata.
proto::Summary scalar_pb(std::string_view tag, double value);

// The session group name Python's summary_v2 derives for these values:
// lowercase hex SHA-256 of json.dumps(hparams, sort_keys=True,
// separators=(",", ":")). InvalidArgument when validate() fails.
absl::StatusOr<std::string> group_name(const HParams& hparams);

// The JSON text hashed by group_name(), e.g. {"dropout":0.1,"num_units":16}.
absl::StatusOr<std::string> canonical_json(const HParams& hparams);

// Reads the Events of one event file (see hparams/record_reader.h for how
// corruption is handled).
class EventFileReader {
 public:
  static absl::StatusOr<std::unique_ptr<EventFileReader>> open(const std::string& path,
                                                               RecordReaderOptions options = {});
  EventFileReader(const EventFileReader&) = delete;
  EventFileReader& operator=(const EventFileReader&) = delete;

  // Fills `event` with the next event. Returns false at the end of the
  // data. A record that is not a valid Event is reported like corruption
  // (DataLoss) and skipped, or, with resync_after_corruption false,
  // returned as that DataLoss (the next call reads on).
  absl::StatusOr<bool> next(proto::Event* event);
  RecordReader& records() { return *records_; }

 private:
  explicit EventFileReader(std::unique_ptr<RecordReader> records, RecordReaderOptions options);
  std::unique_ptr<RecordReader> records_;
  RecordReaderOptions options_;
};

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_SUMMARY_H_
