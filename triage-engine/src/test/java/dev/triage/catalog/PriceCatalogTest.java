package dev.triage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final PriceCatalog BUNDLED = PriceCatalog.builtIn();

    @Test
    void bundledCatalogHoldsAtLeastTwentyFiveModels() {
        assertThat(BUNDLED.all()).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void bundledCatalogContainsEveryModelTheSpecificationNames() {
        assertThat(List.of("gemini-2.0-flash", "gpt-4.1", "gpt-4.1-mini", "gpt-4.5", "claude-3.5-sonnet", "claude-3.7-sonnet"))
                .allSatisfy(id -> assertThat(BUNDLED.contains(id)).as(id).isTrue());
    }

    @Test
    void bundledCatalogContainsTheStrongAndWeakModelsOfTheRoutingDatasets() {
        assertThat(BUNDLED.find("gpt-4-1106-preview").orElseThrow().price())
                .isEqualTo(Price.of("10.00", "30.00"));
        ModelInfo mixtral = BUNDLED.find("mixtral-8x7b-instruct").orElseThrow();
        assertThat(mixtral.provider()).isEqualTo("together");
        assertThat(mixtral.price()).isEqualTo(Price.of("0.24", "0.24"));
    }

    @Test
    void bundledCatalogCoversOpenAiAnthropicAndGoogle() {
        Set<String> providers = BUNDLED.all().stream().map(ModelInfo::provider).collect(Collectors.toSet());
        assertThat(providers).contains("openai", "anthropic", "google");
    }

    @Test
    void everyBundledModelHasPositivePricesALimitADateAndASource() {
        assertThat(BUNDLED.all()).allSatisfy(m -> {
            assertThat(m.price().inputPerMtok()).as(m.id()).isPositive();
            assertThat(m.price().outputPerMtok()).as(m.id()).isPositive();
            assertThat(m.contextWindow()).as(m.id()).isPositive();
            assertThat(m.maxOutputTokens()).as(m.id()).isPositive();
            assertThat(m.upstreamModel()).as(m.id()).isNotBlank();
            assertThat(m.priceDate()).as(m.id()).isNotNull();
            assertThat(m.priceSource()).as(m.id()).startsWith("https://");
        });
    }

    @Test
    void spokenIdsMapToTheDatedIdsTheProvidersAccept() {
        assertThat(BUNDLED.find("claude-3.5-sonnet").orElseThrow().upstreamModel()).isEqualTo("claude-3-5-sonnet-20241022");
        assertThat(BUNDLED.find("claude-3.7-sonnet").orElseThrow().upstreamModel()).isEqualTo("claude-3-7-sonnet-20250219");
        assertThat(BUNDLED.find("gpt-4.5").orElseThrow().upstreamModel()).isEqualTo("gpt-4.5-preview");
        assertThat(BUNDLED.find("gemini-2.0-flash").orElseThrow().upstreamModel()).isEqualTo("gemini-2.0-flash");
    }

    @Test
    void anthropicCacheReadsAreCheaperAndFiveMinuteCacheWritesDearerThanPlainInput() {
        assertThat(BUNDLED.all().stream().filter(m -> m.provider().equals("anthropic")).toList()).allSatisfy(m -> {
            BigDecimal input = m.price().inputPerMtok();
            assertThat(m.price().cachedInputPerMtok()).as(m.id()).isLessThan(input);
            assertThat(m.price().cacheWritePerMtok()).as(m.id()).isGreaterThan(input);
        });
    }

    @Test
    void anthropicCachePricesAreThePublishedOnesEvenWhereTheyAreRoundedFromTheMultipliers() {
        // 0.1x and 1.25x of $0.25 would be $0.025 and $0.3125; Anthropic publishes $0.03 and $0.30
        Price haiku3 = BUNDLED.find("claude-3-haiku").orElseThrow().price();
        assertThat(haiku3.cachedInputPerMtok()).isEqualByComparingTo("0.03");
        assertThat(haiku3.cacheWritePerMtok()).isEqualByComparingTo("0.30");

        Price sonnet37 = BUNDLED.find("claude-3.7-sonnet").orElseThrow().price();
        assertThat(sonnet37.cachedInputPerMtok()).isEqualByComparingTo("0.30");
        assertThat(sonnet37.cacheWritePerMtok()).isEqualByComparingTo("3.75");
    }

    @Test
    void claudeSonnetCallWithCacheReadsAndWritesCostsTheExactSumOfItsParts() {
        // 700 uncached x $3 + 200 read x $0.30 + 100 written x $3.75 + 500 out x $15, per 1M tokens
        Usage usage = new Usage(1_000, 500, 200, 100, 0, false);

        Money cost = BUNDLED.find("claude-3.5-sonnet").orElseThrow().price().cost(usage);

        assertThat(cost.toUsdString()).isEqualTo("0.010035");
    }

    @Test
    void oneMillionGeminiFlashInputTokensCostTenCents() {
        Money cost = BUNDLED.find("gemini-2.0-flash").orElseThrow().price().cost(Usage.reported(1_000_000, 0));

        assertThat(cost).isEqualTo(Money.ofUsd("0.10"));
        assertThat(cost.toUsdString()).isEqualTo("0.1");
    }

    @Test
    void openAiCachedTokensAreBilledAtTheCachedInputPrice() {
        // gpt-4.1: 1,000 prompt tokens of which 400 cached, 100 output
        Usage usage = new Usage(1_000, 100, 400, 0, 0, false);

        Money cost = BUNDLED.find("gpt-4.1").orElseThrow().price().cost(usage);

        assertThat(cost.toUsdString()).isEqualTo("0.0022");
    }

    @Test
    void priceWithoutCachePricesBillsCachedTokensAtTheInputPrice() {
        Price price = Price.of("0.075", "0.30");

        assertThat(price.cost(new Usage(1_000, 0, 1_000, 0, 0, false))).isEqualTo(Money.ofUsd("0.000075"));
    }

    @Test
    void worstCaseCountsEveryInputTokenUncachedPlusTheOutputCap() {
        Price price = BUNDLED.find("gpt-4.1-mini").orElseThrow().price();

        assertThat(price.worstCase(10_000, 2_000).toUsdString()).isEqualTo("0.0072");
    }

    @Test
    void worstCaseBillsEveryInputTokenAtTheDearestInputPriceACacheWriteIncluded() {
        Price sonnet = BUNDLED.find("claude-3.5-sonnet").orElseThrow().price(); // $3 input, $3.75 cache write, $15 output

        assertThat(sonnet.worstCase(1_000_000, 0)).isEqualTo(Money.ofUsd("3.75"));
        assertThat(sonnet.worstCase(Long.MAX_VALUE, 1)).isEqualTo(Price.UNAFFORDABLE);
    }

    @Test
    void modelsBilledMoreThanTheDefaultPerImageSayHowMuch() {
        // gpt-4o-mini: 2,833 base tokens and 5,667 per 512-px tile, up to 8 tiles (768 x 2048 after scaling)
        assertThat(BUNDLED.find("gpt-4o-mini").orElseThrow().imageTokenLimit()).isEqualTo(2_833 + 8 * 5_667);
        assertThat(BUNDLED.find("gpt-4.1").orElseThrow().imageTokenLimit()).isEqualTo(ModelInfo.DEFAULT_MAX_IMAGE_TOKENS);
        assertThat(BUNDLED.all()).allSatisfy(m -> assertThat(m.maxOutputTokens()).as(m.id()).isPositive());
    }

    @Test
    void priceAcceptsSixDecimalPlaces() {
        assertThat(Price.of("0.000001", "0.01875").inputPerMtok()).isEqualByComparingTo("0.000001");
        assertThat(Price.of("1.2500000", "5").inputPerMtok()).isEqualByComparingTo("1.25");
    }

    @Test
    void priceRejectsMoreThanSixDecimalPlaces() {
        assertThatThrownBy(() -> Price.of("0.0000001", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 6 decimal places");
        assertThatThrownBy(() -> new Price(BigDecimal.ONE, BigDecimal.ONE, new BigDecimal("0.1234567"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void priceRejectsNegativePrices() {
        assertThatThrownBy(() -> Price.of("-1", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> new Price(BigDecimal.ONE, BigDecimal.ONE, null, new BigDecimal("-0.01")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
