package dev.triage.report;

import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A cost report over a period. Money is exact ({@link Money}); shares, means and ratios are decimals
 * rounded half-even (shares and percentages to 2 places, quality means and ratios to 4).
 *
 * @param deadLetters     rows the ledger database refused in the period, set aside: their money is in none
 *                        of the other figures
 * @param byModel         one line per model: {@code requests} are the requests it answered; cost and attempts are all of its attempts
 * @param byRoute         one line per route (or concrete model asked for); {@code requests} are requests started
 * @param byTask          one line per task type ({@code name} null: no task type)
 * @param byTier          one line per tier ({@code name} null: not a tiered route)
 * @param byUser          the users with the highest cost, then one line for all others ({@code name} null: no user field)
 * @param scope           which requests the report covers (all, one virtual key's or one team's)
 * @param byKey           one line per virtual key with attempts in the period ({@code name} null: no virtual key)
 * @param byTeam          one line per team of those keys ({@code name} null: no team, or no virtual key)
 * @param keyBudgets      each active virtual key with a budget: its current period's spend and limit
 * @param daily           every UTC day of the period, with its cost per model
 * @param budgets         today's spend and limit of every tier of every tiered route
 * @param promptCache     what provider prompt caching saved, and its hit rate by model and route
 * @param contextExperiment cost and feedback quality per shared-context arm (no arms when no attempt had one)
 * @param responseCache   what the response cache answered without calling a model, and what that saved
 * @param latency         how long successful upstream calls took and how often calls failed, by model, route and day
 * @param recommendations what to change, each with its evidence
 */
public record Report(ReportPeriod period, Instant generatedAt, Totals totals, DeadLetterRow deadLetters, List<Line> byModel, List<Line> byRoute,
                     List<Line> byTask, List<Line> byTier, List<Line> byUser, ReportScope scope, List<KeyLine> byKey,
                     List<Line> byTeam, List<KeyBudget> keyBudgets, List<Day> daily, List<Budget> budgets,
                     Quality quality, RoutingEfficiency routingEfficiency, PromptCache promptCache,
                     ContextExperiment contextExperiment, ResponseCache responseCache, Latency latency,
                     List<Recommendation> recommendations) {

    /**
     * This report without what belongs to the gateway as a whole rather than to the requests in scope: the
     * tiered routes' budgets (spend of every caller) and dead letters (which cannot be told apart by key).
     * What a virtual key is shown of its own report.
     */
    public Report withoutGatewayFigures() {
        return new Report(period, generatedAt, totals, DeadLetterRow.NONE, byModel, byRoute, byTask, byTier, byUser, scope, byKey,
                byTeam, keyBudgets, daily, List.of(), quality, routingEfficiency, promptCache, contextExperiment, responseCache, latency, recommendations);
    }

    /**
     * @param cost              every attempt's cost, failed and cancelled ones included
     * @param requests          requests started in the period
     * @param attempts          upstream attempts
     * @param answered          requests that got an answer
     * @param errors            attempts that failed
     * @param fallbacks         answers that came after a failed attempt of the same request
     * @param estimatedAttempts attempts whose usage is a local estimate (the provider reported none)
     * @param avgCostPerRequest cost / requests in USD, to the picodollar (null without requests)
     * @param fallbackRatePct   fallbacks per 100 answers (null without answers)
     * @param cachedInputPct    share of input tokens read from a provider's prompt cache (null without input)
     */
    public record Totals(Money cost, long requests, long attempts, long answered, long errors, long fallbacks,
                         long estimatedAttempts, long inputTokens, long outputTokens, BigDecimal avgCostPerRequest,
                         BigDecimal fallbackRatePct, BigDecimal cachedInputPct) {
    }

    /**
     * What provider prompt caching did in the period, over every attempt.
     *
     * @param saved      what caching saved: the attempts' cost with every input token at the plain input price,
     *                   minus their real cost; negative when cache writes cost more than the reads saved
     * @param hitRatePct cached input tokens per 100 input tokens (null without input): the same figure as
     *                   {@link Totals#cachedInputPct()}
     * @param byModel    one line per model with input tokens, the largest saving first
     * @param byRoute    one line per route (or concrete model asked for) with input tokens, the largest saving first
     */
    public record PromptCache(Money saved, long inputTokens, long cachedInputTokens, long cacheWriteTokens,
                              BigDecimal hitRatePct, List<CacheLine> byModel, List<CacheLine> byRoute) {
    }

    /**
     * The response cache over the period: requests answered from it (hits) against those that looked it up and were
     * answered upstream (misses); requests that bypassed it are in neither.
     *
     * @param saved what the hits saved: the cost of the requests whose answers they served again
     */
    public record ResponseCache(long hits, long semanticHits, long misses, BigDecimal hitRatePct, Money saved,
                                List<ResponseCacheLine> byRoute, List<ResponseCacheLine> byModel) {
    }

    /**
     * Latency and errors over the period's upstream attempts (scorer, summarizer and failed calls included in the
     * error rate; only successful calls timed).
     *
     * @param byModel one line per model with attempts, the most attempts first
     * @param byRoute one line per route (or model asked for by name) with attempts, the most attempts first
     * @param daily   every UTC day of the period
     * @param sampledOneIn 1 when the percentiles are over every successful attempt (exact); N when the period had
     *                more than {@link ReportEngine#MAX_TIMED} of them and they are over one in N (row ids that are
     *                multiples of N), which bounds the read. Error rates are always over every attempt
     */
    public record Latency(List<LatencyLine> byModel, List<LatencyLine> byRoute, List<LatencyDay> daily, int sampledOneIn) {
    }

    /**
     * One model's or route's latency and error rate.
     *
     * @param requests     as in the spend breakdowns: answers given (model) or requests started (route)
     * @param errors       attempts with status {@code ERROR}
     * @param errorRatePct errors per 100 attempts, 2 places (null without attempts)
     * @param timed        successful attempts, whose latency the percentiles are over
     * @param p50Ms        nearest-rank median latency of the successful attempts, whole ms (null when none)
     * @param p95Ms        nearest-rank 95th percentile of the same
     * @param ttftTimed    successful streamed attempts with a time to first token
     * @param ttftP50Ms    nearest-rank median time to first token of those (null when none)
     * @param ttftP95Ms    nearest-rank 95th percentile of the same
     */
    public record LatencyLine(String name, long requests, long attempts, long errors, BigDecimal errorRatePct, long timed,
                              Long p50Ms, Long p95Ms, long ttftTimed, Long ttftP50Ms, Long ttftP95Ms) {
    }

    /** One UTC day's latency (successful attempts) and error rate (all attempts); nulls on a day without them. */
    public record LatencyDay(LocalDate day, long attempts, long errors, BigDecimal errorRatePct, long timed, Long p50Ms,
                             Long p95Ms) {
    }

    /** One route's or model's response cache. */
    public record ResponseCacheLine(String name, long hits, long misses, BigDecimal hitRatePct, Money saved) {
    }

    /** One model's or route's prompt caching: tokens read from and written to a cache, its hit rate and saving. */
    public record CacheLine(String name, long inputTokens, long cachedInputTokens, long cacheWriteTokens,
                            BigDecimal hitRatePct, Money saved) {
    }

    /**
     * A shared-context experiment seen from the ledger: each arm's requests, what they cost (summarizer calls
     * included) and their feedback, side by side, so a team decides on compaction with its own data.
     *
     * @param arms one line per arm with attempts in the period, by name ({@code compact}, then {@code full})
     */
    public record ContextExperiment(List<ArmLine> arms) {

        public static final ContextExperiment NONE = new ContextExperiment(List.of());
    }

    /**
     * One shared-context arm.
     *
     * @param attempts          its attempts, summarizer calls included
     * @param cost              every attempt's cost, summarizer calls included
     * @param avgCostPerRequest cost / requests in USD, to the picodollar (null without requests)
     * @param quality           feedback on its requests
     */
    public record ArmLine(String arm, long requests, long answered, long attempts, Money cost, BigDecimal avgCostPerRequest,
                          long inputTokens, long outputTokens, Score quality) {
    }

    /** One line of a breakdown; {@code sharePct} is this line's share of the total cost. */
    public record Line(String name, long requests, long attempts, Money cost, BigDecimal sharePct) {
    }

    /** One virtual key's spend; {@code sharePct} is its share of the total cost. */
    public record KeyLine(String name, String team, long requests, long attempts, long inputTokens, long outputTokens,
                          Money cost, BigDecimal sharePct) {
    }

    /**
     * A virtual key's budget in its current period.
     *
     * @param periodStart the first UTC day of the period ({@code period} is {@code day} or {@code month})
     * @param spent       what the key spent in the period; null when the budget store cannot be asked now
     * @param usedPct     spent / limit (null when spent is unknown)
     */
    public record KeyBudget(String key, String team, String period, LocalDate periodStart, Money spent, Money limit,
                            BigDecimal usedPct) {
    }

    /** One UTC day: requests started, total cost, and cost per model (models with attempts that day). */
    public record Day(LocalDate day, long requests, Money cost, Map<String, Money> costByModel) {
    }

    /**
     * @param day     the budget day in the route's zone
     * @param limit   the tier's daily budget, null when unlimited
     * @param usedPct spent / limit (null when unlimited)
     */
    public record Budget(String route, String tier, LocalDate day, String zone, Money spent, Money limit,
                         BigDecimal usedPct) {
    }

    /** A mean feedback score (0..1, 4 places) over {@code count} feedbacks; mean null when there are none. */
    public record Score(BigDecimal mean, long count) {

        public static final Score NONE = new Score(null, 0);
    }

    public record QualityLine(String name, Score score) {
    }

    /** Feedback quality: overall and by answering model, route and task type. */
    public record Quality(Score overall, List<QualityLine> byModel, List<QualityLine> byRoute,
                          List<QualityLine> byTask) {
    }
}
