#!/usr/bin/env bash
# Measures the latency Triage adds to a call: the same fixed-rate load goes straight to a fake
# OpenAI upstream and through the gateway to that upstream, alternately, in one run. See
# bench/README.md for the method. Settings come from the environment:
#   BENCH_RATES="500 1000 2000"  BENCH_DURATION=20  BENCH_WARMUP=5  BENCH_CONNECTIONS=50
#   BENCH_STREAM=0|1 (1: every request streams; the upstream answers with 100 SSE chunks)
#   BENCH_PROFILE=0|1 (1: record the gateway's CPU samples with JFR after priming and write a flame graph,
#   bench/results/<run>/gateway.svg; the recording costs the gateway some CPU, so read figures from unprofiled runs)
#   BENCH_ROUNDS=1 (direct/gateway pairs per rate)  BENCH_PRIME=60 (s of unmeasured load first: the JIT compiles for ~40 s)
#   BENCH_PIN=none|split  BENCH_NICE=-10 (root only)  GATEWAY_JAVA_OPTS (default: the ./triage launcher's $TRIAGE_DEFAULT_JAVA_OPTS)
#   TRIAGE_GATEWAY_CMD (replaces the gateway command, e.g. to measure another gateway)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RATES=${BENCH_RATES:-"500 1000 2000"}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-1}
PRIME=${BENCH_PRIME:-60}
PIN=${BENCH_PIN:-none}
STREAM=${BENCH_STREAM:-0}
PROFILE=${BENCH_PROFILE:-0}
UPSTREAM_PORT=18081 # fixed: bench/overhead-config.yaml points the provider here
GATEWAY_PORT=18080  # fixed: bench/overhead-config.yaml serves here
CONFIG=bench/overhead-config.yaml
BENCH_JAR=triage-bench/target/triage-bench.jar
GATEWAY_JAR=triage-server/target/triage.jar
# Both tools allocate almost nothing per request; a small fixed serial heap keeps their pauses tiny.
TOOL_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m -XX:+AlwaysPreTouch"

die() { echo "overhead.sh: $*" >&2; exit 1; }

# ---- a JDK >= 21, found like the rest of the project ----
. scripts/find-java.sh
triage_find_java || die "no JDK 21 or newer found"
JAVA="$JAVA_HOME/bin/java"
command -v curl >/dev/null || die "curl is needed to probe the gateway's /readyz"

# ---- build if a jar is missing or older than the sources ----
needs_build() {
  local jar
  for jar in "$@"; do
    [[ -f "$jar" ]] || return 0
    [[ -z $(find pom.xml triage-*/pom.xml triage-*/src -newer "$jar" -print -quit 2>/dev/null) ]] || return 0
  done
  return 1
}
if [[ -n "${TRIAGE_GATEWAY_CMD:-}" ]]; then JARS=("$BENCH_JAR"); else JARS=("$BENCH_JAR" "$GATEWAY_JAR"); fi
if needs_build "${JARS[@]}"; then
  echo "building (./mvnw -q -DskipTests package) ..." >&2
  ./mvnw -q -DskipTests package || die "build failed"
fi
[[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR is missing after the build"

# ---- where the processes run ----
# none: every process may use both cores, as the gateway would in production (the default: the tools
#       cost ~10% of one core each at 2,000 req/s, and pinning the gateway to one core would change
#       its JVM's ergonomics: one GC thread, one compiler thread).
# split: the load generator and the upstream on CPU 0, the gateway on CPU 1.
TOOLS_CPU=() GATEWAY_CPU=()
case "$PIN" in
  none) ;;
  split)
    command -v taskset >/dev/null || die "BENCH_PIN=split needs taskset"
    TOOLS_CPU=(taskset -c 0) GATEWAY_CPU=(taskset -c 1) ;;
  *) die "BENCH_PIN must be none or split, got $PIN" ;;
esac
# A raised priority, equal for all three processes, keeps unrelated work on the machine (builds)
# from landing in the measured tail. Only root may raise it.
NICE=${BENCH_NICE:-$([[ $(id -u) == 0 ]] && echo -10 || echo 0)}
PRIO=(nice -n "$NICE")

# ---- run directory and cleanup ----
RUN_ID=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR="$ROOT/bench/results/$RUN_ID"
mkdir -p "$RESULTS_DIR"
RESULTS="$RESULTS_DIR/results.jsonl"
: > "$RESULTS"
TRIAGE_BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/triage-bench.XXXXXX")
export TRIAGE_BENCH_DIR

# The request body: the load generator's default, or the same request streamed.
EXTRA_LOAD_ARGS=""
if [[ $STREAM == 1 ]]; then
  printf '%s' '{"model":"fake-model","stream":true,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":128}' \
    > "$TRIAGE_BENCH_DIR/stream.json"
  EXTRA_LOAD_ARGS="--body-file $TRIAGE_BENCH_DIR/stream.json"
elif [[ $STREAM != 0 ]]; then
  die "BENCH_STREAM must be 0 or 1, got $STREAM"
fi

. bench/processes.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free "$UPSTREAM_PORT" || die "port $UPSTREAM_PORT is in use (the fake upstream needs it)"
port_free "$GATEWAY_PORT" || die "port $GATEWAY_PORT is in use (the gateway needs it)"

# ---- fake upstream ----
"${PRIO[@]}" "${TOOLS_CPU[@]}" "$JAVA" $TOOL_JAVA_OPTS -cp "$BENCH_JAR" dev.triage.bench.FakeOpenAiUpstream \
  --port "$UPSTREAM_PORT" > "$RESULTS_DIR/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
for _ in $(seq 1 100); do ! port_free "$UPSTREAM_PORT" && break; sleep 0.1; done
port_free "$UPSTREAM_PORT" && die "the fake upstream did not start: $(tail -5 "$RESULTS_DIR/upstream.log")"

# ---- gateway ----
if [[ -n "${TRIAGE_GATEWAY_CMD:-}" ]]; then
  read -r -a GATEWAY_ARGV <<< "$TRIAGE_GATEWAY_CMD"
else
  [[ -f "$GATEWAY_JAR" ]] || die "$GATEWAY_JAR is missing after the build"
  read -r -a GATEWAY_OPTS <<< "${GATEWAY_JAVA_OPTS:-$TRIAGE_DEFAULT_JAVA_OPTS}"
  # Jetty and Javalin stacks are deep: JFR's default of 64 frames would cut most of them.
  [[ $PROFILE == 1 ]] && GATEWAY_OPTS+=(-XX:FlightRecorderOptions:stackdepth=512)
  GATEWAY_ARGV=("$JAVA" "${GATEWAY_OPTS[@]}" -jar "$GATEWAY_JAR" serve --config "$CONFIG")
fi
"${PRIO[@]}" "${GATEWAY_CPU[@]}" "${GATEWAY_ARGV[@]}" > "$RESULTS_DIR/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
ready=0
for _ in $(seq 1 120); do
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway exited while starting; last lines of its log:
$(tail -20 "$RESULTS_DIR/gateway.log")"
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/readyz" || true) == 200 ]]; then
    ready=1; break
  fi
  sleep 0.5
done
(( ready )) || die "the gateway's /readyz did not answer 200 within 60 s (log: $RESULTS_DIR/gateway.log)"

DIRECT_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"


# thread_ticks PID: one line per live thread of the process: its name (digits replaced by #, so a
# pool's threads add up) and its user + system clock ticks so far.
thread_ticks() {
  local f
  for f in /proc/"$1"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)/\1|\2/' "$f" 2>/dev/null | awk -F'|' '{
      name = $1; gsub(/[0-9]+/, "#", name); gsub(/ /, "_", name); split($2, v, " "); print name, v[11] + v[12] }'
  done
}

# thread_table BEFORE AFTER REQUESTS: CPU µs per request by thread name between two thread_ticks
# snapshots (a thread that ended in between is missed), largest first.
thread_table() {
  awk -v hz="$CLK_TCK" -v n="$3" 'FNR == NR {before[$1] += $2; next} {after[$1] += $2}
    END {for (t in after) { d = after[t] - before[t]; if (d > 0) printf "%8.1f  %s\n", d * 1e6 / hz / n, t }}' \
    "$1" "$2" | sort -rn
}

# load LABEL URL RATE DURATION WARMUP [CPU_PID]: one load-generator run. Its JSON line is appended to
# $RESULTS and left in $LAST. With CPU_PID, the line gets cpu_us_per_request: the CPU time that process
# used over the measured part of the run (after the warm-up) divided by the requests measured.
# Not run in $(...): a subshell's PID list would not reach cleanup.
LAST=""
load() {
  local out="$RESULTS_DIR/.last" cpu_pid=${6:-} cpu0="0 0" cpu1="0 0"
  "${PRIO[@]}" "${TOOLS_CPU[@]}" "$JAVA" $TOOL_JAVA_OPTS -cp "$BENCH_JAR" dev.triage.bench.LoadGenerator \
    --label "$1" --url "$2" --rate "$3" --duration "$4" --warmup "$5" --connections "$CONNECTIONS" $EXTRA_LOAD_ARGS > "$out" &
  local pid=$!
  PIDS+=("$pid")
  if [[ -n $cpu_pid ]]; then
    # The load generator starts its clock about half a second after its JVM; the warm-up follows.
    sleep "$(awk -v w="$5" 'BEGIN {print w + 0.5}')"
    cpu0=$(cpu_ticks "$cpu_pid")
    thread_ticks "$cpu_pid" > "$RESULTS_DIR/.threads0"
  fi
  wait "$pid" || die "the load generator failed ($1 at $3 req/s)"
  forget "$pid"
  LAST=$(tail -1 "$out")
  if [[ -n $cpu_pid ]]; then
    cpu1=$(cpu_ticks "$cpu_pid")
    thread_ticks "$cpu_pid" > "$RESULTS_DIR/.threads1"
    local requests
    requests=$(field "$LAST" requests)
    { echo "# $1: CPU µs per request by thread (user + system)"
      thread_table "$RESULTS_DIR/.threads0" "$RESULTS_DIR/.threads1" "$requests"; echo; } >> "$RESULTS_DIR/threads.txt"
    rm -f "$RESULTS_DIR/.threads0" "$RESULTS_DIR/.threads1"
    LAST=$(awk -v line="$LAST" -v c0="$cpu0" -v c1="$cpu1" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {
      split(c0, a, " "); split(c1, b, " "); u = b[1] - a[1]; s = b[2] - a[2]; k = (n > 0 ? 1e6 / hz / n : 0)
      printf "%s,\"cpu_us_per_request\":%.0f,\"cpu_user_us_per_request\":%.0f,\"cpu_sys_us_per_request\":%.0f}",
        substr(line, 1, length(line) - 1), (u + s) * k, u * k, s * k }')
  fi
  echo "$LAST" >> "$RESULTS"
  rm -f "$out"
}

# field JSON NAME: a value from a flat one-line JSON object.
field() { sed -E 's/.*"'"$2"'":"?([^,"}]*).*/\1/' <<< "$1"; }


echo "JDK $JAVA_HOME; pinning: $PIN; nice: $NICE; streaming: $STREAM; $CONNECTIONS connections; ${DURATION}s per point after ${WARMUP}s warmup" >&2
echo "results: $RESULTS_DIR" >&2

if (( PRIME > 0 )); then
  echo "priming the gateway for ${PRIME}s ..." >&2
  load prime "$GATEWAY_URL" 1000 "$PRIME" 0
fi

if [[ $PROFILE == 1 ]]; then
  # Java samples every millisecond (JFR's default profile samples every 10-20 ms: too few for one run).
  sed -E '/<event name="jdk.ExecutionSample">/,/<\/event>/ s#(<setting name="period"[^>]*>)[^<]*#\11 ms#' \
    "$JAVA_HOME/lib/jfr/profile.jfc" > "$TRIAGE_BENCH_DIR/cpu.jfc"
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.start name=triage-cpu settings="$TRIAGE_BENCH_DIR/cpu.jfc" > /dev/null \
    || die "could not start a JFR recording in the gateway"
fi

ROWS=()
for rate in $RATES; do
  for round in $(seq 1 "$ROUNDS"); do
    # Alternate which side goes first, so slow drift (heat, background work) does not favour one.
    if (( round % 2 == 1 )); then order=(direct gateway); else order=(gateway direct); fi
    for side in "${order[@]}"; do
      if [[ $side == direct ]]; then
        echo "rate $rate round $round: direct ..." >&2
        load "direct-$rate-$round" "$DIRECT_URL" "$rate" "$DURATION" "$WARMUP" "$UPSTREAM_PID"
        direct=$LAST
      else
        echo "rate $rate round $round: gateway ..." >&2
        rss_file="$RESULTS_DIR/rss-$rate-$round.txt"
        ( while kill -0 "$GATEWAY_PID" 2>/dev/null; do status_kb "$GATEWAY_PID" VmRSS; sleep 0.5; done ) > "$rss_file" &
        sampler=$!
        PIDS+=("$sampler")
        load "gateway-$rate-$round" "$GATEWAY_URL" "$rate" "$DURATION" "$WARMUP" "$GATEWAY_PID"
        gateway=$LAST
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        forget "$sampler"
        rss_peak_kb=$(sort -n "$rss_file" | tail -1)
        hwm_kb=$(status_kb "$GATEWAY_PID" VmHWM)
        echo "{\"label\":\"gateway-rss-$rate-$round\",\"vmrss_peak_sampled_kb\":${rss_peak_kb:-0},\"vmhwm_kb\":${hwm_kb:-0}}" >> "$RESULTS"
      fi
    done
    ROWS+=("$rate|$direct|$gateway|${rss_peak_kb:-0}|${hwm_kb:-0}")
  done
done

if [[ $PROFILE == 1 ]]; then
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.dump name=triage-cpu filename="$RESULTS_DIR/gateway.jfr" > /dev/null \
    || die "could not dump the gateway's JFR recording"
  "$JAVA" -cp "$BENCH_JAR" dev.triage.bench.FlameGraph "$RESULTS_DIR/gateway.jfr" "$RESULTS_DIR/gateway" \
    > "$RESULTS_DIR/profile.txt" || die "could not read the JFR recording"
  echo "profile: $RESULTS_DIR/gateway.svg (flame graph), $RESULTS_DIR/profile.txt (top frames)" >&2
fi

# ---- the table ----
{
  echo
  echo "| rate | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | achieved direct / gateway req/s | errors direct / gateway | gateway RSS MB (peak sampled / VmHWM) | CPU µs per request upstream / gateway |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  verdict=""
  for row in "${ROWS[@]}"; do
    IFS='|' read -r rate d g rss hwm <<< "$row"
    dp50=$(field "$d" p50_ms) dp99=$(field "$d" p99_ms) gp50=$(field "$g" p50_ms) gp99=$(field "$g" p99_ms)
    ap50=$(awk -v a="$gp50" -v b="$dp50" 'BEGIN {printf "%.3f", a - b}')
    ap99=$(awk -v a="$gp99" -v b="$dp99" 'BEGIN {printf "%.3f", a - b}')
    errs="$(field "$d" errors) / $(field "$g" errors)"
    rss_mb=$(awk -v k="$rss" 'BEGIN {printf "%.0f", k / 1024}')
    hwm_mb=$(awk -v k="$hwm" 'BEGIN {printf "%.0f", k / 1024}')
    echo "| $rate | $dp50 / $dp99 | $gp50 / $gp99 | **$ap50 / $ap99** | $(field "$d" rate_achieved) / $(field "$g" rate_achieved) | $errs | $rss_mb / $hwm_mb | $(field "$d" cpu_us_per_request) / **$(field "$g" cpu_us_per_request)** |"
    if [[ $rate == 2000 ]]; then
      verdict=$(awk -v p50="$ap50" -v p99="$ap99" -v e="$(field "$g" errors)" -v m="$hwm_mb" -v ach="$(field "$g" rate_achieved)" 'BEGIN {
        ok = (p50 <= 1 && p99 <= 10 && e == 0 && m <= 300 && ach >= 1980)
        printf "target at 2,000 req/s (added p50 <= 1 ms, p99 <= 10 ms, 0 errors, RSS <= 300 MB): %s", ok ? "MET" : "NOT MET" }')
    fi
  done
  echo
  [[ -n "$verdict" ]] && echo "$verdict"
  echo "raw results: ${RESULTS#"$ROOT/"}"
} | tee "$RESULTS_DIR/summary.md"
