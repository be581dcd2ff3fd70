# Sourced by ./triage, .ci/run and bench scripts: sets JAVA_HOME to a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, else the newest JDK 21+ under /usr/lib/jvm, else a clear error.
# JVM options ./triage starts the gateway with (TRIAGE_JAVA_OPTS replaces them). A serial collector, a
# 128 MB heap and two malloc arenas keep the gateway under 300 MB RSS at 2,000 req/s (README,
# Benchmarks); raise -Xmx for very large request bodies or thousands of concurrent streams (and
# server.max_connections with it: 24 KB of heap per connection at worst, README). -XX:+ExitOnOutOfMemoryError:
# a gateway out of heap may no longer record money, so it ends ("Terminating due to java.lang.OutOfMemoryError")
# and its supervisor starts a fresh one.
TRIAGE_DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xmx128m -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"
# `triage simulate` and `triage train` (MMLU with --cv 5 peaks near 400 MB of heap).
TRIAGE_BATCH_JAVA_OPTS="-Xmx1g -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
triage_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
triage_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(triage_java_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME; return 0
    fi
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(triage_java_version "$d"); v=${v%%.*}
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "Triage needs a JDK 21 or newer and found none." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21/25) and/or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
