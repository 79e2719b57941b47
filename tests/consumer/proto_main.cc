// A user of the opt-in protobuf API: builds a raw session start and checks it.
#include <hparams/summary.h>

#include <cstdio>

int main() {
  absl::StatusOr<hp::proto::Summary> summary = hp::hparams_pb({{"lr", 0.1}}, std::nullopt, 1.6e9);
  if (!summary.ok() || summary->value_size() != 1 || summary->value(0).tag() != hp::kSessionStartInfoTag) {
    std::fprintf(stderr, "hparams_pb gave no session start\n");
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
