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
  dataset-fashion-mnist
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

run_tests() {
  local start=$SECONDS
  echo "== release build: all tests"
  build_release
  ctest --preset release -j "$JOBS"

  echo "== ASan+UBSan build: unit and golden tests"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$JOBS"
  ctest --preset asan -j "$JOBS"

  echo "== TSan build: concurrency tests"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$JOBS"
  ctest --preset tsan -j "$JOBS"
  echo "== all test stages passed in $((SECONDS - start)) s"
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
