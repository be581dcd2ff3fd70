package dev.triage.catalog;

import java.time.LocalDate;
import java.util.List;

/**
 * One model Triage can call: where, under which upstream id, at what price, and what to try if it fails.
 *
 * @param id              Triage's id for the model, used in requests, config and the ledger
 * @param provider        the name of the configured provider that serves it ({@code providers.NAME})
 * @param upstreamModel   the id the provider's API expects (often dated, e.g. {@code claude-3-5-sonnet-20241022})
 * @param price           USD per 1M tokens
 * @param contextWindow   input + output tokens the model accepts
 * @param maxOutputTokens the most output tokens the model produces in one call
 * @param priceDate       when the price was checked
 * @param priceSource     where the price comes from (a URL)
 * @param fallback        models to try, in order, when this one fails (from config)
 */
public record ModelInfo(String id, String provider, String upstreamModel, Price price, int contextWindow,
                        int maxOutputTokens, LocalDate priceDate, String priceSource, List<String> fallback) {

    public ModelInfo {
        fallback = fallback == null ? List.of() : List.copyOf(fallback);
    }

    public ModelInfo withProvider(String providerName) {
        return new ModelInfo(id, providerName, upstreamModel, price, contextWindow, maxOutputTokens, priceDate, priceSource, fallback);
    }

    public ModelInfo withFallback(List<String> chain) {
        return new ModelInfo(id, provider, upstreamModel, price, contextWindow, maxOutputTokens, priceDate, priceSource, chain);
    }
}
