#!/usr/bin/env bash
# Submits the seed's 8-trial sweep as one Slurm job array.
#
#   submit.sh [--wait] LOGDIR [HPARAMS_TUNING_FLAGS...]
#   e.g. submit.sh /shared/logs/hparam_tuning --mode direct --seed 0
#
# Writes the experiment config once at the root of LOGDIR (hparams_tuning
# --config-only), then submits sweep.sbatch with --array=0-7: task N trains
# trial N into LOGDIR/run-N. The flags go to the config and to every task
# alike. Prints the array's job id on stdout. Each task's output goes to
# LOGDIR.slurm/task-N.out, beside (not inside) the logdir.
#
# --wait   wait for the whole array (sbatch --wait); the exit status is then
#          the highest of the tasks'.
#
# Environment:
#   HPARAMS_TUNING  the hparams_tuning binary (default: hparams_tuning on PATH,
#                   else this checkout's build/release/examples/hparams_tuning/)
#   SBATCH_*        site options sbatch itself reads (SBATCH_PARTITION,
#                   SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...)
# On a real cluster the binary, this directory and LOGDIR must be on a
# filesystem every compute node mounts.
set -euo pipefail

readonly TRIALS=8  # the seed grid: num_units x dropout x optimizer
here=$(cd "$(dirname "$0")" && pwd)

wait_flag=()
if [ "${1:-}" = "--wait" ]; then
  wait_flag=(--wait)
  shift
fi
if [ $# -lt 1 ] || [ "${1:0:1}" = "-" ]; then
  echo "usage: $0 [--wait] LOGDIR [HPARAMS_TUNING_FLAGS...]" >&2
  exit 2
fi
logdir=$1
shift

tuning=${HPARAMS_TUNING:-}
if [ -z "$tuning" ]; then
  tuning=$(command -v hparams_tuning || true)
  [ -n "$tuning" ] || tuning="$here/../../build/release/examples/hparams_tuning/hparams_tuning"
fi
if [ ! -x "$tuning" ]; then
  echo "$0: $tuning is not an executable: build the example (cmake --build --preset release)" \
    "or set HPARAMS_TUNING" >&2
  exit 2
fi
command -v sbatch >/dev/null || { echo "$0: sbatch not found: run this on a Slurm login node" >&2; exit 2; }

# The batch script runs elsewhere, later: every path it gets must be absolute.
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
tuning=$(cd "$(dirname "$tuning")" && pwd)/$(basename "$tuning")
mkdir -p "$logdir.slurm"

# Once, here: array tasks running it would leave one config per task in the root.
"$tuning" --config-only --logdir "$logdir" "$@" >&2

sbatch --parsable "${wait_flag[@]}" --array="0-$((TRIALS - 1))" \
  --output="$logdir.slurm/task-%a.out" \
  "$here/sweep.sbatch" "$tuning" "$logdir" "$@"
