package dev.triage.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What provider prompt caching saved on one call: the same input at the plain input price, minus what it cost. */
class PriceTest {

    private static final PriceCatalog BUNDLED = PriceCatalog.builtIn();
    // $3 input, $0.30 cache read (0.1x), $3.75 cache write (1.25x), $15 output per 1M tokens.
    private static final Price SONNET = BUNDLED.find("claude-3.5-sonnet").orElseThrow().price();

    @Test
    void anAnthropicCacheWriteCostsAQuarterMoreThanPlainInputSoItsSavingIsNegative() {
        // The first call of a conversation writes its 8,000-token prefix: 2,000 plain + 8,000 written + 200 out.
        Usage write = new Usage(10_000, 200, 0, 8_000, 0, false);

        // $0.006 + $0.03 + $0.003 = $0.039 against $0.03 + $0.003 = $0.033 uncached: 8,000 x ($3 - $3.75)/M.
        assertThat(SONNET.cost(write)).isEqualTo(Money.ofUsd("0.039"));
        assertThat(SONNET.cacheSaving(write)).isEqualTo(Money.ofUsd("-0.006"));
    }

    @Test
    void anAnthropicCacheReadCostsATenthOfPlainInput() {
        // The next call reads the same prefix: 2,000 plain + 8,000 read + 200 out.
        Usage read = new Usage(10_000, 200, 8_000, 0, 0, false);

        // $0.006 + $0.0024 + $0.003 = $0.0114 against $0.033: 8,000 x ($3 - $0.30)/M = $0.0216.
        assertThat(SONNET.cost(read)).isEqualTo(Money.ofUsd("0.0114"));
        assertThat(SONNET.cacheSaving(read)).isEqualTo(Money.ofUsd("0.0216"));
        // One write and one read together: the write's premium is paid back many times over.
        assertThat(SONNET.cacheSaving(read).plus(SONNET.cacheSaving(new Usage(10_000, 200, 0, 8_000, 0, false))))
                .isEqualTo(Money.ofUsd("0.0156"));
    }

    @Test
    void openAiCachedInputSavesTheDifferenceToItsInputPrice() {
        // gpt-4.1: $2 input, $0.50 cached; 1,000 prompt tokens of which 400 cached.
        Price gpt41 = BUNDLED.find("gpt-4.1").orElseThrow().price();

        assertThat(gpt41.cacheSaving(new Usage(1_000, 100, 400, 0, 0, false))).isEqualTo(Money.ofUsd("0.0006"));
    }

    @Test
    void theSavingIsTheUncachedCostMinusTheCostForAnyMixOfReadsAndWrites() {
        for (Usage u : List.of(new Usage(1_000, 500, 200, 100, 0, false), new Usage(7, 3, 5, 2, 0, false),
                new Usage(123_456, 789, 100_000, 23_456, 50, false), new Usage(1_000_000_000, 0, 999_999_999, 1, 0, false))) {
            Usage uncached = new Usage(u.uncachedInputTokens() + u.cachedInputTokens() + u.cacheWriteTokens(), u.outputTokens(),
                    0, 0, u.reasoningTokens(), false);
            assertThat(SONNET.cacheSaving(u)).as(u.toString()).isEqualTo(SONNET.cost(uncached).minus(SONNET.cost(u)));
        }
    }

    @Test
    void withoutCacheTokensOrCachePricesNothingIsSaved() {
        assertThat(SONNET.cacheSaving(Usage.reported(10_000, 200))).isEqualTo(Money.ZERO);
        // An estimate (no provider usage) never has cache tokens.
        assertThat(SONNET.cacheSaving(Usage.estimate(10_000, 200))).isEqualTo(Money.ZERO);
        Price noCachePrices = Price.of("0.075", "0.30");
        assertThat(noCachePrices.cacheSaving(new Usage(1_000, 0, 1_000, 0, 0, false))).isEqualTo(Money.ZERO);
        assertThat(noCachePrices.discountsCachedInput()).isFalse();
        assertThat(SONNET.discountsCachedInput()).isTrue();
    }
}
