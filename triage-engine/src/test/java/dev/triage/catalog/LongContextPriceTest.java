package dev.triage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Prompts above a model's long-context threshold move the whole call, output and cache tokens too, to the dearer tier. */
class LongContextPriceTest {

    private static final PriceCatalog BUNDLED = PriceCatalog.builtIn();
    // Claude Sonnet 4.5: $3 / $15, cache read $0.30, write $3.75; above 200K input tokens $6 / $22.50, $0.60, $7.50.
    private static final Price SONNET_45 = BUNDLED.find("claude-sonnet-4.5").orElseThrow().price();

    @Test
    void aPromptOfExactlyTheThresholdIsBilledAtTheStandardRates() {
        // 200,000 x $3 + 1,000 x $15 per 1M tokens = $0.60 + $0.015
        assertThat(SONNET_45.cost(Usage.reported(200_000, 1_000))).isEqualTo(Money.ofUsd("0.615"));
    }

    @Test
    void oneTokenMoreBillsTheWholeCallInputAndOutputAtTheLongContextRates() {
        // 200,001 x $6 + 1,000 x $22.50 per 1M tokens = $1.200006 + $0.0225
        assertThat(SONNET_45.cost(Usage.reported(200_001, 1_000))).isEqualTo(Money.ofUsd("1.222506"));
    }

    @Test
    void cacheReadsAndWritesCountTowardTheThresholdAndAreBilledAtTheTiersCachePrices() {
        // 50,000 plain + 150,000 read + 10,000 written = 210,000 prompt tokens: above 200K.
        Usage usage = new Usage(210_000, 2_000, 150_000, 10_000, 0, false);

        // 50,000 x $6 + 150,000 x $0.60 + 10,000 x $7.50 + 2,000 x $22.50 = $0.30 + $0.09 + $0.075 + $0.045
        assertThat(SONNET_45.cost(usage)).isEqualTo(Money.ofUsd("0.51"));
        // Saved against the same call uncached at the tier's $6: 150,000 x $5.40 - 10,000 x $1.50
        assertThat(SONNET_45.cacheSaving(usage)).isEqualTo(Money.ofUsd("0.795"));
    }

    @Test
    void geminiProAbove200kTokensCostsTheLongPromptPrices() {
        Price pro = BUNDLED.find("gemini-2.5-pro").orElseThrow().price();

        assertThat(pro.cost(Usage.reported(1_000_000, 0))).isEqualTo(Money.ofUsd("2.50"));
        assertThat(pro.cost(Usage.reported(100_000, 0))).isEqualTo(Money.ofUsd("0.125"));
        assertThat(pro.cost(new Usage(300_000, 10_000, 300_000, 0, 0, false))).isEqualTo(Money.ofUsd("0.225")); // 300K x $0.25 + 10K x $15
    }

    @Test
    void gpt55SwitchesAbove272kInputTokens() {
        Price gpt55 = BUNDLED.find("gpt-5.5").orElseThrow().price();

        assertThat(gpt55.cost(Usage.reported(272_000, 1_000))).isEqualTo(Money.ofUsd("1.39")); // $1.36 + $0.03
        assertThat(gpt55.cost(Usage.reported(272_001, 1_000))).isEqualTo(Money.ofUsd("2.76501")); // $2.72001 + $0.045
    }

    @Test
    void theWorstCaseOfALongPromptIsAtTheLongContextTierItsAnswerToo() {
        assertThat(SONNET_45.worstCase(300_000, 0)).isEqualTo(Money.ofUsd("2.25")); // 300K at the $7.50 cache write
        assertThat(SONNET_45.worstCaseOutput(300_000, 10_000)).isEqualTo(Money.ofUsd("0.225"));
        assertThat(SONNET_45.worstCaseOutput(1_000, 10_000)).isEqualTo(Money.ofUsd("0.15"));
    }

    @Test
    void aModelWithoutATierHasOnePriceWhateverThePromptLength() {
        Price sonnet35 = BUNDLED.find("claude-3.5-sonnet").orElseThrow().price();

        assertThat(sonnet35.longContext()).isNull();
        assertThat(sonnet35.forPrompt(10_000_000)).isSameAs(sonnet35);
        assertThat(sonnet35.cost(Usage.reported(1_000_000, 0))).isEqualTo(Money.ofUsd("3"));
    }

    @Test
    void aTierNeedsAPositiveThresholdAndCannotNestAnotherTier() {
        Price flat = Price.of("1", "2");
        assertThatThrownBy(() -> new Price.LongContext(0, flat)).isInstanceOf(IllegalArgumentException.class);
        Price tiered = flat.withLongContext(new Price.LongContext(10, Price.of("2", "4")));
        assertThatThrownBy(() -> new Price.LongContext(10, tiered)).hasMessageContaining("cannot have a tier of its own");
        assertThat(tiered).isNotEqualTo(flat);
        assertThat(tiered).isEqualTo(Price.of("1.00", "2.0").withLongContext(new Price.LongContext(10, Price.of("2", "4"))));
        assertThat(new Price(BigDecimal.ONE, BigDecimal.TWO, null, null).withLongContext(null)).isEqualTo(flat);
    }
}
