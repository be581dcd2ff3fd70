/**
 * Cost reports: what the ledger says was spent, where, on what, with what quality, and what to change.
 *
 * <p>A {@link dev.triage.report.ReportSource} (the ledger database) hands over per-day sums; the
 * {@link dev.triage.report.ReportEngine} turns them into a {@link dev.triage.report.Report}: totals,
 * breakdowns with shares, a daily series, budgets, feedback quality, routing efficiency and
 * {@link dev.triage.report.Recommendation}s with the numbers behind them. {@link dev.triage.report.ReportJson}
 * is the wire form of {@code GET /api/report} and {@code triage report --format json}.
 */
package dev.triage.report;
