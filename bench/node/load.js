#!/usr/bin/env node
// For bench/node-overhead.sh: one autocannon run, through autocannon's own API with the options of
//   autocannon --json --connections C --overallRate R --duration D --method POST \
//              -H Content-Type=application/json [-H K=V ...] --body "$(cat BODY_FILE)" URL
// It prints the result object autocannon's --json prints, plus an "exact_latency" object: autocannon
// keeps latencies in an integer-millisecond HdrHistogram (and back-fills it for coordinated omission),
// which cannot resolve sub-millisecond differences; the same run's raw response times (2xx only, as
// autocannon's histogram) are kept here and give nearest-rank percentiles in microseconds.
//
// Usage: load.js AUTOCANNON_DIR URL RATE DURATION_S CONNECTIONS BODY_FILE [Header=value ...]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [dir, url, rate, duration, connections, bodyFile, ...headerArgs] = process.argv.slice(2);
const autocannon = require(path.join(dir, 'autocannon'));

const headers = { 'Content-Type': 'application/json' };
for (const h of headerArgs) {
  const eq = h.indexOf('=');
  if (eq <= 0) {
    console.error(`load.js: header must be Name=value, got ${h}`);
    process.exit(2);
  }
  headers[h.slice(0, eq)] = h.slice(eq + 1);
}

const latencies = [];
const instance = autocannon({
  url,
  method: 'POST',
  headers,
  body: fs.readFileSync(bodyFile, 'utf8'),
  connections: Number(connections),
  overallRate: Number(rate),
  duration: Number(duration),
}, (err, result) => {
  if (err) {
    console.error(`load.js: ${err.stack || err}`);
    process.exit(1);
  }
  latencies.sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const pct = (p) => (latencies.length ? latencies[Math.max(0, Math.ceil(p / 100 * latencies.length) - 1)] : null);
  const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
  result.exact_latency = {
    count: latencies.length,
    p50: r3(pct(50)),
    p90: r3(pct(90)),
    p99: r3(pct(99)),
    max: r3(latencies.length ? latencies[latencies.length - 1] : null),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
});

// responseTime: ms (float) from writing the request to the response's last byte, on this connection.
instance.on('response', (client, statusCode, resBytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
process.once('SIGINT', () => instance.stop());
process.once('SIGTERM', () => instance.stop());
