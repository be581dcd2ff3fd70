/**
 * {@code triage simulate --trace}: what prompt caching costs on a request trace (Mooncake's format, read
 * by {@link dev.triage.simulate.trace.TraceReader}) under a model's cache rules
 * ({@link dev.triage.simulate.trace.CacheRules}), for each {@link dev.triage.simulate.trace.TraceStrategy}
 * — among them the gateway's own marking, decided by the same {@code CachePlanner}, and a lower bound no
 * placement can beat. Run by {@link dev.triage.simulate.trace.TraceSimulation}.
 */
package dev.triage.simulate.trace;
