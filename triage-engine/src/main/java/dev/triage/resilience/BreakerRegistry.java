package dev.triage.resilience;

import dev.triage.provider.Deadline.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link CircuitBreaker} per provider/model pair, created on first use. */
public final class BreakerRegistry {

    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final int threshold;
    private final Duration open;
    private final Ticker ticker;

    public BreakerRegistry(int threshold, Duration open, Ticker ticker) {
        this.threshold = threshold;
        this.open = open;
        this.ticker = ticker;
    }

    public CircuitBreaker forModel(String provider, String model) {
        return breakers.computeIfAbsent(provider + "/" + model, k -> new CircuitBreaker(threshold, open, ticker));
    }

    /** Current state of every breaker that has seen a call, keyed {@code provider/model}. */
    public Map<String, CircuitBreaker.State> states() {
        Map<String, CircuitBreaker.State> out = new java.util.TreeMap<>();
        breakers.forEach((k, b) -> out.put(k, b.state()));
        return out;
    }
}
