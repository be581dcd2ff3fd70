/**
 * Prometheus metrics for {@code GET /metrics}: {@link dev.triage.metrics.GatewayMetrics} hears every
 * upstream attempt and every chat-completions request and reads the tiered routes' budgets at scrape time.
 */
package dev.triage.metrics;
