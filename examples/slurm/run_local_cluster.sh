#!/usr/bin/env bash
# Runs the seed sweep on a throwaway single-node Slurm cluster, for CI and
# for trying submit.sh without a cluster. Installs nothing (Debian 12:
# apt-get install slurmctld slurmd slurm-client munge); run as root.
#
#   run_local_cluster.sh LOGDIR
#
# Starts a private munged (its own socket, key copy, pid and log files) and
# slurmctld + slurmd from a private slurm.conf (SLURM_CONF), all state in a
# temporary directory; runs submit.sh on the 8-trial grid in direct mode with
# seed 0; waits for the array (starting the cluster and running the array
# take at most SWEEP_TIMEOUT seconds together, default 300);
# stops every daemon it started by the pid in its pid file, also on failure
# or interrupt. Then checks the experiment left in LOGDIR with
# `hparams check` and compares `hparams show` with a one-process run of the
# same grid and seed, trial for trial (SWEEP_COMPARE=0 skips that).
# Exit 0 only if all 8 tasks succeeded and both checks pass.
#
# Environment: HPARAMS_TUNING, HPARAMS_CLI (the binaries; default this
# checkout's build/release), SWEEP_TIMEOUT, SWEEP_COMPARE, SWEEP_FLAGS
# (extra flags for every trial, e.g. "--train-limit 5000"),
# KEEP_CLUSTER_STATE=1 (keep the daemons' logs and state directory).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
readonly TRIALS=8
readonly SWEEP_TIMEOUT=${SWEEP_TIMEOUT:-300}
readonly SWEEP_COMPARE=${SWEEP_COMPARE:-1}
read -r -a extra_flags <<<"${SWEEP_FLAGS:-}"
readonly FLAGS=(--mode direct --seed 0 "${extra_flags[@]}")
export HPARAMS_TUNING=${HPARAMS_TUNING:-$repo/build/release/examples/hparams_tuning/hparams_tuning}
readonly HPARAMS_CLI=${HPARAMS_CLI:-$repo/build/release/tools/hparams}

log() { echo "[local-slurm +$((SECONDS - start))s] $*"; }
die() { echo "run_local_cluster.sh: $*" >&2; exit 1; }
start=$SECONDS
deadline=$((start + SWEEP_TIMEOUT))

[ $# -eq 1 ] || { echo "usage: $0 LOGDIR" >&2; exit 2; }
logdir=$1
[ "$(id -u)" -eq 0 ] || die "must run as root (it starts munged, slurmctld and slurmd)"
for tool in /usr/sbin/munged slurmctld slurmd sbatch squeue scontrol sinfo runuser; do
  command -v "$tool" >/dev/null ||
    die "$tool not found: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
done
[ -x "$HPARAMS_TUNING" ] || die "$HPARAMS_TUNING missing: cmake --build --preset release"
[ -x "$HPARAMS_CLI" ] || die "$HPARAMS_CLI missing: cmake --build --preset release"
[ -e "$logdir" ] && [ -n "$(ls -A "$logdir" 2>/dev/null)" ] && die "$logdir is not empty: give a fresh LOGDIR"

# Everything the cluster owns lives here; munged insists that the path to its
# files is not writable by others and its socket directory is searchable by
# all, hence 0755 and a munge-owned subdirectory.
state=$(mktemp -d /tmp/hparams-slurm.XXXXXX)
chmod 755 "$state"
PIDFILES=()

stop_daemons() {
  local rc=$?
  trap - EXIT INT TERM
  # Reverse start order: the Slurm daemons still talk to munged while stopping.
  local i pid
  for ((i = ${#PIDFILES[@]} - 1; i >= 0; i--)); do
    pid=$(cat "${PIDFILES[i]}" 2>/dev/null || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  # They linger a couple of seconds after SIGTERM; a stuck one gets SIGKILL.
  for ((i = ${#PIDFILES[@]} - 1; i >= 0; i--)); do
    pid=$(cat "${PIDFILES[i]}" 2>/dev/null || true)
    [ -n "$pid" ] || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for f in "$state"/log/*.log; do
      [ -f "$f" ] && { echo "--- $f (last lines)"; tail -n 20 "$f"; }
    done
    for f in "$logdir.slurm"/task-*.out; do
      [ -f "$f" ] && { echo "--- $f (last lines)"; tail -n 5 "$f"; }
    done
  fi
  if [ "${KEEP_CLUSTER_STATE:-0}" = 1 ]; then
    echo "cluster state kept in $state"
  else
    rm -rf "$state"
  fi
  log "daemons stopped"
  exit "$rc"
}
trap stop_daemons EXIT
trap 'exit 130' INT TERM

# A daemon's pid file, once it has written one (they fork into the background).
wait_for_pidfile() {
  local file=$1 name=$2
  for _ in $(seq 100); do
    [ -s "$file" ] && return 0
    sleep 0.1
  done
  die "$name did not start (no $file)"
}

# Two free TCP ports from 20000 up: another cluster (or a system slurmctld) may hold 6817/6818.
free_port() {
  local port=$1
  while ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || [ "$port" = "${taken:-}" ]; do
    port=$((port + 1))
  done
  echo "$port"
}

# --- munge -------------------------------------------------------------------
mkdir -p "$state/munge" "$state/log" "$state/spool/ctld" "$state/spool/d"
install -d -m 0755 -o munge -g munge "$state/munge"
if [ -r /etc/munge/munge.key ]; then
  install -m 0400 -o munge -g munge /etc/munge/munge.key "$state/munge/munge.key"
else
  # Any 1024 random bits do for a cluster of one.
  head -c 128 /dev/urandom >"$state/munge/munge.key"
  chown munge:munge "$state/munge/munge.key"
  chmod 0400 "$state/munge/munge.key"
fi
readonly MUNGE_SOCKET=$state/munge/munge.socket
runuser -u munge -- /usr/sbin/munged \
  --socket="$MUNGE_SOCKET" --key-file="$state/munge/munge.key" \
  --pid-file="$state/munge/munged.pid" --log-file="$state/munge/munged.log" \
  --seed-file="$state/munge/munged.seed"
PIDFILES+=("$state/munge/munged.pid")
wait_for_pidfile "$state/munge/munged.pid" munged
log "munged up (socket $MUNGE_SOCKET)"

# --- slurm.conf --------------------------------------------------------------
ctld_port=$(free_port $((20000 + RANDOM % 20000)))
taken=$ctld_port
d_port=$(free_port $((ctld_port + 1)))
memory=$(slurmd -C | sed -nE 's/.*RealMemory=([0-9]+).*/\1/p')
[ -n "$memory" ] || die "slurmd -C printed no RealMemory"
export SLURM_CONF=$state/slurm.conf
# The cgroup plugins fail in containers and drain the node: linuxproc and no
# task plugin instead; no accounting daemon.
cat >"$SLURM_CONF" <<CONF
ClusterName=hparams-local
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

# --- slurmctld, slurmd ---------------------------------------------------------
slurmctld -c
PIDFILES+=("$state/slurmctld.pid")
wait_for_pidfile "$state/slurmctld.pid" slurmctld
slurmd -N localhost
PIDFILES+=("$state/slurmd.pid")
wait_for_pidfile "$state/slurmd.pid" slurmd
node_state=""
for _ in $(seq 300); do
  node_state=$(sinfo -h -N -n localhost -o %t 2>/dev/null || true)
  [ "$node_state" = idle ] && break
  [ "$SECONDS" -lt "$deadline" ] || break
  sleep 0.1
done
[ "$node_state" = idle ] || die "the node is '$node_state', not idle, after 30 s"
log "cluster idle (slurmctld :$ctld_port, slurmd :$d_port, $(nproc) CPUs)"

# --- the sweep -----------------------------------------------------------------
sweep_start=$SECONDS
job=$("$here/submit.sh" "$logdir" "${FLAGS[@]}")
job=${job%%;*}
log "submitted array job $job (${TRIALS} tasks)"

# Every task's line: "<state> <exit code>". Finished tasks stay visible to
# scontrol for MinJobAge (300 s) without an accounting database.
task_states() { scontrol -o show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' || true; }
while :; do
  states=$(task_states)
  done_count=$(grep -cE 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)' <<<"$states" || true)
  pending=$(grep -cE 'JobState=(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED)' <<<"$states" || true)
  [ "$pending" -eq 0 ] && [ "$done_count" -ge "$TRIALS" ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    scancel "$job" 2>/dev/null || true
    die "cluster and array not done within ${SWEEP_TIMEOUT} s (SWEEP_TIMEOUT): $(tr '\n' ' ' <<<"$states")"
  fi
  sleep 0.5
done
completed=$(grep -c 'JobState=COMPLETED' <<<"$states" || true)
log "array done in $((SECONDS - sweep_start)) s: $completed of $TRIALS tasks completed"
[ "$completed" -eq "$TRIALS" ] || die "$((TRIALS - completed)) task(s) failed: $(tr '\n' ' ' <<<"$states")"

# --- what the sweep left -------------------------------------------------------
"$HPARAMS_CLI" check "$logdir" || die "hparams check found problems in $logdir"
if [ "$SWEEP_COMPARE" = 1 ]; then
  one_process=$state/one_process
  "$HPARAMS_TUNING" --logdir "$one_process" "${FLAGS[@]}" >"$state/one_process.out" ||
    die "the one-process run failed: $(tail -n 5 "$state/one_process.out")"
  if ! diff <("$HPARAMS_CLI" show "$one_process") <("$HPARAMS_CLI" show "$logdir"); then
    die "the sweep differs from the one-process run (left: one process, right: the sweep)"
  fi
  log "sweep equals the one-process run, trial for trial"
fi
"$HPARAMS_CLI" show "$logdir" --sort accuracy --desc
log "experiment left in $logdir"
