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
 * @param contextWindow   input + output tokens the model accepts; 0 if unknown
 * @param maxOutputTokens the most output tokens the model produces in one call; 0 if unknown
 * @param maxImageTokens  the most input tokens one image can be billed as; 0 for the default
 *                        ({@value #DEFAULT_MAX_IMAGE_TOKENS})
 * @param priceDate       when the price was checked
 * @param priceSource     where the price comes from (a URL)
 * @param fallback        models to try, in order, when this one fails (from config)
 * @param status          current, deprecated (with its retirement date) or retired (since when)
 */
public record ModelInfo(String id, String provider, String upstreamModel, Price price, int contextWindow,
                        int maxOutputTokens, int maxImageTokens, LocalDate priceDate, String priceSource, List<String> fallback,
                        ModelStatus status) {

    /**
     * The output limit assumed for a model that declares none: 131,072 tokens, above the largest
     * maximum output in the bundled catalog (128,000), so a budget never reserves less than it may pay.
     */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 131_072;

    /** The context window assumed for a model that declares none: the largest in the bundled catalog. */
    public static final int DEFAULT_CONTEXT_WINDOW = 2_097_152;

    /**
     * The most tokens one image is billed as, for models that declare no figure of their own: the largest
     * documented per-image bill among the vendors Triage speaks to. Together's vision models bill up to
     * 2x2 tiles of 1,601 tokens (docs.together.ai/docs/vision-overview); OpenAI's patch-billed models up to
     * 1,536 patches x 2.46 = 3,779 (platform.openai.com/docs/guides/images-vision, "Calculating costs");
     * Claude about 1,600, up to ~4,800 on the newest models (docs.anthropic.com, "Vision", image costs).
     * Models billed more per image (gpt-4o-mini: 2,833 + 8 tiles x 5,667) say so in the catalog.
     */
    public static final int DEFAULT_MAX_IMAGE_TOKENS = 6_404;

    public ModelInfo {
        fallback = fallback == null ? List.of() : List.copyOf(fallback);
        status = status == null ? ModelStatus.CURRENT : status;
    }

    /** A current model. */
    public ModelInfo(String id, String provider, String upstreamModel, Price price, int contextWindow,
                     int maxOutputTokens, int maxImageTokens, LocalDate priceDate, String priceSource, List<String> fallback) {
        this(id, provider, upstreamModel, price, contextWindow, maxOutputTokens, maxImageTokens, priceDate, priceSource, fallback,
                ModelStatus.CURRENT);
    }

    /** A model with the default per-image bound. */
    public ModelInfo(String id, String provider, String upstreamModel, Price price, int contextWindow,
                     int maxOutputTokens, LocalDate priceDate, String priceSource, List<String> fallback) {
        this(id, provider, upstreamModel, price, contextWindow, maxOutputTokens, 0, priceDate, priceSource, fallback);
    }

    public ModelInfo withProvider(String providerName) {
        return new ModelInfo(id, providerName, upstreamModel, price, contextWindow, maxOutputTokens, maxImageTokens, priceDate,
                priceSource, fallback, status);
    }

    public ModelInfo withFallback(List<String> chain) {
        return new ModelInfo(id, provider, upstreamModel, price, contextWindow, maxOutputTokens, maxImageTokens, priceDate,
                priceSource, chain, status);
    }

    /** Whether the vendor no longer serves this model: a call to it fails upstream. */
    public boolean retired() {
        return status instanceof ModelStatus.Retired;
    }

    /** The most output tokens one answer (one choice) can have: declared, else bounded by the context window, else the default. */
    public long outputLimit() {
        if (maxOutputTokens > 0) {
            return maxOutputTokens;
        }
        return contextWindow > 0 ? Math.min(contextWindow, DEFAULT_MAX_OUTPUT_TOKENS) : DEFAULT_MAX_OUTPUT_TOKENS;
    }

    /** The most input tokens one call can be billed: a longer prompt is refused by the provider, unbilled. */
    public long inputLimit() {
        return contextWindow > 0 ? contextWindow : DEFAULT_CONTEXT_WINDOW;
    }

    /** The most input tokens one image can be billed as. */
    public long imageTokenLimit() {
        return maxImageTokens > 0 ? maxImageTokens : DEFAULT_MAX_IMAGE_TOKENS;
    }
}
