#!/usr/bin/env node
// For bench/node-overhead.sh: turns one autocannon --json result plus the CPU and memory readings the
// script took around it into one flat JSON line (printed on stdout).
//
// Usage: summarize.js RESULT.json TARGET RATE CLK_TCK "GW_UTIME0 GW_STIME0" "GW_UTIME1 GW_STIME1"
//                     "UP_UTIME0 UP_STIME0" "UP_UTIME1 UP_STIME1" RSS_PEAK_KB VMHWM_KB
// CPU readings are /proc/PID/stat fields 14 and 15 (clock ticks) before and after the measured run;
// "0 0" twice for no process (the direct target has no gateway).
'use strict';

const fs = require('node:fs');

const [file, target, rate, clkTck, gw0, gw1, up0, up1, rssPeakKb, hwmKb] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));

const ticks = (s) => s.trim().split(/\s+/).map(Number);
const responses = (r['1xx'] || 0) + (r['2xx'] || 0) + (r['3xx'] || 0) + (r['4xx'] || 0) + (r['5xx'] || 0);
const perRequestUs = (t0, t1, part) => {
  const [u0, s0] = ticks(t0);
  const [u1, s1] = ticks(t1);
  const delta = part === 'user' ? u1 - u0 : part === 'sys' ? s1 - s0 : (u1 - u0) + (s1 - s0);
  return responses > 0 ? Math.round(delta * 1e6 / Number(clkTck) / responses) : null;
};
const round3 = (x) => (typeof x === 'number' ? Math.round(x * 1000) / 1000 : null);
const gateway = target !== 'direct';

const line = {
  label: `${target}-${rate}`,
  target,
  url: r.url,
  rate_target: Number(rate),
  rate_achieved: Math.round(responses / r.duration * 10) / 10,
  responses,
  status_2xx: r['2xx'],
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  // autocannon's own figures: an integer-millisecond histogram with its coordinated-omission back-fill.
  p50_ms: round3(r.latency.p50),
  p90_ms: round3(r.latency.p90),
  p99_ms: round3(r.latency.p99),
  max_ms: round3(r.latency.max),
  mean_ms: round3(r.latency.mean),
  histogram_count: r.latency.totalCount,
  // The same run's 2xx response times, unrounded (bench/node/load.js).
  exact_p50_ms: r.exact_latency.p50,
  exact_p90_ms: r.exact_latency.p90,
  exact_p99_ms: r.exact_latency.p99,
  exact_max_ms: r.exact_latency.max,
  requests_sent: r.requests.sent,
  connections: r.connections,
  duration_s: r.duration,
  gateway_cpu_us_per_request: gateway ? perRequestUs(gw0, gw1) : null,
  gateway_cpu_user_us_per_request: gateway ? perRequestUs(gw0, gw1, 'user') : null,
  gateway_cpu_sys_us_per_request: gateway ? perRequestUs(gw0, gw1, 'sys') : null,
  upstream_cpu_us_per_request: perRequestUs(up0, up1),
  gateway_vmrss_peak_sampled_kb: gateway ? Number(rssPeakKb) : null,
  gateway_vmhwm_kb: gateway ? Number(hwmKb) : null,
};
process.stdout.write(JSON.stringify(line) + '\n');
