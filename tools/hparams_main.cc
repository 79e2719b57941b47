// `hparams`: read, check and write TensorBoard HParams logdirs from a shell.
// Exit codes: 0 ok, 1 `check` found problems, 2 usage or I/O error.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "check.h"
#include "cli_args.h"
#include "hparams/hparam.h"
#include "hparams/reader.h"
#include "hparams/search.h"
#include "hparams/writer.h"
#include "specs.h"
#include "table.h"

namespace hp::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFindings = 1;
constexpr int kError = 2;

constexpr char kMainHelp[] = R"(usage: hparams COMMAND [ARGS] [--help]

Read and write TensorBoard HParams logdirs without TensorBoard.

Commands:
  show LOGDIR [--sort COLUMN] [--desc]   the dashboard's table, aligned
  export LOGDIR --format csv|json|markdown [--sort COLUMN] [--desc]
  check LOGDIR                           find what leaves the dashboard empty
  config LOGDIR --hparam SPEC... [--metric SPEC...]
  log RUN_DIR --hparam NAME=VALUE... [--trial-id ID] [--scalar TAG=VALUE@STEP...]
      [--status success|failure|running|unknown]
  grid LOGDIR                            the config's grid, one JSON object a line
  sample LOGDIR -n N [--seed S]          random trials, one JSON object a line

Exit status: 0 ok, 1 findings (check), 2 usage or I/O error.
Run 'hparams COMMAND --help' for a command's details; 'hparams --version' prints the version.
)";

constexpr char kShowHelp[] = R"(usage: hparams show LOGDIR [--sort COLUMN] [--desc]

Prints the HParams dashboard's table view: one row per session group, the
group's runs, its hparams, its metrics (averaged over the group's sessions,
as TensorBoard does) and its sessions' status. A missing value shows as '-'.
Hparams the config does not list follow the configured ones, by name.
Control characters in names and values print escaped (\n, \t, \x1b).
Rows are in TensorBoard's order (by group name) unless sorted.

  --sort COLUMN  sort by a metric (tag, group/tag or display name) or an
                 hparam (name or display name); missing values and NaN go
                 last
  --desc         sort descending
)";

constexpr char kExportHelp[] =
    R"(usage: hparams export LOGDIR --format csv|json|markdown [--sort COLUMN] [--desc]

Writes the table of 'hparams show' to stdout, as the dashboard's download:
  csv       header row, then one row per session group
  markdown  a GitHub-flavoured table
  json      an array of {"group", "sessions", "hparams", "metrics", "status"}
            objects; metrics are keyed by tag, or group/tag. NaN, +Inf and
            -Inf are written as TensorBoard's JSON writes them: the strings
            "NaN", "Infinity", "-Infinity"; -0.0 stays -0.0
Exit status 2 if stdout cannot be written (e.g. a full disk).
)";

constexpr char kCheckHelp[] = R"(usage: hparams check LOGDIR

Finds the mistakes that leave the HParams dashboard empty or wrong, one line
each ("CODE: message"), and exits 1 if there is any:
  metric_not_found         a configured metric (group, tag) is in no session's run
  session_without_metrics  sessions with no value for any metric
  session_in_root          a session start in the logdir root
  multiple_configs         experiment configs in several runs, or twice in one
  hparam_not_in_config / hparam_wrong_type / hparam_out_of_domain
  run_without_session / no_sessions / no_metrics
  duplicate_session_start / duplicate_session_end
  bad_plugin_version / bad_plugin_data
  corrupt_record / truncated_file / unreadable_file
  step_beyond_int32        a metric step outside int32: TensorBoard cannot show
                           the experiment at all (session_groups fails)
  status_out_of_enum       a session end status TensorBoard hides the session for
  group_hparams_differ     sessions of one group with different hparams
  unsupported_hparam_value a null, list or struct hparam value (not shown)
)";

constexpr char kConfigHelp[] =
    R"(usage: hparams config LOGDIR --hparam SPEC... [--metric SPEC...] [--time SECS]

Writes the experiment config (what hp::SummaryWriter::hparams_config writes)
to a new event file in LOGDIR, created if needed.

  --hparam SPEC  repeatable; NAME=TYPE:VALUES[;display_name=..][;description=..]
      num_units=int:16,32     discrete ints
      layers=int:1..10        integer interval
      dropout=real:0.1..0.2   real interval
      lr=float:0.1,0.01       discrete floats
      optimizer=str:adam,sgd  discrete strings ('\,' is a literal comma)
      amsgrad=bool:true,false discrete bools
      seed                    no domain
  --metric SPEC  repeatable; TAG[;group=G][;display_name=..][;description=..]
                 [;dataset_type=training|validation]
  In a SPEC, '\,' '\;' '\=' and '\\' stand for the character itself; any
  other backslash is literal.
  --time SECS    time_created_secs and event wall time (default: now)

Example:
  hparams config logs --hparam 'num_units=int:16,32' --hparam 'dropout=real:0.1..0.2' \
      --hparam 'optimizer=str:adam,sgd' --metric 'accuracy;display_name=Accuracy'
)";

constexpr char kLogHelp[] = R"(usage: hparams log RUN_DIR --hparam NAME=VALUE... [--trial-id ID]
                   [--scalar TAG=VALUE[@STEP]...] [--status STATUS] [--time SECS]

Records one trial in RUN_DIR (created if needed), as hp::SummaryWriter
would: its hparams (session start), then its scalars, then its status.

  --hparam NAME=VALUE  repeatable; VALUE is typed by Python's literal
                       grammar: 16, -3, 0x10, 0o17, 0b11, 1_000 -> int (up
                       to 2^64-1), 0.1, 1e-5, 1_000.5, nan, inf -> float,
                       True/False (or true/false) -> bool, else str; an
                       out-of-range number (1e999) is an error;
                       int:16, float:16, str:16, bool:true force a type;
                       '\=' puts '=' in NAME; VALUE is taken verbatim
  --trial-id ID        the session group name (default: hash of the hparams)
  --scalar TAG=VALUE@STEP  repeatable, e.g. accuracy=0.83@1 (step default 0)
  --status S           success, failure, running or unknown: writes a
                       session end (default: none, as TF2's hp.hparams())
  --time SECS          start/end time and event wall time (default: now)
)";

constexpr char kGridHelp[] = R"(usage: hparams grid LOGDIR

Prints every trial of the grid over the experiment config in LOGDIR, one JSON
object per line (first hparam slowest), for job arrays:
  {"num_units": 16, "dropout": 0.1, "optimizer": "adam"}
Discrete values are used as they are (a domain of integral numbers prints
as ints, any other as floats, as Python's one-dtype Discrete has them);
intervals contribute their min and max. Pass a line's values to 'hparams log'.
)";

constexpr char kSampleHelp[] = R"(usage: hparams sample LOGDIR -n N [--seed S]

Prints N random trials drawn from the experiment config in LOGDIR, one JSON
object per line. The same seed gives the same trials (default seed 0).
Intervals are sampled as real intervals (the config does not record whether
an interval was integer).
)";

int usage_error(const std::string& command, const std::string& message) {
  std::cerr << "hparams " << command << ": " << message << "\n"
            << "Run 'hparams " << command << " --help' for usage.\n";
  return kError;
}

int Failure(const std::string& command, const absl::Status& status) {
  std::cerr << "hparams " << command << ": " << status.message() << "\n";
  return kError;
}

void note_diagnostics(const ExperimentView& view, const std::string& logdir) {
  if (view.diagnostics.empty()) return;
  std::cerr << absl::StrFormat("note: %d problem%s while reading; run 'hparams check %s'\n",
                               view.diagnostics.size(), view.diagnostics.size() == 1 ? "" : "s", logdir);
}

int run_show_or_export(const std::string& command, const std::vector<std::string>& argv) {
  bool is_export = command == "export";
  std::vector<FlagSpec> specs = {{"sort"}, {"desc", false}};
  if (is_export) specs.push_back({"format"});
  auto args = parse_args(argv, specs, 1, 1);
  if (!args.ok()) return usage_error(command, std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << (is_export ? kExportHelp : kShowHelp);
    return kOk;
  }
  std::string format = is_export ? args->get("format") : "text";
  if (format != "text" && format != "csv" && format != "json" && format != "markdown") {
    return usage_error(command, format.empty() ? "--format is required: csv, json or markdown"
                                               : "--format '" + format + "' is not csv, json or markdown");
  }
  if (args->has("desc") && !args->has("sort")) return usage_error(command, "--desc needs --sort COLUMN");
  const std::string& logdir = args->positional[0];
  auto view = load_experiment(logdir);
  if (!view.ok()) return Failure(command, view.status());
  // The view of a large logdir takes long to free, and the process is about
  // to exit: keep it (reachable, so leak checkers stay quiet).
  static const ExperimentView* const kept = new ExperimentView(*std::move(view));
  Table table = build_table(*kept);
  if (args->has("sort")) {
    absl::Status sorted = sort_table(&table, args->get("sort"), args->has("desc"));
    if (!sorted.ok()) return usage_error(command, std::string(sorted.message()));
  }
  if (format == "text") {
    std::cout << render_text(table);
    if (table.rows.empty())
      std::cerr << "no sessions in " << logdir << "; run 'hparams check " << logdir << "'\n";
  } else if (format == "csv") {
    std::cout << render_csv(table);
  } else if (format == "json") {
    std::cout << render_json(table);
  } else {
    std::cout << render_markdown(table);
  }
  note_diagnostics(*kept, logdir);
  return kOk;
}

int run_check(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {}, 1, 1);
  if (!args.ok()) return usage_error("check", std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << kCheckHelp;
    return kOk;
  }
  auto view = load_experiment(args->positional[0]);
  if (!view.ok()) return Failure("check", view.status());
  std::vector<Finding> findings = check_experiment(*view);
  for (const Finding& f : findings) std::cout << f.code << ": " << escape_control(f.message) << "\n";
  if (findings.empty()) {
    std::cout << "no problems found in " << escape_control(args->positional[0]) << "\n";
    return kOk;
  }
  std::cout << absl::StrFormat("%d finding%s\n", findings.size(), findings.size() == 1 ? "" : "s");
  return kFindings;
}

absl::StatusOr<std::optional<double>> time_flag(const Args& args) {
  if (!args.has("time")) return std::optional<double>();
  std::string text = args.get("time");
  auto t = parse_finite_number(text, "--time");
  if (!t.ok()) {
    return absl::InvalidArgumentError("--time '" + text + "' is not a number of seconds (" +
                                      std::string(t.status().message()) + ")");
  }
  return std::optional<double>(*t);
}

WriterOptions writer_options_for(std::optional<double> time) {
  WriterOptions options;
  if (time) options.clock = [t = *time] { return t; };
  return options;
}

int run_config(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {{"hparam", true, true}, {"metric", true, true}, {"time"}}, 1, 1);
  if (!args.ok()) return usage_error("config", std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << kConfigHelp;
    return kOk;
  }
  std::vector<HParam> hparams;
  for (const std::string& spec : args->all("hparam")) {
    auto hparam = parse_hparam_spec(spec);
    if (!hparam.ok()) return usage_error("config", std::string(hparam.status().message()));
    hparams.push_back(*std::move(hparam));
  }
  std::vector<Metric> metrics;
  for (const std::string& spec : args->all("metric")) {
    auto metric = parse_metric_spec(spec);
    if (!metric.ok()) return usage_error("config", std::string(metric.status().message()));
    metrics.push_back(*std::move(metric));
  }
  if (hparams.empty() && metrics.empty())
    return usage_error("config", "give at least one --hparam or --metric");
  auto time = time_flag(*args);
  if (!time.ok()) return usage_error("config", std::string(time.status().message()));
  // Validate before creating anything, so bad input writes nothing.
  for (const HParam& h : hparams) {
    absl::Status s = h.validate();
    if (!s.ok()) return usage_error("config", std::string(s.message()));
  }
  for (const Metric& m : metrics) {
    absl::Status s = m.validate();
    if (!s.ok()) return usage_error("config", std::string(s.message()));
  }
  auto writer = SummaryWriter::create(args->positional[0], writer_options_for(*time));
  if (!writer.ok()) return Failure("config", writer.status());
  absl::Status status = (*writer)->hparams_config(hparams, metrics, *time);
  absl::Status closed = (*writer)->close();
  if (!status.ok()) return usage_error("config", std::string(status.message()));
  if (!closed.ok()) return Failure("config", closed);
  return kOk;
}

absl::StatusOr<SessionStatus> parse_status(const std::string& text) {
  if (text == "success") return STATUS_SUCCESS;
  if (text == "failure") return STATUS_FAILURE;
  if (text == "running") return STATUS_RUNNING;
  if (text == "unknown") return STATUS_UNKNOWN;
  return absl::InvalidArgumentError("--status '" + text + "' is not success, failure, running or unknown");
}

int run_log(const std::vector<std::string>& argv) {
  auto args = parse_args(
      argv, {{"hparam", true, true}, {"trial-id"}, {"scalar", true, true}, {"status"}, {"time"}}, 1, 1);
  if (!args.ok()) return usage_error("log", std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << kLogHelp;
    return kOk;
  }
  HParams hparams;
  for (const std::string& spec : args->all("hparam")) {
    auto assignment = parse_assignment(spec);
    if (!assignment.ok()) return usage_error("log", std::string(assignment.status().message()));
    hparams.add(assignment->first, std::move(assignment->second));
  }
  if (hparams.empty()) return usage_error("log", "give the trial's hparams with --hparam NAME=VALUE");
  absl::Status valid = hparams.validate();
  if (!valid.ok()) return usage_error("log", std::string(valid.message()));
  std::vector<ScalarSpec> scalars;
  for (const std::string& spec : args->all("scalar")) {
    auto scalar = parse_scalar_spec(spec);
    if (!scalar.ok()) return usage_error("log", std::string(scalar.status().message()));
    // The writer would refuse a non-UTF-8 tag after the file exists; refuse it first.
    if (absl::Status s = Metric(scalar->tag).validate(); !s.ok()) {
      return usage_error("log", "--scalar: " + std::string(s.message()));
    }
    scalars.push_back(*std::move(scalar));
  }
  std::optional<SessionStatus> status;
  if (args->has("status")) {
    auto s = parse_status(args->get("status"));
    if (!s.ok()) return usage_error("log", std::string(s.status().message()));
    status = *s;
  }
  auto time = time_flag(*args);
  if (!time.ok()) return usage_error("log", std::string(time.status().message()));
  std::optional<std::string> trial_id;
  if (args->has("trial-id")) trial_id = args->get("trial-id");

  auto writer = SummaryWriter::create(args->positional[0], writer_options_for(*time));
  if (!writer.ok()) return Failure("log", writer.status());
  absl::Status s = (*writer)->hparams(hparams, trial_id, *time);
  for (size_t i = 0; s.ok() && i < scalars.size(); ++i)
    s = (*writer)->scalar(scalars[i].tag, scalars[i].value, scalars[i].step);
  if (s.ok() && status) s = (*writer)->session_end(*status, *time);
  absl::Status closed = (*writer)->close();
  if (!s.ok())
    return absl::IsInvalidArgument(s) ? usage_error("log", std::string(s.message())) : Failure("log", s);
  if (!closed.ok()) return Failure("log", closed);
  return kOk;
}

// The config's hparams as HParam objects, in the order they were written.
absl::StatusOr<std::vector<HParam>> config_hparams(const std::string& logdir) {
  auto view = load_experiment(logdir);
  if (!view.ok()) return view.status();
  if (view->source != ExperimentSource::kConfig) {
    return absl::NotFoundError(absl::StrFormat(
        "no experiment config in '%s'; write one with 'hparams config %s --hparam ...'", logdir, logdir));
  }
  const Experiment& experiment = *view->find_run(view->config_run)->experiment;
  std::vector<HParam> hparams;
  for (const HParamInfo& info : experiment.hparam_infos) {
    std::optional<Domain> domain;
    if (info.domain_discrete) {
      // Python writes ints as doubles, so a domain of integral numbers comes
      // back as ints. Python's Discrete has one dtype, so one non-integral
      // number makes every number a float: Discrete([0.5, 1.0]) gives 1.0,
      // which hashes into another session group than 1.
      bool all_integral = true;
      for (const Value& v : *info.domain_discrete) {
        if (!v.is_number()) continue;
        const double d = v.as_double();
        all_integral &= d == std::floor(d) && std::fabs(d) < 9007199254740992.0;
      }
      std::vector<Value> values;
      for (const Value& v : *info.domain_discrete) {
        if (v.is_number() && all_integral) {
          values.emplace_back(static_cast<int64_t>(v.as_double()));
        } else if (v.is_number()) {
          values.emplace_back(v.as_double());
        } else {
          values.push_back(v);
        }
      }
      auto discrete = Discrete::create(std::move(values));
      if (!discrete.ok()) return discrete.status();
      domain = *discrete;
    } else if (info.domain_interval) {
      auto interval = RealInterval::create(info.domain_interval->min_value, info.domain_interval->max_value);
      if (!interval.ok()) return interval.status();
      domain = *interval;
    }
    hparams.emplace_back(info.name, domain, info.display_name, info.description);
  }
  return hparams;
}

void print_trial(const HParams& trial) {
  std::string line = "{";
  bool first = true;
  for (const HParams::Entry& entry : trial) {
    if (!first) line += ", ";
    first = false;
    line += Value(entry.name()).json() + ": " + entry.value().json();
  }
  std::cout << line << "}\n";
}

int run_grid(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {}, 1, 1);
  if (!args.ok()) return usage_error("grid", std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << kGridHelp;
    return kOk;
  }
  auto hparams = config_hparams(args->positional[0]);
  if (!hparams.ok()) return Failure("grid", hparams.status());
  auto trials = grid_search(*hparams);
  if (!trials.ok()) return Failure("grid", trials.status());
  for (const HParams& trial : *trials) print_trial(trial);
  return kOk;
}

int run_sample(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, {{"num", true, false, "n"}, {"seed"}}, 1, 1);
  if (!args.ok()) return usage_error("sample", std::string(args.status().message()));
  if (args->has("help")) {
    std::cout << kSampleHelp;
    return kOk;
  }
  if (!args->has("num")) return usage_error("sample", "-n N (the number of trials) is required");
  std::string n_text = args->get("num");
  auto n_parsed = parse_unsigned(n_text, "-n");
  if (!n_parsed.ok() || *n_parsed > static_cast<uint64_t>(std::numeric_limits<long long>::max())) {
    return usage_error("sample", "-n '" + n_text + "' is not a non-negative integer");
  }
  const long long n = static_cast<long long>(*n_parsed);
  std::string seed_text = args->get("seed", "0");
  auto seed_parsed = parse_unsigned(seed_text, "--seed");
  if (!seed_parsed.ok())
    return usage_error("sample", "--seed '" + seed_text + "' is not a non-negative integer");
  const uint64_t seed = *seed_parsed;
  auto hparams = config_hparams(args->positional[0]);
  if (!hparams.ok()) return Failure("sample", hparams.status());
  // Checks the domains even for -n 0.
  absl::Status searchable = random_search(*hparams, 0, seed).status();
  if (!searchable.ok()) return Failure("sample", searchable);
  // Streamed rather than collected with random_search(): N may exceed memory,
  // and a reader that stops early (| head) ends the command. The draws are
  // random_search's: one std::mt19937_64(seed) through sample_trial().
  std::mt19937_64 rng(seed);
  for (long long i = 0; i < n; ++i) {
    auto trial = sample_trial(*hparams, rng);
    if (!trial.ok()) return Failure("sample", trial.status());
    print_trial(*trial);
    if (!std::cout) return Failure("sample", absl::UnavailableError("cannot write to stdout"));
  }
  return kOk;
}

// Exit status 2 when stdout lost anything (a full disk, /dev/full, a closed
// descriptor): a truncated CSV must not look like a finished one. stdio
// buffers, so errors surface only on the final flush.
int finish_stdout(const std::string& command, int code) {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && std::cout && !std::ferror(stdout)) return code;
  const int error = errno;
  std::cerr << "hparams " << command << ": cannot write to stdout"
            << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << "\n";
  return kError;
}

int Dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kMainHelp;
    return kError;
  }
  std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kMainHelp;
    return kOk;
  }
  if (command == "--version" || command == "-V") {
    std::cout << "hparams " << HPARAMS_VERSION << "\n";
    return kOk;
  }
  if (command == "show" || command == "export") return run_show_or_export(command, rest);
  if (command == "check") return run_check(rest);
  if (command == "config") return run_config(rest);
  if (command == "log") return run_log(rest);
  if (command == "grid") return run_grid(rest);
  if (command == "sample") return run_sample(rest);
  std::cerr << "hparams: unknown command '" << command << "'\n\n" << kMainHelp;
  return kError;
}

int Main(int argc, char** argv) {
  const int code = Dispatch(argc, argv);
  return finish_stdout(argc < 2 ? "" : argv[1], code);
}

}  // namespace
}  // namespace hp::cli

int main(int argc, char** argv) { return hp::cli::Main(argc, argv); }
