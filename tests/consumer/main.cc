// The user-facing snippets from the issues, verbatim, as a user's program.
#include <hparams/hparams.h>

#include <cstdio>
#include <string>

namespace {

int run(const std::string& logdir) {
  // Issue 2: scalars through the writer and the default-writer scope.
  absl::StatusOr<std::unique_ptr<hp::SummaryWriter>> writer = hp::SummaryWriter::Create(logdir + "/run-0");
  if (!writer.ok()) {
    std::fprintf(stderr, "%s\n", writer.status().ToString().c_str());
    return 1;
  }
  absl::Status s = (*writer)->scalar("loss", 0.25, /*step=*/7);   // double value, int64 step
  { auto scope = (*writer)->as_default(); s.Update(hp::scalar("loss", 0.2, 8)); }
  s.Update((*writer)->flush());
  s.Update((*writer)->close());
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("ok\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run(argc > 1 ? argv[1] : "consumer_logs");
}
