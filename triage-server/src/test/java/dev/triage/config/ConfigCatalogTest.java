package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code models:} merges with the bundled catalog. */
class ConfigCatalogTest {

    private static final ModelInfo BUNDLED_GPT41 = PriceCatalog.builtIn().find("gpt-4.1").orElseThrow();

    private static PriceCatalog catalogOf(String yaml) {
        return ConfigLoader.parse(yaml, "triage.yaml", Map.of()).catalog();
    }

    @Test
    void overridingOnlyTheFallbackKeepsEveryBundledField() {
        PriceCatalog catalog = catalogOf("""
                providers: {sim: {kind: simulated}}
                models:
                  cheap: {provider: sim, input_per_mtok: 0.1, output_per_mtok: 0.2}
                  gpt-4.1: {fallback: [cheap]}
                """);

        assertThat(catalog.find("gpt-4.1").orElseThrow()).isEqualTo(BUNDLED_GPT41.withFallback(List.of("cheap")));
    }

    @Test
    void overridingABundledModelKeepsItsPerImageBill() {
        PriceCatalog catalog = catalogOf("""
                providers: {sim: {kind: simulated}}
                models:
                  gpt-4o-mini: {provider: sim}
                """);

        assertThat(catalog.find("gpt-4o-mini").orElseThrow().maxImageTokens()).isEqualTo(48_169);
    }

    @Test
    void overridingOnlyTheProviderKeepsThePrice() {
        PriceCatalog catalog = catalogOf("""
                providers: {azure: {kind: openai, base_url: "https://example.openai.azure.com/openai/v1", api_key: k}}
                models:
                  gpt-4.1: {provider: azure}
                """);

        ModelInfo gpt41 = catalog.find("gpt-4.1").orElseThrow();
        assertThat(gpt41).isEqualTo(BUNDLED_GPT41.withProvider("azure"));
        assertThat(gpt41.price()).isEqualTo(new Price(new BigDecimal("2.00"), new BigDecimal("8.00"), new BigDecimal("0.50"),
                new BigDecimal("2.00")));
    }

    @Test
    void overridingOnePriceKeepsTheOthersAndDropsTheBundledPriceProvenance() {
        ModelInfo gpt41 = catalogOf("models: {gpt-4.1: {output_per_mtok: 7.5}}").find("gpt-4.1").orElseThrow();

        assertThat(gpt41.price()).isEqualTo(new Price(new BigDecimal("2.00"), new BigDecimal("7.5"), new BigDecimal("0.50"),
                new BigDecimal("2.00")));
        assertThat(gpt41.priceDate()).isNull();
        assertThat(gpt41.priceSource()).isEqualTo("config");
        assertThat(gpt41.contextWindow()).isEqualTo(BUNDLED_GPT41.contextWindow());
    }

    @Test
    void aNewModelDefaultsItsUpstreamIdToItsOwnIdAndItsLimitsToUnknown() {
        ModelInfo local = catalogOf("""
                providers: {ollama: {kind: openai, base_url: "http://localhost:11434/v1"}}
                models:
                  llama3.2: {provider: ollama, input_per_mtok: 0, output_per_mtok: 0}
                """).find("llama3.2").orElseThrow();

        assertThat(local).isEqualTo(new ModelInfo("llama3.2", "ollama", "llama3.2", Price.of("0", "0"), 0, 0, null, "config",
                List.of()));
    }

    @Test
    void fallbackChainsKeepTheirOrderAndMayNameBundledModels() {
        PriceCatalog catalog = catalogOf("""
                providers: {sim: {kind: simulated}}
                models:
                  a: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [b, gpt-4.1]}
                  b: {provider: sim, input_per_mtok: 0.5, output_per_mtok: 1, fallback: gpt-4.1}
                """);

        assertThat(catalog.find("a").orElseThrow().fallback()).containsExactly("b", "gpt-4.1");
        assertThat(catalog.find("b").orElseThrow().fallback()).containsExactly("gpt-4.1");
        assertThat(catalog.find("gpt-4.1").orElseThrow().fallback()).isEmpty();
    }

    @Test
    void anEmptyFallbackListIsGivenWhileALeftOutOneIsNot() {
        TriageConfig config = ConfigLoader.parse("""
                models:
                  gpt-4.1: {fallback: []}
                """, "triage.yaml", Map.of());

        assertThat(config.models().get("gpt-4.1").fallback()).isEmpty();
        assertThat(ConfigLoader.parse("models: {gpt-4.1: {context_window: 1000}}", "t.yaml", Map.of())
                .models().get("gpt-4.1").fallback()).isNull();
    }

    @Test
    void theCatalogCanBeBuiltOverAnotherBase() {
        PriceCatalog base = new PriceCatalog(List.of(new ModelInfo("m", "p", "m-1", Price.of("1", "2"), 1000, 100, null, null,
                List.of())));
        TriageConfig config = ConfigLoader.parse("providers: {p: {kind: simulated}}\nmodels: {m: {max_output_tokens: 50}}\n",
                "t.yaml", Map.of(), base);

        assertThat(config.catalog(base).find("m").orElseThrow().maxOutputTokens()).isEqualTo(50);
    }

    @Test
    void aBundledModelOverriddenWithoutAPriceKeepsItsLongContextTierAndStatus() {
        PriceCatalog catalog = catalogOf("""
                providers: {vertex: {kind: gemini, api_key: k}}
                models:
                  gemini-2.5-pro: {provider: vertex}
                  gemini-2.0-flash: {provider: vertex}
                """);

        ModelInfo pro = catalog.find("gemini-2.5-pro").orElseThrow();
        assertThat(pro.price().longContext().aboveInputTokens()).isEqualTo(200_000);
        assertThat(pro.status()).isEqualTo(PriceCatalog.builtIn().find("gemini-2.5-pro").orElseThrow().status());
        assertThat(catalog.find("gemini-2.0-flash").orElseThrow().retired()).isTrue();
    }

    @Test
    void aConfigPriceReplacesTheBundledLongContextTierWhichWouldPriceAboveItsThresholdAtOtherRates() {
        PriceCatalog catalog = catalogOf("""
                providers: {vertex: {kind: gemini, api_key: k}}
                models:
                  gemini-2.5-pro: {provider: vertex, input_per_mtok: 1.00}
                """);

        Price price = catalog.find("gemini-2.5-pro").orElseThrow().price();
        assertThat(price.longContext()).isNull();
        assertThat(price.inputPerMtok()).isEqualByComparingTo("1.00");
        assertThat(price.outputPerMtok()).isEqualByComparingTo("10.00");
    }
}
