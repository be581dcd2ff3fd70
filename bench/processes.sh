# Sourced by bench/overhead.sh and bench/node-overhead.sh: the processes a benchmark starts (stopped on
# exit), free ports, and what /proc says a process has used.

PIDS=()
# Drops a PID that has been waited for, so cleanup never signals a number the system may reuse.
forget() {
  local keep=() pid
  for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
  PIDS=("${keep[@]}")
}
# Stops every process in PIDS (TERM, then KILL after 3 s) and removes $TRIAGE_BENCH_DIR.
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$TRIAGE_BENCH_DIR"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# CPU time (user + system, clock ticks) a process has used so far: fields 14 and 15 of /proc/PID/stat
# (counted after the ")" that ends the command name, which may hold spaces).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { sed -E 's/.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 " " $13}' || echo "0 0"; }

# status_kb PID KEY: a kB field of /proc/PID/status (VmRSS, VmHWM), 0 once the process is gone.
status_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
