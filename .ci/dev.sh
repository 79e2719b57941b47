#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo
# available): installs the Debian packages hparams-cpp needs, then
#   demo   builds and runs the seed's tuning experiment (8 trials, Fashion-MNIST)
#   test   runs every check: the static ones (format-check, thread-safety, tidy),
#          then every test in a plain build, then ASan+UBSan, then TSan, then each
#          libFuzzer harness for FUZZ_SECONDS (default 45) when clang is present
#   build  only configures and builds the release tree (build/release)
#   format-check  lists the C++ files clang-format 14 would change (fails if any)
#   format-fix    rewrites them in place
#   thread-safety builds the library with clang's -Wthread-safety as an error
#                 (build/thread-safety) and checks the flag catches a violation
#   tidy   clang-tidy 14 (.clang-tidy) on the library sources, warnings as errors
#   libtorch  builds and smoke-tests examples/libtorch (small --train-limit, hparams check)
#   slurm  runs the seed sweep as a job array on a throwaway local Slurm cluster
# Build trees live under build/ (ignored by git). Extra arguments after
# `demo` go to the hparams_tuning example.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libabsl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libeigen3-dev
  dataset-fashion-mnist git ccache
  libtorch-dev
  slurmctld slurmd slurm-client munge
  clang libclang-rt-14-dev clang-format clang-tidy
)
readonly JOBS="${JOBS:-$(nproc)}"
# A rebuild of an unchanged tree (the consumer projects, a second clone) costs
# seconds instead of minutes when ccache is there.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}" CCACHE_BASEDIR="$PWD"
fi

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_release() {
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$JOBS"
}

run_demo() {
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$JOBS" --target hparams_tuning hparams_cli
  ./build/release/examples/hparams_tuning/hparams_tuning "$@"
}

# examples/libtorch on a slice of Fashion-MNIST, then `hparams check` on what it logged.
run_libtorch_smoke() {
  local start=$SECONDS
  echo "== LibTorch example: smoke test"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$JOBS" --target hparams_libtorch hparams_cli
  local bin=build/release/examples/libtorch/hparams_libtorch
  [ -x "$bin" ] || { echo "$bin was not built: is libtorch-dev installed?" >&2; return 1; }
  local logdir
  logdir=$(mktemp -d)
  "$bin" --logdir "$logdir" --train-limit 2000 --seed 0
  ./build/release/tools/hparams check "$logdir"
  rm -rf "$logdir"
  echo "== LibTorch smoke test passed in $((SECONDS - start)) s"
}

# The seed sweep as a Slurm job array on a throwaway single-node cluster;
# the script compares it with a one-process run, trial for trial.
run_slurm_sweep() {
  local start=$SECONDS
  echo "== Slurm job array: the seed sweep on a local cluster"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$JOBS" --target hparams_tuning hparams_cli
  local logdir
  logdir=$(mktemp -d)
  rmdir "$logdir"
  local rc=0
  examples/slurm/run_local_cluster.sh "$logdir" || rc=$?
  rm -rf "$logdir" "$logdir.slurm"
  [ "$rc" -eq 0 ] || return "$rc"
  echo "== Slurm sweep passed in $((SECONDS - start)) s"
}

# --- Static checks: formatting, clang-tidy, clang's thread-safety analysis ---

# Prefers the LLVM 14 tool (Debian 12's): another clang-format version formats
# some constructs differently, and the tree is formatted by 14.
llvm_tool() {
  if command -v "$1-14" >/dev/null; then
    echo "$1-14"
  elif command -v "$1" >/dev/null; then
    echo "$1"
  else
    echo "$1 not found (Debian: apt-get install $1)" >&2
    return 1
  fi
}

# Our C++ files, tracked or new: golden data is copied byte for byte from
# elsewhere and generated protobuf code lives in build/, so neither is ours to format.
format_files() {
  local dirs=(include src tools tests bench examples fuzz .ci)
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- "${dirs[@]}"
  else
    find "${dirs[@]}" -type f
  fi | grep -E '\.(h|cc)$' | grep -v '^tests/golden/' | sort -u
}

run_format_check() {
  local start=$SECONDS clang_format f formatted changed removed=0 added=0
  clang_format=$(llvm_tool clang-format)
  echo "== format check: $clang_format, .clang-format"
  formatted=$(mktemp)
  local bad=()
  while IFS= read -r f; do
    [ -f "$f" ] || continue  # deleted but still in the index
    "$clang_format" --style=file "$f" >"$formatted"
    changed=$(diff "$f" "$formatted" || true)
    [ -z "$changed" ] && continue
    bad+=("$f")
    removed=$((removed + $(grep -c '^<' <<<"$changed" || true)))
    added=$((added + $(grep -c '^>' <<<"$changed" || true)))
  done < <(format_files)
  rm -f "$formatted"
  if [ ${#bad[@]} -gt 0 ]; then
    printf '  %s\n' "${bad[@]}"
    echo "${#bad[@]} files are not formatted ($removed lines would be replaced by $added):" \
      "run bash .ci/dev.sh format-fix"
    return 1
  fi
  echo "== format check passed in $((SECONDS - start)) s"
}

run_format_fix() {
  local clang_format f n=0
  clang_format=$(llvm_tool clang-format)
  while IFS= read -r f; do
    [ -f "$f" ] || continue
    if ! "$clang_format" --style=file --dry-run -Werror "$f" 2>/dev/null; then
      "$clang_format" --style=file -i "$f"
      echo "  formatted $f"
      n=$((n + 1))
    fi
  done < <(format_files)
  echo "$n files formatted"
}

# .ci/thread_safety_probe.cc, compiled with exactly the compiler and flags the
# thread-safety build was configured with, must be rejected for its unlocked
# write, and accepted with the lock held: a flag that stopped reaching the
# compiler, or an annotation macro that expands to nothing, fails the stage.
run_thread_safety_probe() {
  local cache=build/thread-safety/CMakeCache.txt cxx flags out
  cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
  read -r -a flags <<<"$(sed -n 's/^CMAKE_CXX_FLAGS:[A-Z]*=//p' "$cache")"
  local cmd=("$cxx" -std=c++17 -fsyntax-only "${flags[@]}" -Isrc -Iinclude .ci/thread_safety_probe.cc)
  if ! out=$("${cmd[@]}" -DHPARAMS_PROBE_HOLDS_LOCK 2>&1); then
    echo "$out"
    echo "the thread-safety probe does not compile even with its lock held: ${cmd[*]}" >&2
    return 1
  fi
  if out=$("${cmd[@]}" 2>&1); then
    echo "the thread-safety probe compiled: '${flags[*]}' does not reject an unlocked write" >&2
    return 1
  fi
  if ! grep -q "requires holding mutex 'mu_'" <<<"$out"; then
    echo "$out"
    echo "the thread-safety probe failed, but not for its unlocked write" >&2
    return 1
  fi
  echo "thread-safety probe: the unlocked write is rejected, the locked one accepted"
}

run_thread_safety() {
  local start=$SECONDS
  echo "== clang -Wthread-safety build: the library's locking discipline"
  cmake --preset thread-safety >/dev/null
  cmake --build --preset thread-safety -j "$JOBS"
  run_thread_safety_probe
  echo "== thread-safety build passed in $((SECONDS - start)) s"
}

# clang-tidy on every library source (src/, and the src/ and include/ headers
# they include), with the thread-safety build's compile_commands.json; any
# finding fails (WarningsAsErrors in .clang-tidy).
run_tidy() {
  local start=$SECONDS clang_tidy
  clang_tidy=$(llvm_tool clang-tidy)
  echo "== clang-tidy on the library sources: $clang_tidy, .clang-tidy"
  cmake --preset thread-safety >/dev/null
  # The sources include the generated protobuf headers: generate them (only).
  cmake --build --preset thread-safety --target hparams_generated_protos
  # Every src/ file the library compiles, one clang-tidy per file and JOBS at
  # once; each file's findings are printed together, without the count of
  # warnings it hid in system headers.
  local rc=0
  grep -o '"file": "[^"]*"' build/thread-safety/compile_commands.json | sed 's/^"file": "//; s/"$//' |
    grep "^$PWD/src/" | sort -u | xargs -P "$JOBS" -I{} sh -c \
    'out=$("$0" -p build/thread-safety --quiet "$1" 2>&1); rc=$?
     printf "%s\n" "$out" | grep -Ev "^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$"
     exit $rc' "$clang_tidy" {} || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "clang-tidy found problems (above): fix them, or turn a check off in .clang-tidy saying why" >&2
    return 1
  fi
  echo "== clang-tidy passed in $((SECONDS - start)) s"
}

TOTAL_PASSED=0
TOTAL_FAILED=0
# ctest --preset NAME, adding its counts to the totals printed at the end.
run_ctest() {
  local log
  log=$(mktemp)
  local rc=0
  ctest --preset "$@" -j "$JOBS" 2>&1 | tee "$log" || rc=$?
  local line total failed
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  rm -f "$log"
  if [ -n "$line" ]; then
    failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    TOTAL_PASSED=$((TOTAL_PASSED + total - failed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
  fi
  if [ "$rc" -ne 0 ]; then
    echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
    return "$rc"
  fi
}

# Each fuzz/ harness for FUZZ_SECONDS under ASan+UBSan, from a scratch copy
# of its seed corpus; a crash, leak, timeout or OOM fails the stage.
run_fuzzers() {
  if ! command -v clang++ >/dev/null; then
    echo "== fuzzers: skipped (no clang++)"
    return 0
  fi
  echo "== libFuzzer harnesses under ASan+UBSan"
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS=-O1 -DHPARAMS_SANITIZE=address,undefined \
    -DHPARAMS_BUILD_FUZZERS=ON -DHPARAMS_BUILD_TESTS=OFF -DHPARAMS_BUILD_EXAMPLES=OFF \
    -DHPARAMS_BUILD_BENCHMARKS=OFF -DHPARAMS_BUILD_TOOLS=OFF -DHPARAMS_INSTALL=OFF >/dev/null
  cmake --build build/fuzz -j "$JOBS"
  local seconds="${FUZZ_SECONDS:-45}" scratch name rc
  scratch=$(mktemp -d)
  for name in record_reader view specs; do
    cp -r "fuzz/corpus/$name" "$scratch/$name"
    rc=0
    ./build/fuzz/fuzz/${name}_fuzzer -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="build/fuzz/${name}-" "$scratch/$name" >"$scratch/$name.log" 2>&1 || rc=$?
    grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|Done [0-9]+ runs' "$scratch/$name.log" || true
    if [ "$rc" -ne 0 ]; then
      tail -n 60 "$scratch/$name.log"
      rm -rf "$scratch"
      echo "fuzzer $name failed (exit $rc); the input is in build/fuzz/${name}-*"
      return 1
    fi
  done
  rm -rf "$scratch"
}

run_tests() {
  local start=$SECONDS
  # The cheap static checks first: a misformatted file fails in seconds.
  run_format_check
  run_thread_safety
  run_tidy

  echo "== release build: all tests"
  build_release
  run_ctest release -LE consumer
  run_libtorch_smoke
  run_slurm_sweep

  echo "== ASan+UBSan build: unit and golden tests"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$JOBS"
  run_ctest asan

  echo "== TSan build: concurrency tests"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$JOBS"
  run_ctest tsan
  run_fuzzers

  # Builds tiny user projects against the release tree, one per way to get
  # the library (find_package, add_subdirectory, FetchContent, pkg-config
  # static and shared); ccache keeps their library rebuilds short.
  echo "== consumer projects: every packaging path"
  if command -v ccache >/dev/null; then
    CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$PWD" run_ctest release -L consumer
  else
    run_ctest release -L consumer
  fi
  echo "== all test stages passed in $((SECONDS - start)) s"
  echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    demo) install_packages; run_demo "$@" ;;
    test) install_packages; run_tests ;;
    build) install_packages; build_release ;;
    libtorch) install_packages; run_libtorch_smoke ;;
    slurm) install_packages; run_slurm_sweep ;;
    format-check) install_packages; run_format_check ;;
    format-fix) install_packages; run_format_fix ;;
    thread-safety) install_packages; run_thread_safety ;;
    tidy) install_packages; run_tidy ;;
    *) echo "usage: $0 demo|test|build|libtorch|slurm|format-check|format-fix|thread-safety|tidy" >&2; exit 2 ;;
  esac
}

main "$@"
