#!/usr/bin/env node
// For bench/node-overhead.sh: prints the markdown table from the summary lines of summarize.js, given
// as arguments in the order direct, triage, portkey for each rate.
'use strict';

const runs = process.argv.slice(2).map((s) => JSON.parse(s));
const f = (x, d) => (x === null || x === undefined ? '—' : x.toFixed(d));
const mb = (kb) => (kb ? Math.round(kb / 1024) : '—');
const dash = (x) => (x === null || x === undefined ? '—' : String(x));

const out = [''];
out.push('| rate | target | autocannon p50 / p99 ms | exact p50 / p99 ms | added p50 / p99 ms (autocannon) | added p50 / p99 ms (exact) '
  + '| achieved req/s | non-2xx / errors | gateway CPU µs per request | upstream CPU µs per request | gateway RSS MB (peak sampled / VmHWM) |');
out.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
let direct = null;
for (const r of runs) {
  if (r.target === 'direct') direct = r;
  const gateway = r.target !== 'direct';
  const comparable = gateway && direct && direct.rate_target === r.rate_target;
  const added = (a, b, d) => (comparable ? `**${f(r[a] - direct[a], d)} / ${f(r[b] - direct[b], d)}**` : '—');
  out.push(`| ${r.rate_target} | ${r.target} | ${f(r.p50_ms, 0)} / ${f(r.p99_ms, 0)} | ${f(r.exact_p50_ms, 3)} / ${f(r.exact_p99_ms, 3)} `
    + `| ${added('p50_ms', 'p99_ms', 0)} | ${added('exact_p50_ms', 'exact_p99_ms', 3)} | ${r.rate_achieved} | ${r.non2xx} / ${r.errors} `
    + `| ${gateway ? `**${dash(r.gateway_cpu_us_per_request)}**` : '—'} | ${dash(r.upstream_cpu_us_per_request)} `
    + `| ${gateway ? `${mb(r.gateway_vmrss_peak_sampled_kb)} / ${mb(r.gateway_vmhwm_kb)}` : '—'} |`);
}
out.push('');
out.push('Latency is from when autocannon wrote each request (closed loop per connection; --overallRate lets each '
  + 'connection send its share of a second back to back, then idle), not from an intended send time as in '
  + 'bench/overhead.sh. "autocannon" columns: its --json percentiles (whole milliseconds, coordinated-omission '
  + 'back-fill); "exact": the same responses\' unrounded times. CPU per request: user + system time of the process '
  + 'over the measured run ÷ responses. Gateway RSS: VmRSS peak sampled during the run / lifetime peak (VmHWM).');
process.stdout.write(out.join('\n') + '\n');
