#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo
# available): installs the Debian packages hparams-cpp needs, then
#   demo   builds and runs the seed's tuning experiment (8 trials, Fashion-MNIST)
#   test   builds and runs every test: plain build, then ASan+UBSan, then TSan
#   build  only configures and builds the release tree (build/release)
# Build trees live under build/ (ignored by git). Extra arguments after
# `demo` go to the hparams_tuning example.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libabsl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libeigen3-dev
  dataset-fashion-mnist git ccache
)
readonly JOBS="${JOBS:-$(nproc)}"

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

run_tests() {
  local start=$SECONDS
  echo "== release build: all tests"
  build_release
  run_ctest release -LE consumer

  echo "== ASan+UBSan build: unit and golden tests"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$JOBS"
  run_ctest asan

  echo "== TSan build: concurrency tests"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$JOBS"
  run_ctest tsan

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
    *) echo "usage: $0 demo|test|build" >&2; exit 2 ;;
  esac
}

main "$@"
