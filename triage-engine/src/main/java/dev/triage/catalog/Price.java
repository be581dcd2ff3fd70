package dev.triage.catalog;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A model's prices in USD per million tokens. Cached-input and cache-write prices default to the
 * input price when the provider has none. Prices may have at most six decimal places, which keeps
 * every cost an exact number of picodollars.
 */
public record Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok,
                    BigDecimal cacheWritePerMtok) {

    public Price {
        Objects.requireNonNull(inputPerMtok, "inputPerMtok");
        Objects.requireNonNull(outputPerMtok, "outputPerMtok");
        cachedInputPerMtok = cachedInputPerMtok == null ? inputPerMtok : cachedInputPerMtok;
        cacheWritePerMtok = cacheWritePerMtok == null ? inputPerMtok : cacheWritePerMtok;
        for (BigDecimal p : new BigDecimal[]{inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok}) {
            if (p.signum() < 0) {
                throw new IllegalArgumentException("a price cannot be negative: " + p);
            }
            if (p.stripTrailingZeros().scale() > 6) {
                throw new IllegalArgumentException("a price per 1M tokens may have at most 6 decimal places: " + p);
            }
        }
    }

    public static Price of(String input, String output) {
        return new Price(new BigDecimal(input), new BigDecimal(output), null, null);
    }

    /** The exact cost of a call with this usage. */
    public Money cost(Usage usage) {
        return perToken(inputPerMtok).times(usage.uncachedInputTokens())
                .plus(perToken(cachedInputPerMtok).times(usage.cachedInputTokens()))
                .plus(perToken(cacheWritePerMtok).times(usage.cacheWriteTokens()))
                .plus(perToken(outputPerMtok).times(usage.outputTokens()));
    }

    /**
     * What provider prompt caching saved on a call with this usage: its cost with every billed input token at
     * the plain input price (no cached-read discount, no cache-write premium) minus its {@link #cost(Usage) cost},
     * i.e. {@code cached × (input − cached price) + written × (input − cache-write price)}. Negative when a
     * cache write cost more than the reads saved (Anthropic's writes cost 1.25× input); zero without cache
     * tokens or cache prices. Exact, like the cost.
     */
    public Money cacheSaving(Usage usage) {
        Money input = perToken(inputPerMtok);
        return input.minus(perToken(cachedInputPerMtok)).times(usage.cachedInputTokens())
                .plus(input.minus(perToken(cacheWritePerMtok)).times(usage.cacheWriteTokens()));
    }

    /** Whether reading from the provider's prompt cache is cheaper than plain input for this model. */
    public boolean discountsCachedInput() {
        return cachedInputPerMtok.compareTo(inputPerMtok) < 0;
    }

    /**
     * The most a call can cost: every input token at the dearest input price (a cache write costs more
     * than plain input on Anthropic) plus {@code maxOutputTokens} of output; {@link #UNAFFORDABLE} if that
     * is beyond what a {@link Money} holds.
     */
    public Money worstCase(long inputTokens, long maxOutputTokens) {
        BigDecimal input = inputPerMtok.max(cachedInputPerMtok).max(cacheWritePerMtok);
        try {
            return perToken(input).times(inputTokens).plus(perToken(outputPerMtok).times(maxOutputTokens));
        } catch (ArithmeticException beyondAnyBudget) {
            return UNAFFORDABLE;
        }
    }

    /** A worst case too large to count (about $9.2 million): no budget covers it. */
    public static final Money UNAFFORDABLE = new Money(Long.MAX_VALUE);

    /** Prices are equal when they are numerically equal ({@code 3} and {@code 3.00} are the same price). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Price p && inputPerMtok.compareTo(p.inputPerMtok) == 0
                && outputPerMtok.compareTo(p.outputPerMtok) == 0
                && cachedInputPerMtok.compareTo(p.cachedInputPerMtok) == 0
                && cacheWritePerMtok.compareTo(p.cacheWritePerMtok) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputPerMtok.stripTrailingZeros(), outputPerMtok.stripTrailingZeros(),
                cachedInputPerMtok.stripTrailingZeros(), cacheWritePerMtok.stripTrailingZeros());
    }

    // $P per 1M tokens = P micro-dollars per token = P * 10^6 picodollars per token.
    private static Money perToken(BigDecimal perMtok) {
        return new Money(perMtok.movePointRight(6).longValueExact());
    }
}
