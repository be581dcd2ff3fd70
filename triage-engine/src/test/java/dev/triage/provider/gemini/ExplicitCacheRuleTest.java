package dev.triage.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.Price;
import dev.triage.chat.Money;
import dev.triage.provider.gemini.ExplicitCacheRule.BelowMinimum;
import dev.triage.provider.gemini.ExplicitCacheRule.DoesNotPay;
import dev.triage.provider.gemini.ExplicitCacheRule.Measurement;
import dev.triage.provider.gemini.ExplicitCacheRule.Pays;
import dev.triage.provider.gemini.ExplicitCacheRule.Unmeasured;
import dev.triage.provider.gemini.ExplicitCacheRule.Unpriced;
import dev.triage.provider.gemini.ExplicitCacheRule.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rule that buys an explicit Gemini cache only where the measured saving beats the storage fee. */
class ExplicitCacheRuleTest {

    // gemini-2.5-flash: $0.30 input, $0.03 cached, $1.00 per 1M tokens per hour of storage.
    private static final Price FLASH = new Price(new BigDecimal("0.30"), new BigDecimal("2.50"), new BigDecimal("0.03"), null,
            new BigDecimal("1.00"));
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofMinutes(10);

    /** 10,000 prefix tokens, {@code sends} in ten minutes, {@code implicit} of ten re-sends' tokens discounted. */
    private static Measurement measured(long sends, int implicitOfTen) {
        return new Measurement(10_000, sends, WINDOW, 10, 100_000, implicitOfTen * 10_000L);
    }

    @Test
    void aPrefixSentOftenAndNeverDiscountedImplicitlyPays() {
        // 6 sends in 10 min = 3 expected in the TTL; saving 3 x 10,000 x $0.27/M = $0.0081;
        // cost 10,000 x $1/M x 1/12 h + 10,000 x $0.30/M = $0.000833 + $0.003 = $0.003833.
        Verdict v = ExplicitCacheRule.decide(measured(6, 0), FLASH, TTL, 1024, true);

        assertThat(v).isEqualTo(new Pays(Money.ofUsd("0.0081"), Money.ofUsd("0.003833333333")));
    }

    @Test
    void aPrefixSentRarelyDoesNotPay() {
        // 2 sends = 1 expected: saving $0.0027 < cost $0.003833.
        Verdict v = ExplicitCacheRule.decide(measured(2, 0), FLASH, TTL, 1024, true);

        assertThat(v).isInstanceOf(DoesNotPay.class);
        assertThat(v.pays()).isFalse();
    }

    @Test
    void implicitHitsAlreadyHighMakeTheSameTrafficNotPay() {
        assertThat(ExplicitCacheRule.decide(measured(6, 0), FLASH, TTL, 1024, true).pays()).isTrue();
        // 9 of 10 re-sends already discounted: saving $0.0081 x 0.1 = $0.00081 < $0.003833.
        Verdict v = ExplicitCacheRule.decide(measured(6, 9), FLASH, TTL, 1024, true);

        assertThat(v).isEqualTo(new DoesNotPay(Money.ofUsd("0.00081"), Money.ofUsd("0.003833333333")));
    }

    @Test
    void keepingALiveCacheLongerCostsOnlyStorage() {
        // 2 sends = 1 expected: $0.0027 does not pay a creation ($0.003833) but pays five more minutes ($0.000833).
        assertThat(ExplicitCacheRule.decide(measured(2, 0), FLASH, TTL, 1024, true).pays()).isFalse();
        assertThat(ExplicitCacheRule.decide(measured(2, 0), FLASH, TTL, 1024, false))
                .isEqualTo(new Pays(Money.ofUsd("0.0027"), Money.ofUsd("0.000833333333")));
    }

    @Test
    void aPrefixBelowTheModelsMinimumIsNeverCached() {
        Measurement small = new Measurement(900, 600, WINDOW, 10, 9_000, 0);

        assertThat(ExplicitCacheRule.decide(small, FLASH, TTL, 1024, true)).isEqualTo(new BelowMinimum(900, 1024));
    }

    @Test
    void withoutAStoragePriceOrACachedDiscountNothingIsBought() {
        Price noStorage = new Price(new BigDecimal("0.30"), new BigDecimal("2.50"), new BigDecimal("0.03"), null);
        Price noDiscount = new Price(new BigDecimal("0.075"), new BigDecimal("0.30"), null, null, new BigDecimal("1.00"));

        assertThat(ExplicitCacheRule.decide(measured(600, 0), noStorage, TTL, 1024, true)).isEqualTo(new Unpriced());
        assertThat(ExplicitCacheRule.decide(measured(600, 0), noDiscount, TTL, 1024, true)).isEqualTo(new Unpriced());
        assertThat(ExplicitCacheRule.decide(measured(600, 0), null, TTL, 1024, true)).isEqualTo(new Unpriced());
    }

    @Test
    void nothingIsBoughtBeforeTwoResendsShowedTheImplicitShare() {
        Measurement early = new Measurement(10_000, 600, WINDOW, 1, 10_000, 0);

        assertThat(ExplicitCacheRule.decide(early, FLASH, TTL, 1024, true)).isEqualTo(new Unmeasured(1));
    }

    @Test
    void theBreakEvenIsExact() {
        // Creation: $0.003833 / ($0.0027 per expected send) = 1.42 expected sends break even:
        // 2 sends in 10 min (1 expected) do not pay, 3 (1.5 expected) do.
        assertThat(ExplicitCacheRule.decide(measured(2, 0), FLASH, TTL, 1024, true).pays()).isFalse();
        assertThat(ExplicitCacheRule.decide(measured(3, 0), FLASH, TTL, 1024, true).pays()).isTrue();
    }

    @Test
    void minimumsFollowGooglesTable() {
        assertThat(ExplicitCacheRule.minimumTokens("gemini-2.5-flash")).isEqualTo(1024);
        assertThat(ExplicitCacheRule.minimumTokens("gemini-3-flash-preview")).isEqualTo(1024);
        assertThat(ExplicitCacheRule.minimumTokens("gemini-2.5-pro")).isEqualTo(4096);
        assertThat(ExplicitCacheRule.minimumTokens("gemini-2.5-flash-lite")).isEqualTo(4096);
        assertThat(ExplicitCacheRule.minimumTokens("gemini-2.0-flash")).isEqualTo(4096);
    }
}
