// hp::ExperimentView: what TensorBoard's HParams dashboard shows for a set of
// runs, computed from their decoded events, with no file access.
//
// The computation mirrors the TensorBoard HParams plugin (the behaviours
// probed against the real server are listed in tests/golden/README.md):
//  * Each run keeps the FIRST summary metadata it sees per tag, so the first
//    `_hparams_/experiment`, `_hparams_/session_start_info` and
//    `_hparams_/session_end_info` of a run win; later ones are counted (and
//    reported as diagnostics) but otherwise ignored.
//  * A tag is a scalar when its first metadata names the "scalars" plugin (a
//    legacy `simple_value` counts as such). The LAST event of each scalar tag
//    is its value; float tensors are widened from float32, double tensors are
//    kept as is.
//  * The experiment is the config of the first run holding one (root run
//    first, then runs in name order), with hparam_infos re-sorted by
//    (differs desc, name). Without a config it is inferred from the session
//    starts: numbers -> interval [min, max], strings and bools -> sorted
//    discrete values, mixed types -> strings, `differs` computed; metrics are
//    every scalar (tag, group) of a session run or a run below it, group being
//    the path below the nearest session run.
//  * A session is a run holding a session start; its metric (group, tag) is
//    read from run join(session, group). Sessions with equal group_name form
//    one group (empty group_name: the run name); groups are sorted by name,
//    sessions inside a group by name; a group takes its hparams from its first
//    session (in run order), dropping NaN and infinite values; a group metric
//    is the average over the sessions that have it (value, step floored, wall
//    time). TensorBoard takes a group's hparams from its first session in
//    os.walk order, which depends on the file system; we use run-name order
//    and report a group whose sessions differ (kGroupHParamsDiffer).
//  * A session whose end status is outside the Status enum is hidden, as
//    TensorBoard's status filter hides it (kStatusOutOfEnum).
//  * A metric step outside int32 makes TensorBoard's session_groups request
//    fail (HTTP 500, an empty dashboard); we report kStepBeyondInt32 and
//    show the step clamped to the int32 range rather than wrapped.
//
// Data whose plugin version is not 0 is skipped and reported (TensorBoard
// rejects the whole experiment with HTTP 400 in that case).
//
// Values the plain types cannot hold (a null, list or struct hparam value,
// possible in a protobuf Value but never written by TensorBoard's APIs) are
// left out and reported (kUnsupportedHParamValue), never silently dropped.
//
// The types are plain C++ built on hp::Value: this header includes no
// protobuf header, so a program reading logdirs is not tied to the protobuf
// version the library was built with. Field names follow TensorBoard's
// api.proto, so its JSON answers map onto them one to one.
//
// Thread safety: the free functions are reentrant; a RunData is filled by one
// thread at a time.
//
// Example (the logdir reader in hparams/reader.h does exactly this):
//   hp::RunData run;
//   run.name = "run-0";
//   for (std::string_view record : records) hp::accumulate_event(record, &run, &diagnostics);
//   hp::ExperimentView view = hp::build_experiment_view({std::move(run)}, diagnostics);
//   for (const hp::SessionGroup& group : view.session_groups) ...
#ifndef HPARAMS_EXPERIMENT_VIEW_H_
#define HPARAMS_EXPERIMENT_VIEW_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/domain.h"
#include "hparams/export.h"
#include "hparams/hparam.h"
#include "hparams/value.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// Something a reader of the logdir should know about; `hparams check` turns
// each into a finding. The view is still computed around it.
enum class DiagnosticKind {
  kCorruptRecord,           // bytes skipped inside an event file (path, offset)
  kTruncatedFile,           // an event file ends inside a record (path)
  kUnreadableFile,          // an event file or directory could not be read (path)
  kMultipleConfigs,         // experiment configs in several runs, or twice in one; the first is used
  kDuplicateSessionStart,   // several session starts in one run; the first wins
  kDuplicateSessionEnd,     // several session ends in one run; the first wins
  kBadPluginVersion,        // hparams plugin data with a version other than 0
  kBadPluginData,           // hparams plugin content that does not decode
  kStepBeyondInt32,         // a metric's step does not fit int32: TensorBoard fails session_groups
  kStatusOutOfEnum,         // a session end status outside Status: TensorBoard hides the session
  kGroupHParamsDiffer,      // sessions of one group carry different hparams
  kUnsupportedHParamValue,  // a null, list or struct hparam value: left out of the view
};

// Stable lower_snake_case name of a kind, e.g. "corrupt_record".
std::string_view diagnostic_kind_name(DiagnosticKind kind);

struct Diagnostic {
  DiagnosticKind kind;
  std::string run;      // run name ("." is the logdir root); may be empty
  std::string path;     // file the problem is in; may be empty
  uint64_t offset = 0;  // byte offset in `path`, for kCorruptRecord
  std::string message;  // what is wrong and what to do, for people
};

// The last event of one scalar tag.
struct ScalarValue {
  double value = 0;
  int64_t step = 0;
  double wall_time = 0;
};

// The HParams plugin's data (api.proto, plugin_data.proto), as plain types.
// Numbers read from files are float Values (the plugin stores every number
// as a double); strings and bools keep their kind.

// A real interval; IntInterval domains are written as one too.
struct Interval {
  double min_value = 0;
  double max_value = 0;
};

struct HParamInfo {
  std::string name;
  std::string display_name;
  std::string description;
  DataType type = DATA_TYPE_UNSET;
  // At most one of the two domains is set.
  std::optional<std::vector<Value>> domain_discrete;
  std::optional<Interval> domain_interval;
  // Whether sessions hold more than one value (inferred experiments only).
  bool differs = false;
};

struct MetricName {
  std::string group;  // the run subdirectory below a session, "" for the session's own run
  std::string tag;
  friend bool operator==(const MetricName& a, const MetricName& b) {
    return a.group == b.group && a.tag == b.tag;
  }
  friend bool operator!=(const MetricName& a, const MetricName& b) { return !(a == b); }
};

struct MetricInfo {
  MetricName name;
  std::string display_name;
  std::string description;
  DatasetType dataset_type = DATASET_UNKNOWN;  // may hold a number outside the enumerators
};

struct Experiment {
  std::string name;
  std::string description;
  std::string user;
  double time_created_secs = 0;
  std::vector<HParamInfo> hparam_infos;
  std::vector<MetricInfo> metric_infos;
};

// A session start (one trial's hparams).
struct SessionStartInfo {
  std::map<std::string, Value, std::less<>> hparams;
  std::string model_uri;
  std::string monitor_url;
  std::string group_name;
  double start_time_secs = 0;
};

struct SessionEndInfo {
  SessionStatus status = STATUS_UNKNOWN;  // as read: may be outside the enumerators
  double end_time_secs = 0;
};

// A metric's value in a session, or its average over a session group.
struct MetricValue {
  MetricName name;
  double value = 0;
  int32_t training_step = 0;
  double wall_time_secs = 0;
};

struct Session {
  std::string name;  // the run
  double start_time_secs = 0;
  double end_time_secs = 0;
  SessionStatus status = STATUS_UNKNOWN;
  std::string model_uri;
  std::vector<MetricValue> metric_values;
  std::string monitor_url;
};

struct SessionGroup {
  std::string name;
  // The hparams of the group's first session, without NaN and infinities.
  std::map<std::string, Value, std::less<>> hparams;
  std::vector<MetricValue> metric_values;  // averages over the sessions
  std::vector<Session> sessions;           // sorted by name
  std::string monitor_url;
};

// What the HParams dashboard needs from one run, accumulated event by event.
struct RunData {
  std::string name;                // relative to the logdir; "." is the root
  std::vector<std::string> files;  // event files read, in read order

  // The first hparams plugin data of each kind; absent when there is none.
  std::optional<Experiment> experiment;
  std::optional<SessionStartInfo> session_start;
  std::optional<SessionEndInfo> session_end;
  // How many events of each kind the run holds (>1 means duplicates).
  int experiment_count = 0;
  int session_start_count = 0;
  int session_end_count = 0;

  // Last value of each scalar tag.
  std::map<std::string, ScalarValue, std::less<>> scalars;
  // Plugin named by the first metadata seen for each tag (TensorBoard keeps
  // only that one); "" when that metadata names no plugin.
  std::map<std::string, std::string, std::less<>> tag_plugins;
};

// Adds `event` (a serialized tensorboard Event, the next one of `run` in
// file order) to `run`. Problems with hparams plugin data are appended to
// `diagnostics` (may be null). Returns false, having changed nothing, when
// `event` is not a valid Event; the caller reports it. Plain scalar events
// (most of a large logdir) are read without protobuf.
bool accumulate_event(std::string_view event, RunData* run, std::vector<Diagnostic>* diagnostics);

// Where ExperimentView::experiment came from.
enum class ExperimentSource {
  kConfig,    // an `_hparams_/experiment` summary
  kInferred,  // computed from session starts and scalars
  kEmpty,     // nothing to show: no config and no session starts
};

struct ExperimentView {
  // What POST /data/plugin/hparams/experiment returns.
  Experiment experiment;
  ExperimentSource source = ExperimentSource::kEmpty;
  std::string config_run;  // the run whose config was used, for kConfig

  // What POST /data/plugin/hparams/session_groups returns when every status
  // is allowed and no filter or sort is set: groups sorted by name (its
  // total_size is their number).
  std::vector<SessionGroup> session_groups;

  // Every run, sorted by name (root "." first).
  std::vector<RunData> runs;
  std::vector<Diagnostic> diagnostics;

  // The run named `name`, or null.
  const RunData* find_run(std::string_view name) const;
};

// Computes the view from the runs of a logdir (in any order; they are
// sorted). Takes `diagnostics` found while reading and appends its own.
ExperimentView build_experiment_view(std::vector<RunData> runs, std::vector<Diagnostic> diagnostics = {});

// The run TensorBoard reads metric (group, tag) of session `session_run`
// from: join(session_run, group), e.g. ("run-0", "validation") ->
// "run-0/validation", (".", "eval") -> "./eval" (a run that never exists,
// which is why a session in the logdir root cannot have grouped metrics).
std::string metric_run(std::string_view session_run, std::string_view group);

// The parent of a run name, the way os.path.dirname treats it ("a/b/c" ->
// "a/b", "a" -> ""): the next run up when looking for the session a run's
// metrics belong to.
std::string_view parent_run(std::string_view run);

// The plugin's type of a logged hparam value: DATA_TYPE_FLOAT64 for a
// number (int or float), DATA_TYPE_STRING or DATA_TYPE_BOOL. Shared by the
// inferred experiment and `hparams check`, which must agree on what a
// value's type is.
DataType data_type_of(const Value& value);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_EXPERIMENT_VIEW_H_
