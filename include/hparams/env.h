// hp::Env: the file-system seam. Every byte the library reads or writes goes
// through it, so tests can inject faults (disk full, short writes, fsync
// failure) and remote stores can plug in later.
//
// Env::default_env() is the POSIX implementation. All methods are thread-safe;
// a WritableFile or SequentialFile is used by one thread at a time.
//
// The interface holds only what the library calls. A custom Env implements
// the pure virtual methods; the others (create_dirs_reporting, sync_dir,
// remove_dir, file_id, WritableFile::check_linked) have defaults, each
// documented with what it gives up.
//
// Errors: OS failures come back through absl::ErrnoToStatus (ENOENT ->
// NotFound, EACCES -> PermissionDenied, ENOSPC -> ResourceExhausted, ...)
// with a message naming the path and, where one helps, what to check.
//
// Example:
//   hp::Env* env = hp::Env::default_env();
//   absl::Status s = env->create_dirs("logs/run-0");
//   auto file = env->new_writable_file(hp::join_path("logs/run-0", "notes"));
//   if (!file.ok()) return file.status();
//   s = (*file)->append("hello");
//   if (s.ok()) s = (*file)->close();
#ifndef HPARAMS_ENV_H_
#define HPARAMS_ENV_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hparams/export.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// A file opened for writing. Data reaches the OS on flush() and stable
// storage on sync(). close() is idempotent; the destructor closes quietly.
class WritableFile {
 public:
  WritableFile() = default;
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;
  virtual ~WritableFile() = default;

  // Appends `data`. May buffer; a short write by the OS is retried, so an
  // error means the bytes may be partly on disk.
  virtual absl::Status append(std::string_view data) = 0;
  // Hands buffered bytes to the OS.
  virtual absl::Status flush() = 0;
  // flush(), then asks the OS to make the bytes durable (fsync).
  virtual absl::Status sync() = 0;
  virtual absl::Status close() = 0;
  // DataLoss when the open file has no name any more (deleted, or its
  // directory removed: `rm -rf logdir` under a live writer), so whatever is
  // written to it reaches no reader. OK otherwise, and by default, for files
  // that cannot tell. Unlike the other methods it may be called while
  // another thread is in append() or flush(), but not during close().
  virtual absl::Status check_linked() { return absl::OkStatus(); }
};

// A file read front to back.
class SequentialFile {
 public:
  SequentialFile() = default;
  SequentialFile(const SequentialFile&) = delete;
  SequentialFile& operator=(const SequentialFile&) = delete;
  virtual ~SequentialFile() = default;

  // Reads up to `n` bytes into `scratch` and returns the bytes read, which
  // may point into `scratch`. An empty result means end of file.
  virtual absl::StatusOr<std::string_view> read(size_t n, char* scratch) = 0;
};

struct DirEntry {
  std::string name;           // base name, never "." or ".."
  bool is_directory = false;  // what it names is a directory (symlinks followed)
  bool is_symlink = false;    // the entry itself is a symbolic link
};

// Identifies a file or directory whatever the path to it (device, inode), so
// a walk can tell it has been somewhere before.
struct FileId {
  uint64_t device = 0;
  uint64_t inode = 0;
  friend bool operator==(const FileId& a, const FileId& b) {
    return a.device == b.device && a.inode == b.inode;
  }
  friend bool operator<(const FileId& a, const FileId& b) {
    return a.device != b.device ? a.device < b.device : a.inode < b.inode;
  }
};

class Env {
 public:
  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env() = default;

  // The process-wide POSIX Env. Never null, never destroyed.
  static Env* default_env();

  // Creates (or truncates) `path` for writing.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) = 0;
  // Opens `path` for reading. Only regular files: anything else (a FIFO, a
  // device, a socket) is FailedPrecondition, and opening never blocks.
  virtual absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) = 0;

  // Creates `path` and its missing parents; an existing directory is fine.
  virtual absl::Status create_dirs(const std::string& path) = 0;
  // create_dirs(), also appending to `created` each directory this call
  // made, parents first, so a caller can make them durable (sync_dir of each
  // one's parent) or remove them again. The default asks is_directory()
  // before and after create_dirs(); override it where that can race.
  virtual absl::Status create_dirs_reporting(const std::string& path, std::vector<std::string>* created);
  // Makes the entries of directory `path` durable (fsync of the directory),
  // so that a file or directory created in it survives a power loss. The
  // default returns OK without doing anything, for stores without
  // directories.
  virtual absl::Status sync_dir(const std::string& path);
  // Removes the empty directory `path`. The default returns Unimplemented.
  virtual absl::Status remove_dir(const std::string& path);
  // The entries of directory `path`, in no particular order.
  virtual absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) = 0;
  // Whether `path` is a directory; NotFound if it does not exist.
  virtual absl::StatusOr<bool> is_directory(const std::string& path) = 0;
  // Removes the file `path` (what a failed SummaryWriter::create made).
  virtual absl::Status remove_file(const std::string& path) = 0;
  // The identity of what `path` names (symlinks followed). The default is
  // Unimplemented, so an Env without one still works: readers then rely on
  // not following symlinked directories alone.
  virtual absl::StatusOr<FileId> file_id(const std::string& path);

  // Used in event-file names; tests override them to get fixed names.
  virtual std::string host_name() = 0;
  virtual int64_t process_id() = 0;
  // Wall-clock time in seconds since the Unix epoch.
  virtual double now_seconds() = 0;
};

// An Env that forwards everything to another; subclass it to override a few
// calls (a fixed host name, an injected fault).
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    return target_->new_writable_file(path);
  }
  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    return target_->new_sequential_file(path);
  }
  absl::Status create_dirs(const std::string& path) override { return target_->create_dirs(path); }
  absl::Status create_dirs_reporting(const std::string& path, std::vector<std::string>* created) override {
    return target_->create_dirs_reporting(path, created);
  }
  absl::Status sync_dir(const std::string& path) override { return target_->sync_dir(path); }
  absl::Status remove_dir(const std::string& path) override { return target_->remove_dir(path); }
  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    return target_->list_dir(path);
  }
  absl::StatusOr<bool> is_directory(const std::string& path) override { return target_->is_directory(path); }
  absl::Status remove_file(const std::string& path) override { return target_->remove_file(path); }
  absl::StatusOr<FileId> file_id(const std::string& path) override { return target_->file_id(path); }
  std::string host_name() override { return target_->host_name(); }
  int64_t process_id() override { return target_->process_id(); }
  double now_seconds() override { return target_->now_seconds(); }

 private:
  Env* target_;
};

// Joins path pieces with '/', without doubling separators.
std::string join_path(std::string_view a, std::string_view b);

// The directory holding `path`: "a/b" -> "a", "a" -> ".", "/a" -> "/";
// trailing separators are ignored.
std::string parent_dir(std::string_view path);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_ENV_H_
