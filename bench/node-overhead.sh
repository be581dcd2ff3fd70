#!/usr/bin/env bash
# Overhead as peers are often measured: autocannon (npm) drives a fixed overall rate against a Node
# fake OpenAI upstream (bench/node/fake-upstream.js) directly, through the Triage gateway and through
# the Portkey AI gateway (npm @portkey-ai/gateway), one after the other for each rate, in one run.
# See bench/README.md ("Node overhead benchmark"). Settings come from the environment:
#   BENCH_RATES="500 1000 2000"  BENCH_DURATION=20  BENCH_WARMUP=5  BENCH_CONNECTIONS=50
#   BENCH_PRIME=60 (s of unmeasured load on Triage at 1,000 req/s first: its JIT compiles for ~40 s)
#   BENCH_PRIME_PORTKEY (default: 20, or BENCH_PRIME if that is smaller)
#   GATEWAY_JAVA_OPTS (default: the ./triage launcher's $TRIAGE_DEFAULT_JAVA_OPTS)
#   TRIAGE_GATEWAY_CMD (replaces the Triage command; it must serve /readyz and /v1/chat/completions on
#   port 18080 and use the upstream on 18081)
#   TRIAGE_BENCH_NODE_DIR (where autocannon and the Portkey gateway are installed on first use;
#   default ~/.cache/triage-bench-node, outside the repository)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/processes.sh

RATES=${BENCH_RATES:-"500 1000 2000"}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
PRIME=${BENCH_PRIME:-60}
PRIME_PORTKEY=${BENCH_PRIME_PORTKEY:-$(( PRIME < 20 ? PRIME : 20 ))}
PRIME_RATE=1000
UPSTREAM_PORT=18081 # fixed: bench/overhead-config.yaml points the provider here
TRIAGE_PORT=18080   # fixed: bench/overhead-config.yaml serves here
PORTKEY_PORT=8787   # the Portkey gateway's default
CONFIG=bench/overhead-config.yaml
GATEWAY_JAR=triage-server/target/triage.jar
NODE_SRC="$ROOT/bench/node"
NODE_DIR=${TRIAGE_BENCH_NODE_DIR:-$HOME/.cache/triage-bench-node}
BODY_FILE="$NODE_SRC/request.json" # the LoadGenerator's default body (171 bytes)

die() { echo "node-overhead.sh: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is needed (Node 20 or newer)"
command -v npm >/dev/null || die "npm is needed to install autocannon and the Portkey gateway"
command -v curl >/dev/null || die "curl is needed to probe the gateways"
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
(( NODE_MAJOR >= 20 )) || die "Node 20 or newer is needed, found $(node --version)"

port_free "$UPSTREAM_PORT" || die "port $UPSTREAM_PORT is in use (the fake upstream needs it)"
port_free "$TRIAGE_PORT" || die "port $TRIAGE_PORT is in use (the Triage gateway needs it)"
port_free "$PORTKEY_PORT" || die "port $PORTKEY_PORT is in use (the Portkey gateway needs it)"

# ---- a JDK >= 21 and the gateway jar (built only if missing) ----
. scripts/find-java.sh
triage_find_java || die "no JDK 21 or newer found"
JAVA="$JAVA_HOME/bin/java"
if [[ -z "${TRIAGE_GATEWAY_CMD:-}" && ! -f "$GATEWAY_JAR" ]]; then
  echo "building (./mvnw -q -o -DskipTests package) ..." >&2
  ./mvnw -q -o -DskipTests package || die "build failed"
  [[ -f "$GATEWAY_JAR" ]] || die "$GATEWAY_JAR is missing after the build"
fi

# ---- autocannon and the Portkey gateway, pinned in bench/node/package.json, installed once ----
installed_version() { node -p "require('$NODE_DIR/node_modules/$1/package.json').version" 2>/dev/null || true; }
wanted_version() { node -p "require('$NODE_SRC/package.json').dependencies['$1']"; }
deps_ok() {
  local dep
  for dep in autocannon @portkey-ai/gateway; do
    [[ $(installed_version "$dep") == "$(wanted_version "$dep")" ]] || return 1
  done
}
if ! deps_ok; then
  echo "installing autocannon $(wanted_version autocannon) and @portkey-ai/gateway $(wanted_version @portkey-ai/gateway) into $NODE_DIR ..." >&2
  mkdir -p "$NODE_DIR"
  cp "$NODE_SRC/package.json" "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --omit=dev --no-audit --no-fund --loglevel=error) >&2 || die "npm install failed in $NODE_DIR"
  deps_ok || die "npm install did not install the pinned versions in $NODE_DIR"
fi
AUTOCANNON="$NODE_DIR/node_modules/autocannon/autocannon.js"
PORTKEY_MAIN="$NODE_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
[[ -f "$AUTOCANNON" ]] || die "$AUTOCANNON is missing"
[[ -f "$PORTKEY_MAIN" ]] || die "$PORTKEY_MAIN is missing"

# ---- run directory and cleanup ----
RUN_ID=node-$(date +%Y%m%d-%H%M%S)
RESULTS_DIR="$ROOT/bench/results/$RUN_ID"
mkdir -p "$RESULTS_DIR"
RESULTS="$RESULTS_DIR/results.jsonl"
: > "$RESULTS"
TRIAGE_BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/triage-bench.XXXXXX")
export TRIAGE_BENCH_DIR

trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_http NAME PID URL: waits up to 60 s for URL to answer 200 while PID lives.
wait_http() {
  local _
  for _ in $(seq 1 120); do
    kill -0 "$2" 2>/dev/null || die "$1 exited while starting; last lines of its log:
$(tail -20 "$RESULTS_DIR/$1.log")"
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$3" || true) == 200 ]] && return 0
    sleep 0.5
  done
  die "$1 did not answer 200 at $3 within 60 s (log: $RESULTS_DIR/$1.log)"
}

# ---- fake upstream (Node) ----
node "$NODE_SRC/fake-upstream.js" --port "$UPSTREAM_PORT" > "$RESULTS_DIR/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
for _ in $(seq 1 100); do ! port_free "$UPSTREAM_PORT" && break; sleep 0.1; done
port_free "$UPSTREAM_PORT" && die "the fake upstream did not start: $(tail -5 "$RESULTS_DIR/upstream.log")"

# ---- Triage, started as bench/overhead.sh starts it ----
if [[ -n "${TRIAGE_GATEWAY_CMD:-}" ]]; then
  read -r -a TRIAGE_ARGV <<< "$TRIAGE_GATEWAY_CMD"
else
  read -r -a GATEWAY_OPTS <<< "${GATEWAY_JAVA_OPTS:-$TRIAGE_DEFAULT_JAVA_OPTS}"
  TRIAGE_ARGV=("$JAVA" "${GATEWAY_OPTS[@]}" -jar "$GATEWAY_JAR" serve --config "$CONFIG")
fi
"${TRIAGE_ARGV[@]}" > "$RESULTS_DIR/triage.log" 2>&1 &
TRIAGE_PID=$!
PIDS+=("$TRIAGE_PID")

# ---- Portkey: its package's own server entry point (its bin), API only (--headless: no web UI) ----
node "$PORTKEY_MAIN" --port="$PORTKEY_PORT" --headless > "$RESULTS_DIR/portkey.log" 2>&1 &
PORTKEY_PID=$!
PIDS+=("$PORTKEY_PID")

wait_http triage "$TRIAGE_PID" "http://127.0.0.1:$TRIAGE_PORT/readyz"
wait_http portkey "$PORTKEY_PID" "http://127.0.0.1:$PORTKEY_PORT/"

DIRECT_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
TRIAGE_URL="http://127.0.0.1:$TRIAGE_PORT/v1/chat/completions"
PORTKEY_URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
# Portkey's documented headers for an OpenAI-compatible server of one's own.
PORTKEY_HEADERS=(
  "x-portkey-provider=openai"
  "x-portkey-custom-host=http://127.0.0.1:$UPSTREAM_PORT/v1"
  "Authorization=Bearer dummy"
)

# Every target must return the fake completion before anything is measured.
check_completion() { # NAME URL [curl -H args...]
  local name=$1 url=$2 out
  shift 2
  out=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$@" --data-binary "@$BODY_FILE" "$url" || true)
  [[ $(tail -1 <<< "$out") == 200 && $out == *'"chat.completion"'* && $out == *'Hello! How can I help you today?'* ]] \
    || die "$name did not return the fake completion at $url; it answered:
$out"
}
check_completion direct "$DIRECT_URL"
check_completion triage "$TRIAGE_URL"
check_completion portkey "$PORTKEY_URL" -H "x-portkey-provider: openai" \
  -H "x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1" -H "Authorization: Bearer dummy"


# autocannon LABEL URL RATE DURATION OUT [Header=value...]: one autocannon run at a fixed overall rate
# (bench/node/load.js: autocannon's API with the options of its CLI line below, plus exact latencies);
# its JSON result goes to OUT.
autocannon() {
  local label=$1 url=$2 rate=$3 duration=$4 out=$5 h cli=""
  shift 5
  for h in "$@"; do cli+=" -H '$h'"; done
  echo "$label: autocannon --json --connections $CONNECTIONS --overallRate $rate --duration $duration --method POST -H 'Content-Type=application/json'$cli --body \"\$(cat bench/node/request.json)\" $url" \
    >> "$RESULTS_DIR/commands.txt"
  node "$NODE_SRC/load.js" "$NODE_DIR/node_modules" "$url" "$rate" "$duration" "$CONNECTIONS" "$BODY_FILE" "$@" \
    > "$out" 2> "$RESULTS_DIR/.autocannon.err" &
  local pid=$!
  PIDS+=("$pid")
  wait "$pid" || die "autocannon failed ($label at $rate req/s): $(tail -5 "$RESULTS_DIR/.autocannon.err")"
  forget "$pid"
}

# measure TARGET RATE URL GATEWAY_PID [header=value...]: warm-up run, then the measured run with the CPU
# time of the gateway and of the upstream over it; appends one summary line to $RESULTS and leaves it
# in $LAST. For the direct target GATEWAY_PID is empty.
LAST=""
measure() {
  local target=$1 rate=$2 url=$3 gw_pid=$4
  shift 4
  local raw="$RESULTS_DIR/autocannon-$target-$rate.json" sampler="" rss_file="$RESULTS_DIR/rss-$target-$rate.txt"
  if (( WARMUP > 0 )); then
    autocannon "$target-$rate-warmup" "$url" "$rate" "$WARMUP" "$RESULTS_DIR/.warmup.json" "$@"
  fi
  local up0 up1 gw0="0 0" gw1="0 0"
  if [[ -n $gw_pid ]]; then
    ( while kill -0 "$gw_pid" 2>/dev/null; do status_kb "$gw_pid" VmRSS; sleep 0.5; done ) > "$rss_file" &
    sampler=$!
    PIDS+=("$sampler")
    gw0=$(cpu_ticks "$gw_pid")
  fi
  up0=$(cpu_ticks "$UPSTREAM_PID")
  autocannon "$target-$rate" "$url" "$rate" "$DURATION" "$raw" "$@"
  up1=$(cpu_ticks "$UPSTREAM_PID")
  local rss_peak=0 hwm=0
  if [[ -n $gw_pid ]]; then
    gw1=$(cpu_ticks "$gw_pid")
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    forget "$sampler"
    rss_peak=$(sort -n "$rss_file" | tail -1)
    hwm=$(status_kb "$gw_pid" VmHWM)
  fi
  LAST=$(node "$NODE_SRC/summarize.js" "$raw" "$target" "$rate" "$CLK_TCK" "$gw0" "$gw1" "$up0" "$up1" \
    "${rss_peak:-0}" "${hwm:-0}") || die "could not read $raw"
  echo "$LAST" >> "$RESULTS"
  rm -f "$RESULTS_DIR/.warmup.json" "$RESULTS_DIR/.autocannon.err"
}

echo "node $(node --version), autocannon $(installed_version autocannon), Portkey gateway $(installed_version @portkey-ai/gateway), JDK $JAVA_HOME" >&2
echo "$CONNECTIONS connections; ${DURATION}s per point after ${WARMUP}s warm-up; results: $RESULTS_DIR" >&2

if (( PRIME > 0 )); then
  echo "priming Triage for ${PRIME}s at $PRIME_RATE req/s ..." >&2
  autocannon prime-triage "$TRIAGE_URL" "$PRIME_RATE" "$PRIME" "$RESULTS_DIR/.prime.json"
fi
if (( PRIME_PORTKEY > 0 )); then
  echo "priming Portkey for ${PRIME_PORTKEY}s at $PRIME_RATE req/s ..." >&2
  autocannon prime-portkey "$PORTKEY_URL" "$PRIME_RATE" "$PRIME_PORTKEY" "$RESULTS_DIR/.prime.json" "${PORTKEY_HEADERS[@]}"
fi
rm -f "$RESULTS_DIR/.prime.json"

ROWS=()
for rate in $RATES; do
  echo "rate $rate: direct ..." >&2
  measure direct "$rate" "$DIRECT_URL" ""
  direct=$LAST
  echo "rate $rate: triage ..." >&2
  measure triage "$rate" "$TRIAGE_URL" "$TRIAGE_PID"
  triage=$LAST
  echo "rate $rate: portkey ..." >&2
  measure portkey "$rate" "$PORTKEY_URL" "$PORTKEY_PID" "${PORTKEY_HEADERS[@]}"
  portkey=$LAST
  ROWS+=("$direct" "$triage" "$portkey")
done

node "$NODE_SRC/table.js" "${ROWS[@]}" | tee "$RESULTS_DIR/summary.md"
echo "raw results: ${RESULTS_DIR#"$ROOT/"}" | tee -a "$RESULTS_DIR/summary.md"
