// A test Env that forwards to a real one and injects faults on request:
// failed or short writes (e.g. ENOSPC), fsync failures, failed creation,
// writes held until released, directory syncs recorded or failed, and a
// fixed host name and pid.
#ifndef HPARAMS_TESTS_FAULT_INJECTION_ENV_H_
#define HPARAMS_TESTS_FAULT_INJECTION_ENV_H_

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hparams/env.h"

namespace hp {
namespace testing_env {

class FaultInjectionEnv : public EnvWrapper {
 public:
  explicit FaultInjectionEnv(Env* target = Env::default_env()) : EnvWrapper(target) {}

  // Writes fail with `write_errno` once this many bytes have been appended
  // in total across files (-1: never). The failing append writes the bytes
  // that still fit (a short write), then fails.
  std::atomic<int64_t> fail_after_bytes{-1};
  std::atomic<int> write_errno{ENOSPC};
  // sync() fails with EIO.
  std::atomic<bool> fail_sync{false};
  // new_writable_file() fails with EACCES.
  std::atomic<bool> fail_create{false};
  std::atomic<int64_t> bytes_appended{0};
  std::atomic<int> appends_started{0};

  // While held, append() waits (the worker thread stalls like on a slow disk).
  void hold_writes() {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = true;
  }
  void release_writes() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    if (fail_create.load())
      return absl::ErrnoToStatus(EACCES, absl::StrCat("cannot open for writing '", path, "'"));
    auto file = target()->new_writable_file(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new File(this, std::move(*file)));
  }

  // sync_dir() fails with EIO.
  std::atomic<bool> fail_sync_dir{false};
  absl::Status sync_dir(const std::string& path) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      synced_dirs_.push_back(path);
    }
    if (fail_sync_dir.load())
      return absl::ErrnoToStatus(EIO, absl::StrCat("injected fsync failure on '", path, "'"));
    return target()->sync_dir(path);
  }
  // Every directory sync_dir() was asked for, in call order.
  std::vector<std::string> synced_dirs() {
    std::lock_guard<std::mutex> lock(mu_);
    return synced_dirs_;
  }

  std::string host_name() override { return "testhost"; }
  int64_t process_id() override { return 4242; }

 private:
  class File : public WritableFile {
   public:
    File(FaultInjectionEnv* env, std::unique_ptr<WritableFile> base) : env_(env), base_(std::move(base)) {}

    absl::Status append(std::string_view data) override {
      env_->appends_started.fetch_add(1);
      env_->wait_while_held();
      const int64_t limit = env_->fail_after_bytes.load();
      const int64_t done = env_->bytes_appended.load();
      if (limit >= 0 && done + static_cast<int64_t>(data.size()) > limit) {
        const int64_t fits = limit > done ? limit - done : 0;
        if (fits > 0) {
          (void)base_->append(data.substr(0, static_cast<size_t>(fits)));
          (void)base_->flush();
          env_->bytes_appended.fetch_add(fits);
        }
        return absl::ErrnoToStatus(env_->write_errno.load(), "injected write failure");
      }
      env_->bytes_appended.fetch_add(static_cast<int64_t>(data.size()));
      return base_->append(data);
    }
    absl::Status flush() override { return base_->flush(); }
    absl::Status sync() override {
      if (env_->fail_sync.load()) return absl::ErrnoToStatus(EIO, "injected fsync failure");
      return base_->sync();
    }
    absl::Status close() override { return base_->close(); }
    absl::Status check_linked() override { return base_->check_linked(); }

   private:
    FaultInjectionEnv* env_;
    std::unique_ptr<WritableFile> base_;
  };

  void wait_while_held() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !held_; });
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  std::vector<std::string> synced_dirs_;
};

}  // namespace testing_env
}  // namespace hp

#endif  // HPARAMS_TESTS_FAULT_INJECTION_ENV_H_
