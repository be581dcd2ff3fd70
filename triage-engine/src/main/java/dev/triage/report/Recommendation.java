package dev.triage.report;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something to change (or to watch), with the numbers behind it.
 *
 * @param kind                  what sort of finding it is
 * @param text                  one or two sentences for people
 * @param estMonthlySavingsUsd  estimated saving per 30 days, USD to 6 places; null when there is none to estimate
 * @param evidence              the figures the finding rests on, by name, in a stable order
 */
public record Recommendation(Kind kind, String text, BigDecimal estMonthlySavingsUsd, Map<String, Object> evidence) {

    public Recommendation {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public enum Kind {
        /** Move traffic to a cheaper model: comes with a saving re-priced from the real token counts. */
        SAVING,
        /** One of the seed's cost-distribution signals (flagship share of cost, cheap tier share). */
        SIGNAL,
        /**
         * One of the seed's pitfalls: quality under the floor, fallbacks rising, ignoring the cache (what prompt caching
         * saved, with an estimated saving where a model misses its cache; no response cache yet).
         */
        PITFALL,
        /** Too little traffic in the period to recommend anything. */
        INSUFFICIENT_DATA
    }
}
