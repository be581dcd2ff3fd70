package dev.triage.config;

import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One entry of {@code models:}, holding only what the file gives: every component except
 * {@code id} is null when left out. An entry whose id is in the bundled catalog overrides just
 * those fields; a new id carries at least {@code provider} and both prices (the loader checks).
 *
 * @param fallback models to try, in order, when this one fails; null when left out (an empty list clears the chain)
 */
public record ModelConfig(String id, String provider, String upstreamModel, BigDecimal inputPerMtok,
                          BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok, BigDecimal cacheWritePerMtok,
                          Integer contextWindow, Integer maxOutputTokens, LocalDate priceDate, String priceSource,
                          List<String> fallback) {

    /** What {@code price_source} says when the config sets a price but not its source. */
    public static final String CONFIG_PRICE_SOURCE = "config";

    public ModelConfig {
        fallback = fallback == null ? null : List.copyOf(fallback);
    }

    private boolean setsPrice() {
        return inputPerMtok != null || outputPerMtok != null || cachedInputPerMtok != null || cacheWritePerMtok != null;
    }

    /**
     * The model this entry describes: {@code bundled} with the given fields replaced, or, when
     * {@code bundled} is null, a new model (upstream id defaulting to {@code id}, context window
     * and output limit 0 meaning unknown).
     */
    public ModelInfo applyTo(ModelInfo bundled) {
        if (bundled == null) {
            if (provider == null || inputPerMtok == null || outputPerMtok == null) {
                throw new IllegalStateException("model " + id + " is not in the catalog and lacks provider or prices");
            }
            return new ModelInfo(id, provider, upstreamModel == null ? id : upstreamModel,
                    new Price(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok),
                    contextWindow == null ? 0 : contextWindow, maxOutputTokens == null ? 0 : maxOutputTokens,
                    priceDate, priceSource == null ? CONFIG_PRICE_SOURCE : priceSource, fallback);
        }
        Price base = bundled.price();
        Price price = setsPrice()
                ? new Price(or(inputPerMtok, base.inputPerMtok()), or(outputPerMtok, base.outputPerMtok()),
                        or(cachedInputPerMtok, base.cachedInputPerMtok()), or(cacheWritePerMtok, base.cacheWritePerMtok()),
                        base.cacheStoragePerMtokHour())
                : base;
        // A bundled price date and source would vouch for a price the config replaced.
        LocalDate date = priceDate != null ? priceDate : setsPrice() ? null : bundled.priceDate();
        String source = priceSource != null ? priceSource : setsPrice() ? CONFIG_PRICE_SOURCE : bundled.priceSource();
        return new ModelInfo(id, or(provider, bundled.provider()), or(upstreamModel, bundled.upstreamModel()), price,
                or(contextWindow, bundled.contextWindow()), or(maxOutputTokens, bundled.maxOutputTokens()),
                bundled.maxImageTokens(), date, source, or(fallback, bundled.fallback()), bundled.status());
    }

    private static <T> T or(T given, T inherited) {
        return given != null ? given : inherited;
    }
}
