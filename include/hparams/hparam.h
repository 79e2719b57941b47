// HParam, Metric and HParams: the experiment's hyperparameters and metrics,
// and the values of one trial, mirroring Python's
// tensorboard.plugins.hparams.api (imported as hp). Also the calls that log
// them to the default writer.
//
//   const hp::HParam HP_NUM_UNITS("num_units", hp::Discrete({16, 32}));
//   const hp::HParam HP_DROPOUT("dropout", hp::RealInterval(0.1, 0.2));
//   const hp::HParam HP_OPTIMIZER("optimizer", hp::Discrete({"adam", "sgd"}));
//   const std::vector<hp::Metric> METRICS = {
//       hp::Metric("accuracy").display_name("Accuracy")};
//
//   auto writer = hp::SummaryWriter::create("logs/hparam_tuning");
//   { auto scope = (*writer)->as_default();
//     absl::Status s = hp::hparams_config({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER}, METRICS); }
//
//   hp::HParams trial = {{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}, {HP_OPTIMIZER, "adam"}};
//   absl::Status s = hp::hparams(trial);       // in the run's own writer scope
//   hp::HParams v = {{"lr", 1e-3}, {"layers", 3}, {"use_bn", true}, {"opt", "adam"}};
//
// Validation (InvalidArgument naming the hparam and the value; a rejected
// call writes nothing):
//   * names: empty, not UTF-8, or given twice (in a config, or in a trial,
//     where an HParam key and a string key with the same name count as
//     the same name);
//   * domains: as in hparams/domain.h (empty, mixed kinds, NaN, min > max,
//     non-finite bounds); strings that are not UTF-8;
//   * a trial value whose key is an HParam with a domain must be in that
//     domain, of the right kind (TensorBoard itself would accept anything,
//     and so does a string key);
//   * strict checking, opt-in: check_trial(config, trial) also rejects a
//     trial that misses or adds hparams relative to the config.
//
// Thread safety: HParam, Metric and HParams are value types; the logging
// functions are as thread-safe as the writer (see hparams/writer.h).
#ifndef HPARAMS_HPARAM_H_
#define HPARAMS_HPARAM_H_

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "hparams/domain.h"
#include "hparams/export.h"
#include "hparams/value.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// Which data a metric was computed on; Python's hp.DatasetType / api_pb2.
enum DatasetType : int {
  DATASET_UNKNOWN = 0,
  DATASET_TRAINING = 1,
  DATASET_VALIDATION = 2,
};

// How a session (one trial) ended; Python's api_pb2.Status.
enum SessionStatus : int {
  STATUS_UNKNOWN = 0,
  STATUS_SUCCESS = 1,
  STATUS_FAILURE = 2,
  STATUS_RUNNING = 3,
};

// A hyperparameter: a name, optionally a domain and labels for the UI.
class HParam {
 public:
  explicit HParam(std::string name, std::optional<Domain> domain = std::nullopt,
                  std::string display_name = "", std::string description = "");

  const std::string& name() const { return name_; }
  const std::optional<Domain>& domain() const;
  const std::string& display_name() const { return display_name_; }
  const std::string& description() const { return description_; }

  // OK, or InvalidArgument: empty or non-UTF-8 name/labels, invalid domain.
  absl::Status validate() const;
  // OK if `v` may be this hparam's value: always without a domain, else it
  // must be in the domain. InvalidArgument naming the hparam and value.
  absl::Status check_value(const Value& v) const;

 private:
  std::string name_;
  // Shared by copies (an HParam never changes): every trial entry keyed by
  // this HParam holds a copy, and a grid makes up to a million entries, so
  // copying a large Discrete with each would take gigabytes. Null: no domain.
  std::shared_ptr<const std::optional<Domain>> domain_;
  std::string display_name_;
  std::string description_;
};

// A metric the experiment reports: a scalar `tag`, read from the run
// <session run>/<group> (group "" = the session run itself; Keras writes
// "validation" and "train").
//
//   hp::Metric("accuracy").display_name("Accuracy")
//   hp::Metric("epoch_accuracy").group("validation").dataset_type(hp::DATASET_VALIDATION)
//
// Each setter shares its getter's name and returns the metric, so calls
// chain on temporaries (by value) and on variables (by reference).
class Metric {
 public:
  explicit Metric(std::string tag, std::string group = "", std::string display_name = "",
                  std::string description = "", DatasetType dataset_type = DATASET_UNKNOWN);

  const std::string& tag() const { return tag_; }
  const std::string& group() const { return group_; }
  const std::string& display_name() const { return display_name_; }
  const std::string& description() const { return description_; }
  DatasetType dataset_type() const { return dataset_type_; }

  Metric& group(std::string group) & {
    group_ = std::move(group);
    return *this;
  }
  Metric group(std::string group) && { return std::move(this->group(std::move(group))); }
  Metric& display_name(std::string display_name) & {
    display_name_ = std::move(display_name);
    return *this;
  }
  Metric display_name(std::string display_name) && {
    return std::move(this->display_name(std::move(display_name)));
  }
  Metric& description(std::string description) & {
    description_ = std::move(description);
    return *this;
  }
  Metric description(std::string description) && {
    return std::move(this->description(std::move(description)));
  }
  Metric& dataset_type(DatasetType dataset_type) & {
    dataset_type_ = dataset_type;
    return *this;
  }
  Metric dataset_type(DatasetType dataset_type) && { return std::move(this->dataset_type(dataset_type)); }

  // OK, or InvalidArgument: empty or non-UTF-8 tag, non-UTF-8 labels,
  // unknown dataset type.
  absl::Status validate() const;

 private:
  std::string tag_;
  std::string group_;
  std::string display_name_;
  std::string description_;
  DatasetType dataset_type_;
};

// The hparam values of one trial, in the order given. Keys are HParams (the
// value is then checked against the hparam's domain) or plain names.
// Duplicates are kept here and reported by validate() and every call that
// uses the values.
class HParams {
 public:
  class Entry {
   public:
    Entry(const HParam& hparam, Value value)  // NOLINT: implicit on purpose
        : name_(hparam.name()), value_(std::move(value)), hparam_(hparam) {}
    Entry(std::string_view name, Value value)  // NOLINT: implicit on purpose
        : name_(name), value_(std::move(value)) {}

    const std::string& name() const { return name_; }
    const Value& value() const { return value_; }
    // The HParam key, or nullptr for a name key.
    const HParam* hparam() const { return hparam_ ? &*hparam_ : nullptr; }

   private:
    std::string name_;
    Value value_;
    std::optional<HParam> hparam_;
  };

  HParams() = default;
  HParams(std::initializer_list<Entry> entries) : entries_(entries) { index_from(0); }  // NOLINT
  explicit HParams(std::vector<Entry> entries) : entries_(std::move(entries)) { index_from(0); }

  // Appends an entry (a name given twice is an error at use).
  void add(const HParam& hparam, Value value) {
    entries_.emplace_back(hparam, std::move(value));
    index_from(entries_.size() - 1);
  }
  void add(std::string_view name, Value value) {
    entries_.emplace_back(name, std::move(value));
    index_from(entries_.size() - 1);
  }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

  // The value for `name` (the first, if given twice), or nullptr. O(1) on
  // average: a trial may hold 100k entries.
  const Value* find(std::string_view name) const;
  const Value* find(const HParam& hparam) const { return find(hparam.name()); }

  // OK, or InvalidArgument: an empty, non-UTF-8 or repeated name, a
  // non-UTF-8 string value, or a value outside its HParam key's domain.
  absl::Status validate() const;

  // Python's dict repr: {'num_units': 16, 'dropout': 0.1}.
  std::string repr() const;

 private:
  // Below this many entries a scan beats hashing and the index stays empty.
  static constexpr size_t kIndexFrom = 16;
  // Adds entries_[first..] to index_ (building it whole once it is due).
  void index_from(size_t first);

  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;  // name -> first entry with it
};

// Strict check of a trial against the experiment config: validate() on
// both, and the trial must name exactly the config's hparams, each value
// in its hparam's domain. InvalidArgument naming the missing, extra or
// offending hparam and value. Opt-in: TensorBoard accepts such trials.
absl::Status check_trial(const std::vector<HParam>& config, const HParams& trial);

// --- Logging to the calling thread's default writer ---------------------------
// The experiment's own fields, which Python's v1 summary.experiment_pb
// writes (TensorBoard shows them in the experiment answer).
struct ExperimentInfo {
  std::string name;
  std::string description;
  std::string user;
  std::optional<double> time_created_secs;  // default: now
};

// Each is SummaryWriter's method of the same name (hparams/writer.h) on
// hp::default_writer(); FailedPrecondition when there is none. Events are
// written at step 0 with the writer's clock as wall time; a missing time
// argument also defaults to the writer's clock.

// The experiment config (tag _hparams_/experiment), once per experiment,
// usually in the logdir root.
absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                            std::optional<double> time_created_secs = std::nullopt);
// The same with the experiment's name, description and user.
absl::Status hparams_config(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                            const ExperimentInfo& info);
// One trial's values (tag _hparams_/session_start_info), in the trial's own
// run directory. trial_id, when given, is the session group name verbatim;
// otherwise the group name is the hash Python's summary_v2 computes.
absl::Status hparams(const HParams& hparams, std::optional<std::string> trial_id = std::nullopt,
                     std::optional<double> start_time_secs = std::nullopt);
// The trial's end (tag _hparams_/session_end_info). Optional: TensorBoard
// shows STATUS_UNKNOWN for a session without one.
absl::Status session_end(SessionStatus status, std::optional<double> end_time_secs = std::nullopt);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_HPARAM_H_
