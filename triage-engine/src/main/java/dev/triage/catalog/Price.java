package dev.triage.catalog;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * A model's prices in USD per million tokens. Cached-input and cache-write prices default to the
 * input price when the provider has none. Prices may have at most six decimal places, which keeps
 * every cost an exact number of picodollars.
 *
 * @param cacheStoragePerMtokHour what keeping an explicit cache costs per million tokens per hour (Gemini's
 *                                {@code cachedContents}); null when unknown, and then no explicit cache is ever bought
 * @param longContext             the dearer prices of a call whose prompt is longer than a threshold; null when the
 *                                model has one price whatever the prompt's length
 */
public record Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok,
                    BigDecimal cacheWritePerMtok, BigDecimal cacheStoragePerMtokHour, LongContext longContext) {

    /**
     * Prices for prompts of more than {@code aboveInputTokens} tokens (cache reads and writes included), which then
     * apply to the whole call, output too: how Anthropic bills Claude above 200K input tokens, Google Gemini Pro
     * above 200K and OpenAI GPT-5.5 above 272K.
     *
     * @param price the tier's prices; it has no long-context tier of its own
     */
    public record LongContext(long aboveInputTokens, Price price) {
        public LongContext {
            Objects.requireNonNull(price, "price");
            if (aboveInputTokens < 1) {
                throw new IllegalArgumentException("a long-context threshold is at least 1 token: " + aboveInputTokens);
            }
            if (price.longContext() != null) {
                throw new IllegalArgumentException("a long-context tier cannot have a tier of its own");
            }
        }
    }

    private static final BigInteger NANOS_PER_HOUR = BigInteger.valueOf(Duration.ofHours(1).toNanos());

    public Price {
        Objects.requireNonNull(inputPerMtok, "inputPerMtok");
        Objects.requireNonNull(outputPerMtok, "outputPerMtok");
        cachedInputPerMtok = cachedInputPerMtok == null ? inputPerMtok : cachedInputPerMtok;
        cacheWritePerMtok = cacheWritePerMtok == null ? inputPerMtok : cacheWritePerMtok;
        BigDecimal storage = cacheStoragePerMtokHour == null ? BigDecimal.ZERO : cacheStoragePerMtokHour;
        for (BigDecimal p : new BigDecimal[]{inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, storage}) {
            if (p.signum() < 0) {
                throw new IllegalArgumentException("a price cannot be negative: " + p);
            }
            if (p.stripTrailingZeros().scale() > 6) {
                throw new IllegalArgumentException("a price per 1M tokens may have at most 6 decimal places: " + p);
            }
        }
    }

    /** A price without a known cache-storage price. */
    public Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok, BigDecimal cacheWritePerMtok) {
        this(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, null);
    }

    /** A price the same for every prompt length. */
    public Price(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok, BigDecimal cacheWritePerMtok,
                 BigDecimal cacheStoragePerMtokHour) {
        this(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, cacheStoragePerMtokHour, null);
    }

    /** This price with {@code tier} as its long-context tier (null: none). */
    public Price withLongContext(LongContext tier) {
        return new Price(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, cacheStoragePerMtokHour, tier);
    }

    /**
     * The prices a call with {@code promptTokens} prompt tokens (cached and written ones included) is billed at:
     * the long-context tier's when the prompt is longer than its threshold, else these.
     */
    public Price forPrompt(long promptTokens) {
        return longContext != null && promptTokens > longContext.aboveInputTokens() ? longContext.price() : this;
    }

    public static Price of(String input, String output) {
        return new Price(new BigDecimal(input), new BigDecimal(output), null, null);
    }

    /** The exact cost of a call with this usage, at the tier its prompt length selects ({@link #forPrompt}). */
    public Money cost(Usage usage) {
        Price tier = forPrompt(usage.inputTokens());
        if (tier != this) {
            return tier.cost(usage);
        }
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
        Price tier = forPrompt(usage.inputTokens());
        if (tier != this) {
            return tier.cacheSaving(usage);
        }
        Money input = perToken(inputPerMtok);
        return input.minus(perToken(cachedInputPerMtok)).times(usage.cachedInputTokens())
                .plus(input.minus(perToken(cacheWritePerMtok)).times(usage.cacheWriteTokens()));
    }

    /**
     * What keeping {@code tokens} in an explicit cache for {@code held} costs, rounded up to a whole picodollar
     * (exact before the rounding: the price is whole picodollars per token-hour). Zero without a storage price.
     */
    public Money cacheStorage(long tokens, Duration held) {
        if (cacheStoragePerMtokHour == null || tokens <= 0 || held.isNegative() || held.isZero()) {
            return Money.ZERO;
        }
        BigInteger picoNanos = BigInteger.valueOf(perToken(cacheStoragePerMtokHour).picos())
                .multiply(BigInteger.valueOf(tokens)).multiply(BigInteger.valueOf(held.toNanos()));
        BigInteger[] picos = picoNanos.divideAndRemainder(NANOS_PER_HOUR);
        return new Money(picos[0].add(picos[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO).longValueExact());
    }

    /** Whether an explicit cache has a known storage price for this model. */
    public boolean pricesCacheStorage() {
        return cacheStoragePerMtokHour != null;
    }

    /** Whether reading from the provider's prompt cache is cheaper than plain input for this model. */
    public boolean discountsCachedInput() {
        return cachedInputPerMtok.compareTo(inputPerMtok) < 0;
    }

    /**
     * The most a call can cost: every input token at the dearest input price (a cache write costs more
     * than plain input on Anthropic) plus {@code maxOutputTokens} of output, at the tier {@code inputTokens}
     * selects; {@link #UNAFFORDABLE} if that is beyond what a {@link Money} holds.
     */
    public Money worstCase(long inputTokens, long maxOutputTokens) {
        Price tier = forPrompt(inputTokens);
        if (tier != this) {
            return tier.worstCase(inputTokens, maxOutputTokens);
        }
        BigDecimal input = inputPerMtok.max(cachedInputPerMtok).max(cacheWritePerMtok);
        try {
            return perToken(input).times(inputTokens).plus(perToken(outputPerMtok).times(maxOutputTokens));
        } catch (ArithmeticException beyondAnyBudget) {
            return UNAFFORDABLE;
        }
    }

    /**
     * The most the output of a call with a prompt of {@code inputTokens} can cost: {@code maxOutputTokens} at the
     * output price of the tier the prompt selects; {@link #UNAFFORDABLE} if beyond what a {@link Money} holds.
     */
    public Money worstCaseOutput(long inputTokens, long maxOutputTokens) {
        return forPrompt(inputTokens).worstCase(0, maxOutputTokens);
    }

    /** A worst case too large to count (about $9.2 million): no budget covers it. */
    public static final Money UNAFFORDABLE = new Money(Long.MAX_VALUE);

    /** Prices are equal when they are numerically equal ({@code 3} and {@code 3.00} are the same price). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Price p && inputPerMtok.compareTo(p.inputPerMtok) == 0
                && outputPerMtok.compareTo(p.outputPerMtok) == 0
                && cachedInputPerMtok.compareTo(p.cachedInputPerMtok) == 0
                && cacheWritePerMtok.compareTo(p.cacheWritePerMtok) == 0
                && (cacheStoragePerMtokHour == null ? p.cacheStoragePerMtokHour == null
                        : p.cacheStoragePerMtokHour != null && cacheStoragePerMtokHour.compareTo(p.cacheStoragePerMtokHour) == 0)
                && Objects.equals(longContext, p.longContext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputPerMtok.stripTrailingZeros(), outputPerMtok.stripTrailingZeros(),
                cachedInputPerMtok.stripTrailingZeros(), cacheWritePerMtok.stripTrailingZeros(),
                cacheStoragePerMtokHour == null ? null : cacheStoragePerMtokHour.stripTrailingZeros(), longContext);
    }

    // $P per 1M tokens = P micro-dollars per token = P * 10^6 picodollars per token.
    private static Money perToken(BigDecimal perMtok) {
        return new Money(perMtok.movePointRight(6).longValueExact());
    }
}
