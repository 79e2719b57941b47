// The POSIX Env: files through open/read/write/fsync, directories through
// mkdir/readdir/stat. Every error names the path and says what to check.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "hparams/env.h"

namespace hp {
namespace {

// Whether the failed operation (the start of the message) only reads, so
// that a permission hint asks for read access, not write access.
bool is_read(std::string_view what) {
  for (std::string_view verb :
       {"cannot open for reading", "cannot read", "cannot list", "cannot stat", "cannot open directory"}) {
    if (what.substr(0, verb.size()) == verb) return true;
  }
  return false;
}

// One line of advice per errno, so a user sees what to do, not only what failed.
const char* hint_for(int err, std::string_view what) {
  switch (err) {
    case EACCES:
    case EPERM:
      if (is_read(what))
        return " (check that it is readable by this process, and its directories searchable)";
      return " (check that the directory exists and is writable by this process)";
    case EROFS:
      return " (check that the directory exists and is writable by this process)";
    case ENOENT:
      return " (check that the path exists)";
    case ENOTDIR:
      return " (a component of the path is a regular file, not a directory)";
    case ENOSPC:
    case EDQUOT:
      return " (the disk is full: free space or log elsewhere)";
    case ENAMETOOLONG:
      return " (the path or one of its names is too long: choose a shorter log directory)";
    case EMFILE:
    case ENFILE:
      return " (too many open files: close writers you no longer need)";
    default:
      return "";
  }
}

absl::Status posix_error(int err, std::string_view what, const std::string& path) {
  return absl::ErrnoToStatus(
      err, absl::StrCat(absl::string_view(what.data(), what.size()), " '", path, "'", hint_for(err, what)));
}

// open(2), retried on EINTR; -1 with errno set on failure.
int open_retrying(const std::string& path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Writes all of [data, data+n), retrying short writes and EINTR.
absl::Status write_fully(int fd, const char* data, size_t n, const std::string& path) {
  while (n > 0) {
    // Linux writes at most 0x7ffff000 bytes per call; ask for less than SSIZE_MAX.
    const size_t chunk = n < (size_t{1} << 30) ? n : (size_t{1} << 30);
    ssize_t w = ::write(fd, data, chunk);
    if (w < 0) {
      if (errno == EINTR) continue;
      return posix_error(errno, "cannot write to", path);
    }
    if (w == 0) return posix_error(EIO, "write made no progress on", path);
    data += w;
    n -= static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override { (void)close(); }

  absl::Status append(std::string_view data) override {
    if (fd_ < 0) return closed_error();
    // Small appends gather in a buffer; large ones skip it to avoid a copy.
    if (buffer_.size() + data.size() <= kBufferBytes) {
      buffer_.append(data.data(), data.size());
      return absl::OkStatus();
    }
    absl::Status s = flush_buffer();
    if (!s.ok()) return s;
    if (data.size() <= kBufferBytes) {
      buffer_.append(data.data(), data.size());
      return absl::OkStatus();
    }
    return write_and_start_writeback(data.data(), data.size());
  }

  absl::Status flush() override {
    if (fd_ < 0) return closed_error();
    return flush_buffer();
  }

  absl::Status sync() override {
    if (fd_ < 0) return closed_error();
    absl::Status s = flush_buffer();
    if (!s.ok()) return s;
    if (::fsync(fd_) != 0) return posix_error(errno, "cannot fsync", path_);
    return absl::OkStatus();
  }

  absl::Status check_linked() override {
    if (fd_ < 0) return closed_error();
    struct stat st;
    if (::fstat(fd_, &st) != 0) return posix_error(errno, "cannot stat", path_);
    if (st.st_nlink == 0) {
      return absl::DataLossError(
          absl::StrCat("file '", path_,
                       "' was deleted while open for writing (was its directory removed?);"
                       " what was written to it is gone"));
    }
    return absl::OkStatus();
  }

  absl::Status close() override {
    if (fd_ < 0) return absl::OkStatus();
    absl::Status s = flush_buffer();
    if (::close(fd_) != 0 && s.ok()) s = posix_error(errno, "cannot close", path_);
    fd_ = -1;
    return s;
  }

 private:
  static constexpr size_t kBufferBytes = size_t{64} << 10;

  absl::Status flush_buffer() {
    if (buffer_.empty()) return absl::OkStatus();
    absl::Status s = write_and_start_writeback(buffer_.data(), buffer_.size());
    // On failure the bytes may be partly written; dropping them keeps a
    // retry from duplicating records.
    buffer_.clear();
    return s;
  }

  absl::Status closed_error() const {
    return absl::FailedPreconditionError(absl::StrCat("file '", path_, "' is already closed"));
  }

  // Every kWritebackBytes written, asks the kernel to start writing them to
  // the device without waiting (as RocksDB's bytes_per_sync does). Left to
  // itself the kernel keeps up to 10% of RAM dirty, so close()'s fsync would
  // write a whole run's events at once: 10 M scalars (520 MB) took 380 ms
  // of fsync after 280 ms of writing; started early, the device works while
  // the caller logs. A refusal (tmpfs, old kernels) only loses the overlap.
  absl::Status write_and_start_writeback(const char* data, size_t n) {
    absl::Status s = write_fully(fd_, data, n, path_);
    if (!s.ok()) return s;
    written_ += n;
#if defined(__linux__)
    if (written_ - writeback_started_ >= kWritebackBytes) {
      (void)::sync_file_range(fd_, static_cast<off_t>(writeback_started_), 0, SYNC_FILE_RANGE_WRITE);
      writeback_started_ = written_;
    }
#endif
    return absl::OkStatus();
  }

  static constexpr uint64_t kWritebackBytes = uint64_t{1} << 20;

  int fd_;
  std::string path_;
  std::string buffer_;
  // Bytes this object wrote. Used as file offsets: for a file opened to
  // append, the hinted range merely starts earlier than it needs to.
  uint64_t written_ = 0;
  uint64_t writeback_started_ = 0;  // written_ when writeback was last started
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixSequentialFile() override { ::close(fd_); }

  absl::StatusOr<std::string_view> read(size_t n, char* scratch) override {
    for (;;) {
      ssize_t r = ::read(fd_, scratch, n);
      if (r >= 0) return std::string_view(scratch, static_cast<size_t>(r));
      if (errno != EINTR) return posix_error(errno, "cannot read", path_);
    }
  }

 private:
  int fd_;
  std::string path_;
};

class PosixEnv final : public Env {
 public:
  absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    const int fd = open_retrying(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return posix_error(errno, "cannot open for writing", path);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(fd, path));
  }

  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
    const int fd = open_retrying(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return posix_error(errno, "cannot open for reading", path);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return posix_error(err, "cannot stat", path);
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      // A FIFO blocks a reader, /dev/zero never ends: only regular files are read.
      return absl::FailedPreconditionError(absl::StrCat("'", path, "' is not a regular file (",
                                                        S_ISFIFO(st.st_mode)   ? "a FIFO"
                                                        : S_ISDIR(st.st_mode)  ? "a directory"
                                                        : S_ISSOCK(st.st_mode) ? "a socket"
                                                                               : "a device",
                                                        "); not read"));
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return std::unique_ptr<SequentialFile>(new PosixSequentialFile(fd, path));
  }

  absl::Status create_dirs(const std::string& path) override {
    std::vector<std::string> created;
    return create_dirs_reporting(path, &created);
  }

  absl::Status create_dirs_reporting(const std::string& path, std::vector<std::string>* created) override {
    if (path.empty()) return absl::InvalidArgumentError("create_dirs: the directory path is empty");
    // Create each prefix in turn, like mkdir -p; EEXIST is fine when the
    // existing thing is a directory. On failure the directories made so far
    // are removed again (a name too long used to leave 20 of them behind).
    const size_t first_new = created->size();
    absl::Status s;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = path.find('/', pos + 1);
      const std::string prefix = path.substr(0, pos);
      if (prefix.empty()) continue;
      if (::mkdir(prefix.c_str(), 0755) == 0) {
        created->push_back(prefix);
        continue;
      }
      const int err = errno;
      if (err == EEXIST) {
        struct stat st;
        if (::stat(prefix.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
        s = absl::FailedPreconditionError(
            absl::StrCat("cannot create directory '", path, "': '", prefix,
                         "' exists and is not a directory (choose another log directory)"));
      } else {
        s = posix_error(err, "cannot create directory",
                        prefix == path ? path : absl::StrCat(prefix, "' for '", path));
      }
      break;
    }
    if (s.ok()) return s;
    while (created->size() > first_new) {
      (void)::rmdir(created->back().c_str());
      created->pop_back();
    }
    return s;
  }

  absl::Status sync_dir(const std::string& path) override {
    const int fd = open_retrying(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return posix_error(errno, "cannot open directory", path);
    absl::Status s;
    // Some file systems cannot fsync a directory (EINVAL); their entries
    // are as durable as they will get.
    if (::fsync(fd) != 0 && errno != EINVAL) s = posix_error(errno, "cannot fsync directory", path);
    ::close(fd);
    return s;
  }

  absl::Status remove_dir(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return posix_error(errno, "cannot remove directory", path);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return posix_error(errno, "cannot list directory", path);
    std::vector<DirEntry> entries;
    for (;;) {
      errno = 0;
      struct dirent* entry = ::readdir(dir);
      if (entry == nullptr) {
        const int err = errno;
        ::closedir(dir);
        if (err != 0) return posix_error(err, "cannot list directory", path);
        break;
      }
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      bool is_dir = entry->d_type == DT_DIR;
      bool is_link = entry->d_type == DT_LNK;
      // Some file systems leave d_type unknown, and symlinks may point at directories.
      if (entry->d_type == DT_UNKNOWN) {
        struct stat st;
        is_link = ::lstat(join_path(path, name).c_str(), &st) == 0 && S_ISLNK(st.st_mode);
      }
      if (entry->d_type == DT_UNKNOWN || is_link) {
        struct stat st;
        is_dir = ::stat(join_path(path, name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      }
      entries.push_back(DirEntry{name, is_dir, is_link});
    }
    return entries;
  }

  absl::StatusOr<bool> is_directory(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return posix_error(errno, "cannot stat", path);
    return S_ISDIR(st.st_mode);
  }

  absl::StatusOr<FileId> file_id(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return posix_error(errno, "cannot stat", path);
    return FileId{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  }

  absl::Status remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return posix_error(errno, "cannot remove", path);
    return absl::OkStatus();
  }

  std::string host_name() override {
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
  }

  int64_t process_id() override { return static_cast<int64_t>(::getpid()); }

  // abseil's clock reads the TSC and is about twice as fast as
  // clock_gettime. A writer reads it for every event only when it was
  // given an Env (WriterOptions::env, even this one) and no clock; by
  // default it reads the kernel's coarse clock instead (writer.cc).
  double now_seconds() override {
    const int64_t ns = absl::GetCurrentTimeNanos();
    // Whole seconds and the rest apart: one double of nanoseconds since
    // 1970 would round away the sub-microsecond digits.
    const int64_t whole_seconds = ns / 1000000000;
    return static_cast<double>(whole_seconds) + static_cast<double>(ns % 1000000000) * 1e-9;
  }
};

}  // namespace

Env* Env::default_env() {
  static Env* const env = new PosixEnv;
  return env;
}

}  // namespace hp
