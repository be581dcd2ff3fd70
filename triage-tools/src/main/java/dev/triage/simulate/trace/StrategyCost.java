package dev.triage.simulate.trace;

import dev.triage.chat.Money;

/**
 * What one strategy costs on a trace.
 *
 * @param strategy         which
 * @param cost             input and output
 * @param inputCost        input alone (read, written and plain tokens); output is the same in every strategy
 * @param cachedReadTokens input tokens read from the cache
 * @param cacheWriteTokens input tokens written to it (five-minute and one-hour entries)
 */
public record StrategyCost(TraceStrategy strategy, Money cost, Money inputCost, long cachedReadTokens, long cacheWriteTokens) {
}
