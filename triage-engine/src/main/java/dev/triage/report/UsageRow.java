package dev.triage.report;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.time.LocalDate;

/**
 * Ledger attempts of one UTC day that share a route, model, task and tier, summed.
 *
 * <p>A request's <em>answer</em> is its last attempt that is not a confidence scorer's call (step
 * {@code judge} or {@code sample}), when that attempt succeeded; a request whose last such attempt
 * failed or was cancelled has no answer. An answer counts on its own attempt's day, model and keys.
 *
 * @param task         the routed task type, or null
 * @param tier         the tier of a tiered route, or null
 * @param requests     attempts numbered 1, i.e. requests started (counted under their first attempt's keys)
 * @param errors       attempts with status {@code ERROR}
 * @param cancelled    attempts with status {@code CANCELLED}
 * @param estimated    attempts whose usage is a local estimate
 * @param cacheSaving  what provider prompt caching saved on these attempts (negative when cache writes cost more)
 * @param tokens       token counts of all the attempts (reasoning tokens are not kept apart)
 * @param answers      answers given by these attempts
 * @param recovered    answers that came after a failed attempt of the same request (a retry or fallback saved it)
 * @param answerTokens token counts of the answering attempts only
 */
public record UsageRow(LocalDate day, String route, String model, String task, String tier, long attempts,
                       long requests, long errors, long cancelled, long estimated, Money cost, Money cacheSaving, Usage tokens,
                       long answers, long recovered, Usage answerTokens) {

    /** Both rows' counts added (the keys of this row are kept). */
    public UsageRow plus(UsageRow o) {
        return new UsageRow(day, route, model, task, tier, attempts + o.attempts, requests + o.requests,
                errors + o.errors, cancelled + o.cancelled, estimated + o.estimated, cost.plus(o.cost),
                cacheSaving.plus(o.cacheSaving), add(tokens, o.tokens), answers + o.answers, recovered + o.recovered, add(answerTokens, o.answerTokens));
    }

    static Usage add(Usage a, Usage b) {
        return new Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cachedInputTokens() + b.cachedInputTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(), 0, false);
    }
}
