/**
 * Tools for measuring what the gateway adds to a call: a fake OpenAI upstream that answers instantly
 * and an open-loop, fixed-rate load generator. {@code bench/overhead.sh} drives both.
 */
package dev.triage.bench;
