package dev.triage.report;

import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.report.Recommendation.Kind;
import dev.triage.report.Report.PromptCache;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The seed's "ignoring the cache" pitfall, measured: what provider prompt caching saved in the period and its
 * hit rate; where a model with a cache discount shows a low hit rate on large prompts, what its input would
 * have cost at the best hit rate a model or route reached (see {@link #cacheEstimate}). Triage has no response
 * cache yet, and says so.
 */
final class CacheAdvice {

    private final PriceCatalog catalog;
    private final ReportSettings settings;

    CacheAdvice(PriceCatalog catalog, ReportSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
    }

    /**
     * The report's cache item, always given.
     *
     * @param estimate whether to look for a model to estimate (not when there is too little data to advise)
     */
    Recommendation recommend(List<UsageRow> rows, PromptCache cache, Report.ResponseCache responses, Duration window,
                             boolean estimate) {
        StringBuilder text = new StringBuilder();
        Map<String, Object> evidence = Recommender.evidence("saved_usd", cache.saved().usd(), "hit_rate_pct", cache.hitRatePct(),
                "input_tokens", cache.inputTokens(), "cached_input_tokens", cache.cachedInputTokens(),
                "cache_write_tokens", cache.cacheWriteTokens());
        String share = cache.hitRatePct() == null ? "" : Amounts.pctText(cache.hitRatePct());
        String tokens = tokens(cache.cachedInputTokens()) + " of " + tokens(cache.inputTokens());
        String writes = cache.cacheWriteTokens() == 0 ? "" : "; " + tokens(cache.cacheWriteTokens()) + " were written to one";
        if (cache.inputTokens() > 0 && cache.cachedInputTokens() == 0 && cache.cacheWriteTokens() == 0) {
            text.append("No input tokens were read from or written to a provider's prompt cache in this period. ");
        } else if (cache.inputTokens() > 0 && cache.saved().isNegative()) {
            text.append("Provider prompt caching cost ").append(Amounts.usd(Money.ZERO.minus(cache.saved())))
                    .append(" more than it saved in this period: ").append(share).append(" of input tokens (").append(tokens)
                    .append(") were read from a cache").append(writes).append(", and cache writes cost more than plain input. ");
        } else if (cache.inputTokens() > 0) {
            text.append("Provider prompt caching saved ").append(Amounts.usd(cache.saved())).append(" in this period: ")
                    .append(share).append(" of input tokens (").append(tokens).append(") were read from a cache")
                    .append(writes).append(". ");
        }
        BigDecimal monthly = null;
        Optional<CacheEstimate> found = estimate ? cacheEstimate(rows, window) : Optional.empty();
        if (found.isPresent()) {
            CacheEstimate e = found.get();
            monthly = e.monthly();
            String best = e.best().kind() + " " + e.best().name();
            text.append(e.model().name()).append(" read ").append(Amounts.pctText(e.model().hitRatePct())).append(" of its input from a cache (")
                    .append(tokens(e.model().tokens().cachedInputTokens())).append(" of ").append(tokens(e.model().tokens().inputTokens()))
                    .append(" tokens in ").append(tokens(e.model().attempts())).append(" attempts, ")
                    .append(tokens(e.model().tokens().inputTokens() / e.model().attempts())).append(" per attempt on average) against ")
                    .append(Amounts.pctText(e.best().hitRatePct())).append(" on ").append(best)
                    .append(". Had it read as large a share of its input from a cache, writing ")
                    .append(Amounts.pctText(e.writePct())).append(" of it, it would have cost ").append(Amounts.usd(e.saving()))
                    .append(" less (save ").append(Amounts.usd(monthly)).append("/month). This assumes its prompts repeat a prefix as ")
                    .append("often as those of ").append(best).append(", which the ledger cannot show: put the stable part first ")
                    .append("(system prompt, tools, documents) and, for Anthropic models, mark it with cache_control. ");
            evidence.putAll(Recommender.evidence("model", e.model().name(), "model_attempts", e.model().attempts(),
                    "model_input_tokens", e.model().tokens().inputTokens(),
                    "model_cached_input_tokens", e.model().tokens().cachedInputTokens(),
                    "model_cache_write_tokens", e.model().tokens().cacheWriteTokens(),
                    "model_hit_rate_pct", e.model().hitRatePct(), "best", best, "best_hit_rate_pct", e.best().hitRatePct(),
                    "best_write_pct", e.best().writePct(), "assumed_cached_input_tokens", e.assumed().cachedInputTokens(),
                    "assumed_cache_write_tokens", e.assumed().cacheWriteTokens(), "saving_usd", e.saving().usd(),
                    "window_days", Amounts.days(window)));
        }
        long lookups = responses.hits() + responses.misses();
        if (lookups == 0) {
            text.append("The response cache answered nothing in this period: it is off (cache.exact.enabled, "
                    + "cache.semantic.enabled), so identical requests are paid for every time.");
            evidence.put("response_cache", "off");
        } else {
            BigDecimal responseMonthly = Amounts.monthly(responses.saved(), window);
            text.append("The response cache answered ").append(tokens(responses.hits())).append(" of ").append(tokens(lookups))
                    .append(" requests that looked it up (").append(Amounts.pctText(responses.hitRatePct()))
                    .append(responses.semanticHits() == 0 ? "" : ", " + tokens(responses.semanticHits()) + " by meaning")
                    .append(") without calling a model, saving ").append(Amounts.usd(responses.saved()))
                    .append(" (").append(Amounts.usd(responseMonthly)).append("/month at this rate).");
            evidence.putAll(Recommender.evidence("response_cache_hits", responses.hits(), "response_cache_semantic_hits",
                    responses.semanticHits(), "response_cache_misses", responses.misses(),
                    "response_cache_hit_rate_pct", responses.hitRatePct(), "response_cache_saved_usd", responses.saved().usd()));
        }
        return new Recommendation(Kind.PITFALL, text.toString(), monthly, evidence);
    }

    /** The attempts of one model or route, summed: how much of their input a provider's prompt cache served. */
    private record CacheGroup(String kind, String name, long attempts, Usage tokens) {

        BigDecimal hitRatePct() {
            return Amounts.pct(tokens.cachedInputTokens(), tokens.inputTokens());
        }

        BigDecimal writePct() {
            return Amounts.pct(tokens.cacheWriteTokens(), tokens.inputTokens());
        }

        /** Whether this group's hit rate is higher than {@code o}'s, compared exactly (cross-multiplied). */
        int compareRate(CacheGroup o) {
            return BigInteger.valueOf(tokens.cachedInputTokens()).multiply(BigInteger.valueOf(o.tokens.inputTokens()))
                    .compareTo(BigInteger.valueOf(o.tokens.cachedInputTokens()).multiply(BigInteger.valueOf(tokens.inputTokens())));
        }
    }

    /**
     * @param assumed  the model's tokens with the best group's shares of cached and written input
     * @param writePct the share of its input assumed written to a cache
     * @param saving   what its input would have cost less over the period, at its catalog prices
     */
    private record CacheEstimate(CacheGroup model, CacheGroup best, Usage assumed, BigDecimal writePct, Money saving,
                                 BigDecimal monthly) {
    }

    /**
     * The model whose input would have cost the most less at the best measured hit rate. The best is the highest
     * share of input read from a cache by any model or route with at least {@code minRequests} attempts. A candidate
     * has cache prices (cached input cheaper than plain input), at least {@code minRequests} attempts, on average at
     * least {@code cacheablePromptTokens} input tokens per attempt, and under half the best hit rate. Its input is
     * re-priced as if the best's share of it had been read from a cache and its writes were the larger of its own
     * and the best's share (so caching is never assumed free of its write premium); the saving is the difference at
     * its catalog prices, over the same tokens.
     */
    private Optional<CacheEstimate> cacheEstimate(List<UsageRow> rows, Duration window) {
        List<CacheGroup> groups = new ArrayList<>(cacheGroups(rows, "model", UsageRow::model));
        groups.addAll(cacheGroups(rows, "route", UsageRow::route));
        Optional<CacheGroup> found = groups.stream()
                .filter(g -> g.attempts() >= settings.minRequests() && g.tokens().cachedInputTokens() > 0)
                // Ties: a model before a route (it says more), then the first name.
                .max(((Comparator<CacheGroup>) CacheGroup::compareRate).thenComparing(CacheGroup::kind, Comparator.reverseOrder())
                        .thenComparing(CacheGroup::name, Comparator.reverseOrder()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CacheGroup best = found.get();
        BigInteger bestInput = BigInteger.valueOf(best.tokens().inputTokens());
        CacheEstimate chosen = null;
        for (CacheGroup m : groups) {
            Optional<ModelInfo> model = catalog.find(m.name());
            Usage t = m.tokens();
            boolean low = BigInteger.valueOf(t.cachedInputTokens()).multiply(BigInteger.TWO).multiply(bestInput)
                    .compareTo(BigInteger.valueOf(best.tokens().cachedInputTokens()).multiply(BigInteger.valueOf(t.inputTokens()))) < 0;
            if (!m.kind().equals("model") || model.isEmpty() || !model.get().price().discountsCachedInput() || m.equals(best)
                    || m.attempts() < settings.minRequests() || t.inputTokens() / m.attempts() < settings.cacheablePromptTokens() || !low) {
                continue;
            }
            long cached = share(t.inputTokens(), best.tokens().cachedInputTokens(), bestInput);
            long written = Math.min(Math.max(t.cacheWriteTokens(), share(t.inputTokens(), best.tokens().cacheWriteTokens(), bestInput)),
                    t.inputTokens() - cached);
            Usage assumed = new Usage(t.inputTokens(), t.outputTokens(), cached, written, 0, false);
            Money saving = model.get().price().cacheSaving(assumed).minus(model.get().price().cacheSaving(t));
            if (saving.picos() <= 0 || chosen != null && saving.compareTo(chosen.saving()) <= 0) {
                continue;
            }
            chosen = new CacheEstimate(m, best, assumed, Amounts.pct(written, t.inputTokens()), saving,
                    Amounts.monthly(saving, window));
        }
        return Optional.ofNullable(chosen).filter(e -> e.monthly().signum() > 0);
    }

    private static List<CacheGroup> cacheGroups(List<UsageRow> rows, String kind, Function<UsageRow, String> key) {
        Map<String, Usage> tokens = new TreeMap<>();
        Map<String, Long> attempts = new TreeMap<>();
        for (UsageRow r : rows) {
            tokens.merge(key.apply(r), r.tokens(), UsageRow::add);
            attempts.merge(key.apply(r), r.attempts(), Long::sum);
        }
        List<CacheGroup> out = new ArrayList<>();
        tokens.forEach((name, t) -> {
            if (t.inputTokens() > 0) {
                out.add(new CacheGroup(kind, name, attempts.get(name), t));
            }
        });
        return out;
    }

    /** {@code of × part / whole}, rounded down. */
    private static long share(long of, long part, BigInteger whole) {
        return BigInteger.valueOf(of).multiply(BigInteger.valueOf(part)).divide(whole).longValueExact();
    }

    private static String tokens(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
