// Progress bar and per-epoch summary lines.
#include "progress.h"

#include <string>

namespace hparams_tuning {
namespace {

constexpr int kBarWidth = 30;
// Redrawing more often than this only costs time.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

void print_logs(std::FILE* out, const hp::Logs& logs) {
  for (const auto& [name, value] : logs) std::fprintf(out, " - %s: %.4f", name.c_str(), value);
}

}  // namespace

ProgressCallback::ProgressCallback(std::FILE* out, bool interactive, int64_t epochs,
                                   int64_t batches_per_epoch)
    : out_(out), interactive_(interactive), epochs_(epochs), batches_per_epoch_(batches_per_epoch) {}

absl::Status ProgressCallback::on_epoch_begin(int64_t /*epoch*/) {
  epoch_start_ = std::chrono::steady_clock::now();
  last_draw_ = epoch_start_ - kRedrawInterval;
  return absl::OkStatus();
}

absl::Status ProgressCallback::on_train_batch_end(int64_t batch, const hp::Logs& logs) {
  if (!interactive_) return absl::OkStatus();
  const auto now = std::chrono::steady_clock::now();
  if (batch + 1 < batches_per_epoch_ && now - last_draw_ < kRedrawInterval) return absl::OkStatus();
  last_draw_ = now;
  draw(batch + 1, logs);
  return absl::OkStatus();
}

void ProgressCallback::draw(int64_t done, const hp::Logs& logs) {
  const int64_t total = batches_per_epoch_ > 0 ? batches_per_epoch_ : 1;
  const int filled = static_cast<int>(kBarWidth * done / total);
  std::string bar(static_cast<size_t>(kBarWidth), '.');
  for (int i = 0; i < filled; ++i) bar[static_cast<size_t>(i)] = '=';
  if (filled < kBarWidth) bar[static_cast<size_t>(filled)] = '>';
  std::fprintf(out_, "\r\033[K  %lld/%lld [%s]", static_cast<long long>(done), static_cast<long long>(total),
               bar.c_str());
  print_logs(out_, logs);
  std::fflush(out_);
}

absl::Status ProgressCallback::on_epoch_end(int64_t epoch, const hp::Logs& logs) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  if (interactive_) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "  epoch %lld/%lld - %.1fs", static_cast<long long>(epoch + 1),
               static_cast<long long>(epochs_), seconds);
  print_logs(out_, logs);
  std::fprintf(out_, "\n");
  std::fflush(out_);
  return absl::OkStatus();
}

absl::Status ProgressCallback::on_train_failed(const absl::Status& status) {
  if (interactive_) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "  training failed: %s\n", status.ToString().c_str());
  std::fflush(out_);
  return absl::OkStatus();
}

}  // namespace hparams_tuning
