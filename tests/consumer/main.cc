// The user-facing snippets from the issues, verbatim, as a user's program.
#include <hparams/hparams.h>
#include <hparams/reader.h>  // protobuf-free too: no protobuf include or link needed for it

#include <cstdio>
#include <string>

namespace {

int run(const std::string& logdir) {
  // Issue 2: scalars through the writer and the default-writer scope.
  absl::StatusOr<std::unique_ptr<hp::SummaryWriter>> writer = hp::SummaryWriter::create(logdir + "/run-0");
  if (!writer.ok()) {
    std::fprintf(stderr, "%s\n", writer.status().ToString().c_str());
    return 1;
  }
  absl::Status s = (*writer)->scalar("loss", 0.25, /*step=*/7);  // double value, int64 step
  {
    auto scope = (*writer)->as_default();
    s.Update(hp::scalar("loss", 0.2, 8));
  }
  s.Update((*writer)->flush());
  s.Update((*writer)->close());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("ok\n");
  return 0;
}

// Issue 3: the seed tutorial's HParams calls, ported line for line.
const hp::HParam HP_NUM_UNITS("num_units", hp::Discrete({16, 32}));
const hp::HParam HP_DROPOUT("dropout", hp::RealInterval(0.1, 0.2));
const hp::HParam HP_OPTIMIZER("optimizer", hp::Discrete({"adam", "sgd"}));
const std::vector<hp::Metric> METRICS = {hp::Metric("accuracy").display_name("Accuracy")};

int run_tutorial(const std::string& logdir) {
  auto writer = hp::SummaryWriter::create(logdir + "/hparam_tuning");  // absl::StatusOr
  if (!writer.ok()) return 1;
  absl::Status s;
  {
    auto scope = (*writer)->as_default();
    s.Update(hp::hparams_config({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER}, METRICS));
  }
  auto run = hp::SummaryWriter::create(logdir + "/hparam_tuning/run-0");
  if (!run.ok()) return 1;
  {
    auto scope = (*run)->as_default();
    hp::HParams trial = {{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}, {HP_OPTIMIZER, "adam"}};
    s.Update(hp::hparams(trial));  // session start; also accepts string keys
    const double accuracy = 0.85;
    s.Update(hp::scalar("accuracy", accuracy, /*step=*/1));
  }
  hp::HParams v = {{"lr", 1e-3}, {"layers", 3}, {"use_bn", true}, {"opt", "adam"}};
  // A const char* becomes a string, never a bool; 3 stays an integer, 1e-3 a float.
  if (!v.find("opt")->is_string() || !v.find("layers")->is_int() || !v.find("lr")->is_float() ||
      !v.find("use_bn")->is_bool()) {
    std::fprintf(stderr, "HParams lost a Python type distinction\n");
    return 1;
  }
  s.Update((*run)->close());
  s.Update((*writer)->close());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

// Issue 11: one trial as one object.
int run_trial(const std::string& logdir) {
  absl::StatusOr<hp::Trial> trial = hp::Trial::start(logdir + "/trial-0", {{HP_NUM_UNITS, 32}, {"lr", 1e-3}});
  if (!trial.ok()) {
    std::fprintf(stderr, "%s\n", trial.status().ToString().c_str());
    return 1;
  }
  absl::Status s = trial->scalar("accuracy", 0.9, /*step=*/1);
  s.Update(trial->end());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

// Issue 13: the logdir read back as the dashboard shows it.
int read_back(const std::string& logdir) {
  absl::StatusOr<hp::ExperimentView> view = hp::load_experiment(logdir + "/hparam_tuning");
  if (!view.ok()) {
    std::fprintf(stderr, "%s\n", view.status().ToString().c_str());
    return 1;
  }
  for (const hp::SessionGroup& group : view->session_groups) {
    for (const auto& [name, value] : group.hparams) std::printf("%s=%s ", name.c_str(), value.repr().c_str());
    std::printf("\n");
  }
  if (view->session_groups.empty()) {
    std::fprintf(stderr, "no session group read back\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string logdir = argc > 1 ? argv[1] : "consumer_logs";
  if (run(logdir) != 0) return 1;
  if (run_trial(logdir) != 0) return 1;
  if (run_tutorial(logdir) != 0) return 1;
  return read_back(logdir);
}
