/**
 * Where a request meets the upstreams: {@link dev.triage.dispatch.Dispatcher} runs a plan of models
 * with retries, fallbacks, circuit breakers and one deadline, and reports every attempt's cost.
 */
package dev.triage.dispatch;
