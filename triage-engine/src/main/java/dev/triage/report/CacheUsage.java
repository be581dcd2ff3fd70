package dev.triage.report;

import dev.triage.chat.Money;
import java.util.Objects;

/**
 * Response-cache lookups in a period, summed per route, model and outcome.
 *
 * @param route    the route or model asked for
 * @param model    the model whose answer the client got
 * @param outcome  {@code hit-exact}, {@code hit-semantic} or {@code miss}
 * @param lookups  how many requests
 * @param saved    what the hits saved: the cost of the requests whose answers they served again (zero for misses)
 */
public record CacheUsage(String route, String model, String outcome, long lookups, Money saved) {

    public CacheUsage {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(saved, "saved");
    }

    public boolean hit() {
        return !"miss".equals(outcome);
    }
}
