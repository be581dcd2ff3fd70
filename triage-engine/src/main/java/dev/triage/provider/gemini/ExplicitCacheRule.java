package dev.triage.provider.gemini;

import dev.triage.catalog.Price;
import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether an explicit Gemini cache ({@code cachedContents}) of a prompt prefix pays for itself over its lifetime:
 * a pure rule on what was measured of the prefix.
 *
 * <p>Gemini 2.5 and later already discount a re-sent prefix implicitly, at the same cached price, when it happens to
 * hit; an explicit cache makes the discount certain but costs storage per token-hour, and its creation processes
 * the prefix once at the input price. So a cache pays only when
 * <pre>
 *   expected sends in the TTL × prefix tokens × (input − cached price) × (1 − implicit hit share)
 *     &gt; prefix tokens × storage price × TTL (hours) + prefix tokens × input price (when creating)
 * </pre>
 * where the expected sends are the sends seen in the measuring window scaled to the TTL, and the implicit hit share
 * is the share of the prefix's tokens Gemini discounted on its own when the prefix was re-sent without a cache.
 * Sums are exact decimals (no floating point); the amounts reported are rounded to the picodollar.
 */
final class ExplicitCacheRule {

    /** Re-sends of a prefix without a cache that must have been seen before the implicit hit share is trusted. */
    static final int MIN_OBSERVED_RESENDS = 2;

    private static final MathContext EXACT = MathContext.DECIMAL128;
    private static final BigDecimal NANOS_PER_HOUR = BigDecimal.valueOf(Duration.ofHours(1).toNanos());
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private ExplicitCacheRule() {
    }

    /**
     * What was measured of one prefix.
     *
     * @param prefixTokens  the prefix's tokens (system instruction, tools, tool config)
     * @param sends         how often it was sent in the last {@code window}, this request included
     * @param window        the span {@code sends} were counted over
     * @param resends       re-sends seen without a cache (whose answers show what Gemini discounted implicitly)
     * @param offeredTokens the prefix tokens of those re-sends
     * @param implicitTokens how many of {@code offeredTokens} Gemini billed as cached on its own
     */
    record Measurement(long prefixTokens, long sends, Duration window, long resends, long offeredTokens,
                       long implicitTokens) {
        Measurement {
            if (prefixTokens < 0 || sends < 0 || resends < 0 || offeredTokens < 0 || implicitTokens < 0
                    || implicitTokens > offeredTokens || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("not a measurement: " + prefixTokens + " tokens, " + sends
                        + " sends in " + window + ", " + implicitTokens + " of " + offeredTokens + " implicit");
            }
        }
    }

    /** The rule's answer, with the figures behind it. */
    sealed interface Verdict {
        /** Whether to create (or keep) the cache. */
        default boolean pays() {
            return this instanceof Pays;
        }
    }

    /** The expected saving exceeds the storage fee (and the creation). */
    record Pays(Money expectedSaving, Money cost) implements Verdict {
    }

    /** It does not: the implicit discount already covers enough, or the prefix is not sent often enough. */
    record DoesNotPay(Money expectedSaving, Money cost) implements Verdict {
    }

    /** Gemini does not cache a prefix this short for this model. */
    record BelowMinimum(long prefixTokens, int minimumTokens) implements Verdict {
    }

    /** The model has no cached price below its input price, or no known storage price. */
    record Unpriced() implements Verdict {
    }

    /** Too few re-sends seen to know the implicit hit share yet. */
    record Unmeasured(long resends) implements Verdict {
    }

    /**
     * @param creating whether the cache would be created (its creation counts), rather than kept longer
     */
    static Verdict decide(Measurement m, Price price, Duration ttl, int minimumTokens, boolean creating) {
        if (price == null || !price.pricesCacheStorage() || !price.discountsCachedInput()) {
            return new Unpriced();
        }
        if (m.prefixTokens() < minimumTokens) {
            return new BelowMinimum(m.prefixTokens(), minimumTokens);
        }
        if (m.resends() < MIN_OBSERVED_RESENDS) {
            return new Unmeasured(m.resends());
        }
        BigDecimal tokens = BigDecimal.valueOf(m.prefixTokens());
        BigDecimal expectedSends = BigDecimal.valueOf(m.sends()).multiply(BigDecimal.valueOf(ttl.toNanos()))
                .divide(BigDecimal.valueOf(m.window().toNanos()), EXACT);
        BigDecimal missedShare = m.offeredTokens() == 0 ? BigDecimal.ONE
                : BigDecimal.valueOf(m.offeredTokens() - m.implicitTokens()).divide(BigDecimal.valueOf(m.offeredTokens()), EXACT);
        BigDecimal discount = price.inputPerMtok().subtract(price.cachedInputPerMtok());
        BigDecimal saving = expectedSends.multiply(tokens).multiply(discount).multiply(missedShare)
                .divide(MILLION, EXACT);
        BigDecimal hours = BigDecimal.valueOf(ttl.toNanos()).divide(NANOS_PER_HOUR, EXACT);
        BigDecimal cost = tokens.multiply(price.cacheStoragePerMtokHour()).multiply(hours).divide(MILLION, EXACT);
        if (creating) {
            cost = cost.add(tokens.multiply(price.inputPerMtok()).divide(MILLION, EXACT));
        }
        Money expected = picos(saving);
        Money fee = picos(cost);
        return saving.compareTo(cost) > 0 ? new Pays(expected, fee) : new DoesNotPay(expected, fee);
    }

    /**
     * The smallest prefix Gemini caches for a model, in tokens (ai.google.dev/gemini-api/docs/caching: 1,024 for
     * Gemini 2.5 Flash and 3 Flash, 4,096 for Gemini 2.5 Pro and 3 Pro). Models the page does not list (2.0 Flash,
     * 2.5 Flash-Lite, 1.5) get the larger 4,096: a prefix below the real minimum only makes the creation fail, which
     * costs a call.
     */
    static int minimumTokens(String upstreamModel) {
        String m = upstreamModel.toLowerCase(Locale.ROOT);
        boolean flash = m.contains("flash") && !m.contains("lite");
        return flash && (m.contains("gemini-2.5") || m.contains("gemini-3")) ? 1024 : 4096;
    }

    private static Money picos(BigDecimal usd) {
        return Money.ofUsd(usd.setScale(12, RoundingMode.HALF_UP));
    }
}
