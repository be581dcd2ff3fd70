package dev.triage.simulate.trace;

import dev.triage.caching.CachePlanner;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.chat.Money;
import dev.triage.chat.PromptCache.Ttl;
import dev.triage.provider.anthropic.PromptCaching;
import java.math.BigDecimal;

/**
 * Anthropic's prompt-cache rules for one model, with its prices per token: an entry holds a prompt's
 * prefix up to a breakpoint; writing it costs the write price (1.25x input for five minutes, 2x for an
 * hour), reading it a tenth of the input price; a read renews its lifetime; at most
 * {@code maxBreakpoints} breakpoints per request, each looking for an earlier entry at the block
 * boundaries up to {@code lookback} before it; nothing shorter than {@code minimumTokens} is cached.
 *
 * @param model         the catalog id the prices come from
 * @param minimumTokens the shortest prefix the model caches
 * @param maxBreakpoints breakpoints a request may carry
 * @param lookback      block boundaries before a breakpoint searched for an earlier entry
 * @param input         price of a plain input token
 * @param read          price of a token read from the cache
 * @param write5m       price of a token written to a five-minute entry
 * @param write1h       price of a token written to a one-hour entry
 * @param output        price of an output token
 */
public record CacheRules(String model, int minimumTokens, int maxBreakpoints, int lookback, Money input, Money read,
                         Money write5m, Money write1h, Money output) {

    /** The rules as the gateway knows them ({@link PromptCaching}, {@link CachePlanner}), at {@code model}'s catalog prices. */
    public static CacheRules anthropic(ModelInfo model) {
        Price p = model.price();
        Money input = perToken(p.inputPerMtok());
        // the catalog's write price is the five-minute one; an hour costs twice the input price
        return new CacheRules(model.id(), PromptCaching.minimumTokens(model.upstreamModel()), PromptCaching.MAX_BREAKPOINTS,
                CachePlanner.LOOKBACK_BLOCKS, input, perToken(p.cachedInputPerMtok()), perToken(p.cacheWritePerMtok()),
                input.times(2), perToken(p.outputPerMtok()));
    }

    /** How long an entry lives after it is written or read. */
    public static long lifetimeMs(Ttl ttl) {
        return switch (ttl) {
            case FIVE_MINUTES -> 5 * 60_000L;
            case ONE_HOUR -> 60 * 60_000L;
        };
    }

    /** The price of a token written to an entry of lifetime {@code ttl}. */
    public Money write(Ttl ttl) {
        return switch (ttl) {
            case FIVE_MINUTES -> write5m;
            case ONE_HOUR -> write1h;
        };
    }

    private static Money perToken(BigDecimal perMtok) {
        return Money.ofUsd(perMtok.movePointLeft(6));
    }
}
