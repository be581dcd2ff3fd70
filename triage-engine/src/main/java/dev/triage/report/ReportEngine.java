package dev.triage.report;

import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.report.Report.Budget;
import dev.triage.report.Report.Day;
import dev.triage.report.Report.Line;
import dev.triage.report.Report.Quality;
import dev.triage.report.Report.QualityLine;
import dev.triage.report.Report.Score;
import dev.triage.report.Report.Totals;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.keys.VirtualKey;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Builds a {@link Report} from what a {@link ReportSource} returns, the price catalog and the routes.
 * The source sums; everything derived (shares, means, efficiency, recommendations) is computed here,
 * in exact decimals, so every door (HTTP, CLI, dashboard) shows the same figures.
 */
public final class ReportEngine {

    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    /** The most successful attempts whose times a report reads; above it, one in N (see {@link Report.Latency}). */
    public static final long MAX_TIMED = 50_000;

    private final ReportSource source;
    private final PriceCatalog catalog;
    private final Map<String, RouteSpec> routes;
    private final TierSpend tierSpend;
    private final KeySpend keySpend;
    private final Clock clock;
    private final ReportSettings settings;

    /**
     * @param routes    the configured routes (for budgets and routing efficiency)
     * @param tierSpend where today's budget use comes from
     * @param keySpend  the virtual keys, and where their budget use comes from
     */
    public ReportEngine(ReportSource source, PriceCatalog catalog, Map<String, RouteSpec> routes, TierSpend tierSpend,
                        KeySpend keySpend, Clock clock, ReportSettings settings) {
        this.source = Objects.requireNonNull(source, "source");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.routes = new TreeMap<>(routes);
        this.tierSpend = Objects.requireNonNull(tierSpend, "tierSpend");
        this.keySpend = Objects.requireNonNull(keySpend, "keySpend");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The default period: the last 30 UTC days, today included. */
    public ReportPeriod defaultPeriod() {
        return ReportPeriod.lastDays(30, clock.instant());
    }

    public Report report(ReportPeriod period) {
        return report(period, ReportScope.ALL);
    }

    /**
     * The report over the requests of {@code scope}.
     *
     * @throws ReportScope.UnknownException when the scope names a key or team that does not exist
     */
    public Report report(ReportPeriod period, ReportScope scope) {
        Instant now = clock.instant();
        List<VirtualKey> keys = keySpend.keys();
        ReportSource source = scoped(scope, keys);
        List<UsageRow> rows = source.usage(period);
        List<FeedbackRow> feedback = source.feedback(period);
        Totals totals = totals(rows);
        Money total = totals.cost();
        List<Line> byModel = breakdown(rows, UsageRow::model, UsageRow::answers, total);
        List<Line> byRoute = breakdown(rows, UsageRow::route, UsageRow::requests, total);
        List<Line> byTask = breakdown(rows, UsageRow::task, UsageRow::requests, total);
        List<Line> byTier = breakdown(rows, UsageRow::tier, UsageRow::requests, total);
        List<Line> byUser = users(source.users(period), total);
        Map<String, String> teams = new HashMap<>();
        keys.forEach(k -> teams.put(k.name(), k.team()));
        List<KeyUsage> keyUsage = source.keys(period);
        List<Report.KeyLine> byKey = keyUsage.stream()
                .map(k -> new Report.KeyLine(k.key(), k.key() == null ? null : teams.get(k.key()), k.requests(), k.attempts(),
                        k.inputTokens(), k.outputTokens(), k.cost(), Amounts.pct(k.cost(), total)))
                .sorted(Comparator.comparing(Report.KeyLine::cost).reversed()
                        .thenComparing(Report.KeyLine::name, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        List<Line> byTeam = teams(byKey, total);

        Duration window = window(source, period, now);
        LocalDate lastDay = LocalDate.ofInstant((now.isBefore(period.to()) ? now : period.to()).minusMillis(1), ZoneOffset.UTC);
        Report.PromptCache promptCache = promptCache(rows, totals);
        Report.ResponseCache responseCache = responseCache(source.responseCache(period));
        List<Recommendation> recommendations = new Recommender(catalog, settings)
                .recommend(rows, feedback, totals, promptCache, responseCache, window, lastDay);
        return new Report(period, now, totals, source.deadLetters(period), byModel, byRoute, byTask, byTier, byUser, scope,
                byKey, byTeam, keyBudgets(keys, scope), daily(period, rows), budgets(),
                quality(feedback), efficiency(rows, feedback), promptCache, contextExperiment(source.contextArms(period)),
                responseCache, latency(period, rows, source), recommendations);
    }

    /** Each shared-context arm's cost per request and feedback quality, by arm name. */
    static Report.ContextExperiment contextExperiment(List<ArmUsage> arms) {
        return new Report.ContextExperiment(arms.stream().sorted(Comparator.comparing(ArmUsage::arm))
                .map(a -> new Report.ArmLine(a.arm(), a.requests(), a.answered(), a.attempts(), a.cost(),
                        Amounts.perRequest(a.cost(), a.requests()), a.inputTokens(), a.outputTokens(),
                        a.feedbacks() == 0 ? Score.NONE : new Score(Amounts.meanScore(a.scoreMicros(), a.feedbacks()), a.feedbacks())))
                .toList());
    }

    private ReportSource scoped(ReportScope scope, List<VirtualKey> keys) {
        return scope.all() ? source : source.forKeys(keyNames(scope, keys));
    }

    /**
     * The virtual keys a scope that names a key or a team covers (the request log filters by them as the report does).
     *
     * @throws ReportScope.UnknownException when no key has that name or belongs to that team
     */
    public Set<String> keyNames(ReportScope scope) {
        return keyNames(scope, keySpend.keys());
    }

    private static Set<String> keyNames(ReportScope scope, List<VirtualKey> keys) {
        Set<String> names = new LinkedHashSet<>();
        for (VirtualKey k : keys) {
            if (k.name().equals(scope.key()) || scope.team() != null && scope.team().equals(k.team())) {
                names.add(k.name());
            }
        }
        if (names.isEmpty()) {
            throw new ReportScope.UnknownException(scope.key() != null ? "no virtual key is named '" + scope.key() + "'"
                    : "no virtual key belongs to team '" + scope.team() + "'");
        }
        return names;
    }

    private static List<Line> teams(List<Report.KeyLine> byKey, Money total) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Money> costs = new HashMap<>();
        for (Report.KeyLine k : byKey) {
            long[] c = counts.computeIfAbsent(k.team(), x -> new long[2]);
            c[0] += k.requests();
            c[1] += k.attempts();
            costs.merge(k.team(), k.cost(), Money::plus);
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach((team, c) -> lines.add(new Line(team, c[0], c[1], costs.get(team), Amounts.pct(costs.get(team), total))));
        lines.sort(byCostThenName());
        return List.copyOf(lines);
    }

    /** Active keys with a budget, within the scope; spend unknown (null) while a shared budget store cannot be asked. */
    private List<Report.KeyBudget> keyBudgets(List<VirtualKey> keys, ReportScope scope) {
        Instant now = clock.instant();
        List<Report.KeyBudget> out = new ArrayList<>();
        for (VirtualKey k : keys) {
            boolean inScope = scope.all() || k.name().equals(scope.key()) || scope.team() != null && scope.team().equals(k.team());
            if (k.budget() == null || !k.active(now) || !inScope) {
                continue;
            }
            Money spent;
            try {
                spent = keySpend.spent(k);
            } catch (BudgetStoreUnavailableException e) {
                spent = null;
            }
            out.add(new Report.KeyBudget(k.name(), k.team(), k.period().wireName(), keySpend.periodStart(k), spent, k.budget(),
                    spent == null ? null : Amounts.pct(spent, k.budget())));
        }
        out.sort(Comparator.comparing(Report.KeyBudget::key));
        return List.copyOf(out);
    }

    /** From the first attempt in the period (or its start) to its end (or now), at least a day: what savings are scaled from. */
    private static Duration window(ReportSource source, ReportPeriod period, Instant now) {
        Instant start = source.firstActivity(period).filter(t -> t.isAfter(period.from())).orElse(period.from());
        Instant end = now.isBefore(period.to()) ? now : period.to();
        Duration d = Duration.between(start, end);
        return d.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : d;
    }

    static Totals totals(List<UsageRow> rows) {
        Money cost = Money.ZERO;
        long requests = 0, attempts = 0, answered = 0, errors = 0, recovered = 0, estimated = 0;
        Usage tokens = Usage.ZERO;
        for (UsageRow r : rows) {
            cost = cost.plus(r.cost());
            requests += r.requests();
            attempts += r.attempts();
            answered += r.answers();
            errors += r.errors();
            recovered += r.recovered();
            estimated += r.estimated();
            tokens = UsageRow.add(tokens, r.tokens());
        }
        return new Totals(cost, requests, attempts, answered, errors, recovered, estimated, tokens.inputTokens(),
                tokens.outputTokens(), Amounts.perRequest(cost, requests), Amounts.pct(recovered, answered),
                Amounts.pct(tokens.cachedInputTokens(), tokens.inputTokens()));
    }

    /** The response cache's hits, misses and savings over the period, and per route and model (most saved first). */
    static Report.ResponseCache responseCache(List<CacheUsage> usage) {
        long hits = 0, semantic = 0, misses = 0;
        Money saved = Money.ZERO;
        for (CacheUsage u : usage) {
            if (u.hit()) {
                hits += u.lookups();
                semantic += "hit-semantic".equals(u.outcome()) ? u.lookups() : 0;
            } else {
                misses += u.lookups();
            }
            saved = saved.plus(u.saved());
        }
        return new Report.ResponseCache(hits, semantic, misses, Amounts.pct(hits, hits + misses), saved,
                responseCacheLines(usage, CacheUsage::route), responseCacheLines(usage, CacheUsage::model));
    }

    private static List<Report.ResponseCacheLine> responseCacheLines(List<CacheUsage> usage, Function<CacheUsage, String> key) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Money> saved = new HashMap<>();
        for (CacheUsage u : usage) {
            long[] n = counts.computeIfAbsent(key.apply(u), k -> new long[2]);
            n[u.hit() ? 0 : 1] += u.lookups();
            saved.merge(key.apply(u), u.saved(), Money::plus);
        }
        List<Report.ResponseCacheLine> lines = new ArrayList<>();
        counts.forEach((name, n) -> lines.add(new Report.ResponseCacheLine(name, n[0], n[1], Amounts.pct(n[0], n[0] + n[1]),
                saved.get(name))));
        lines.sort(Comparator.comparing(Report.ResponseCacheLine::saved).reversed().thenComparing(Report.ResponseCacheLine::name));
        return lines;
    }

    /** Prompt caching over all attempts, and per model and route (those with input tokens). */
    static Report.PromptCache promptCache(List<UsageRow> rows, Totals totals) {
        Money saved = Money.ZERO;
        long cached = 0, written = 0;
        for (UsageRow r : rows) {
            saved = saved.plus(r.cacheSaving());
            cached += r.tokens().cachedInputTokens();
            written += r.tokens().cacheWriteTokens();
        }
        return new Report.PromptCache(saved, totals.inputTokens(), cached, written, totals.cachedInputPct(),
                cacheLines(rows, UsageRow::model), cacheLines(rows, UsageRow::route));
    }

    private static List<Report.CacheLine> cacheLines(List<UsageRow> rows, Function<UsageRow, String> key) {
        Map<String, Usage> tokens = new HashMap<>();
        Map<String, Money> saved = new HashMap<>();
        for (UsageRow r : rows) {
            tokens.merge(key.apply(r), r.tokens(), UsageRow::add);
            saved.merge(key.apply(r), r.cacheSaving(), Money::plus);
        }
        List<Report.CacheLine> lines = new ArrayList<>();
        tokens.forEach((name, t) -> {
            if (t.inputTokens() > 0) {
                lines.add(new Report.CacheLine(name, t.inputTokens(), t.cachedInputTokens(), t.cacheWriteTokens(),
                        Amounts.pct(t.cachedInputTokens(), t.inputTokens()), saved.get(name)));
            }
        });
        lines.sort(Comparator.comparing(Report.CacheLine::saved).reversed()
                .thenComparing(Comparator.comparingLong(Report.CacheLine::inputTokens).reversed())
                .thenComparing(Report.CacheLine::name));
        return List.copyOf(lines);
    }

    private static List<Line> breakdown(List<UsageRow> rows, Function<UsageRow, String> key, ToLongFunction<UsageRow> requests,
                                        Money total) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Money> costs = new HashMap<>();
        for (UsageRow r : rows) {
            String k = key.apply(r);
            long[] c = counts.computeIfAbsent(k, x -> new long[2]);
            c[0] += requests.applyAsLong(r);
            c[1] += r.attempts();
            costs.merge(k, r.cost(), Money::plus);
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach((k, c) -> lines.add(new Line(k, c[0], c[1], costs.get(k), Amounts.pct(costs.get(k), total))));
        lines.sort(byCostThenName());
        return List.copyOf(lines);
    }

    private List<Line> users(List<UserUsage> users, Money total) {
        List<Line> lines = new ArrayList<>(users.stream()
                .map(u -> new Line(u.user(), u.requests(), u.attempts(), u.cost(), Amounts.pct(u.cost(), total)))
                .sorted(byCostThenName()).toList());
        if (lines.size() <= settings.maxUsers()) {
            return List.copyOf(lines);
        }
        List<Line> rest = lines.subList(settings.maxUsers(), lines.size());
        Money cost = rest.stream().map(Line::cost).reduce(Money.ZERO, Money::plus);
        Line others = new Line("(" + rest.size() + " other users)", rest.stream().mapToLong(Line::requests).sum(),
                rest.stream().mapToLong(Line::attempts).sum(), cost, Amounts.pct(cost, total));
        List<Line> out = new ArrayList<>(lines.subList(0, settings.maxUsers()));
        out.add(others);
        return List.copyOf(out);
    }

    private static Comparator<Line> byCostThenName() {
        return Comparator.comparing(Line::cost).reversed()
                .thenComparing(Line::name, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    private static List<Day> daily(ReportPeriod period, List<UsageRow> rows) {
        Map<LocalDate, List<UsageRow>> byDay = new HashMap<>();
        rows.forEach(r -> byDay.computeIfAbsent(r.day(), d -> new ArrayList<>()).add(r));
        List<Day> days = new ArrayList<>();
        for (LocalDate d : period.days()) {
            Map<String, Money> byModel = new TreeMap<>();
            long requests = 0;
            Money cost = Money.ZERO;
            for (UsageRow r : byDay.getOrDefault(d, List.of())) {
                requests += r.requests();
                cost = cost.plus(r.cost());
                byModel.merge(r.model(), r.cost(), Money::plus);
            }
            days.add(new Day(d, requests, cost, Collections.unmodifiableMap(byModel)));
        }
        return List.copyOf(days);
    }

    /**
     * Error rates from the usage rows (the same attempts and errors as the rest of the report) and exact
     * percentiles from the source's histograms.
     */
    static Report.Latency latency(ReportPeriod period, List<UsageRow> rows, ReportSource source) {
        int oneIn = oneIn(rows);
        return latency(period, rows, source.latencies(period, oneIn), oneIn);
    }

    /** 1 while the period has at most {@link #MAX_TIMED} successful attempts, else the stride that reads about that many. */
    static int oneIn(List<UsageRow> rows) {
        long ok = 0;
        for (UsageRow r : rows) {
            ok += r.attempts() - r.errors() - r.cancelled();
        }
        return (int) Math.max(1, Math.ceilDiv(ok, MAX_TIMED));
    }

    static Report.Latency latency(ReportPeriod period, List<UsageRow> rows, List<LatencyRow> histograms, int oneIn) {
        Map<LatencyRow.Axis, Map<String, Latencies>> timed = new HashMap<>();
        Map<LatencyRow.Axis, Map<String, Latencies>> ttft = new HashMap<>();
        for (LatencyRow h : histograms) {
            (h.measure() == LatencyRow.Measure.LATENCY ? timed : ttft).computeIfAbsent(h.axis(), a -> new HashMap<>())
                    .computeIfAbsent(h.name(), n -> new Latencies()).add(h.ms(), h.count());
        }
        List<Report.LatencyDay> days = new ArrayList<>();
        Map<LocalDate, long[]> dayCounts = new HashMap<>();
        rows.forEach(r -> {
            long[] n = dayCounts.computeIfAbsent(r.day(), d -> new long[2]);
            n[0] += r.attempts();
            n[1] += r.errors();
        });
        Map<String, Latencies> timedDays = timed.getOrDefault(LatencyRow.Axis.DAY, Map.of());
        for (LocalDate d : period.days()) {
            long[] n = dayCounts.getOrDefault(d, new long[2]);
            Latencies l = timedDays.getOrDefault(d.toString(), new Latencies());
            days.add(new Report.LatencyDay(d, n[0], n[1], Amounts.pct(n[1], n[0]), l.count(), l.percentile(50), l.percentile(95)));
        }
        return new Report.Latency(
                latencyLines(rows, UsageRow::model, UsageRow::answers, timed.get(LatencyRow.Axis.MODEL), ttft.get(LatencyRow.Axis.MODEL)),
                latencyLines(rows, UsageRow::route, UsageRow::requests, timed.get(LatencyRow.Axis.ROUTE), ttft.get(LatencyRow.Axis.ROUTE)),
                List.copyOf(days), oneIn);
    }

    private static List<Report.LatencyLine> latencyLines(List<UsageRow> rows, Function<UsageRow, String> key,
                                                         ToLongFunction<UsageRow> requests, Map<String, Latencies> timed,
                                                         Map<String, Latencies> ttft) {
        Map<String, long[]> counts = new TreeMap<>();
        for (UsageRow r : rows) {
            long[] n = counts.computeIfAbsent(key.apply(r), k -> new long[3]);
            n[0] += requests.applyAsLong(r);
            n[1] += r.attempts();
            n[2] += r.errors();
        }
        List<Report.LatencyLine> out = new ArrayList<>();
        counts.forEach((name, n) -> {
            Latencies l = timed == null ? new Latencies() : timed.getOrDefault(name, new Latencies());
            Latencies t = ttft == null ? new Latencies() : ttft.getOrDefault(name, new Latencies());
            out.add(new Report.LatencyLine(name, n[0], n[1], n[2], Amounts.pct(n[2], n[1]), l.count(), l.percentile(50),
                    l.percentile(95), t.count(), t.percentile(50), t.percentile(95)));
        });
        out.sort(Comparator.comparingLong(Report.LatencyLine::attempts).reversed().thenComparing(Report.LatencyLine::name));
        return List.copyOf(out);
    }

    private List<Budget> budgets() {
        List<Budget> out = new ArrayList<>();
        for (RouteSpec r : routes.values()) {
            if (r instanceof TieredRouteSpec t) {
                LocalDate today = tierSpend.today(t);
                for (TieredRouteSpec.Tier tier : t.tiers()) {
                    Money spent = tierSpend.spentToday(t, tier);
                    Money limit = tier.dailyBudget();
                    out.add(new Budget(t.name(), tier.name(), today, t.zoneName(), spent, limit,
                            limit == null ? null : Amounts.pct(spent, limit)));
                }
            }
        }
        return List.copyOf(out);
    }

    static Score score(List<FeedbackRow> rows, Predicate<FeedbackRow> which) {
        long count = 0, micros = 0;
        for (FeedbackRow f : rows) {
            if (which.test(f)) {
                count += f.count();
                micros += f.scoreMicros();
            }
        }
        return count == 0 ? Score.NONE : new Score(Amounts.meanScore(micros, count), count);
    }

    private static Quality quality(List<FeedbackRow> feedback) {
        return new Quality(score(feedback, f -> true), qualityBy(feedback, FeedbackRow::model, false),
                qualityBy(feedback, FeedbackRow::route, false), qualityBy(feedback, FeedbackRow::task, true));
    }

    private static List<QualityLine> qualityBy(List<FeedbackRow> feedback, Function<FeedbackRow, String> key, boolean keepNull) {
        Set<String> names = new LinkedHashSet<>();
        feedback.stream().map(key).filter(k -> keepNull || k != null)
                .sorted(Comparator.nullsLast(Comparator.naturalOrder())).forEach(names::add);
        List<QualityLine> lines = new ArrayList<>();
        for (String name : names) {
            lines.add(new QualityLine(name, score(feedback, f -> Objects.equals(key.apply(f), name))));
        }
        return List.copyOf(lines);
    }

    private RoutingEfficiency efficiency(List<UsageRow> rows, List<FeedbackRow> feedback) {
        List<RoutingEfficiency.RouteLine> lines = new ArrayList<>();
        Money actualTotal = Money.ZERO, strongTotal = Money.ZERO;
        BigDecimal weightedStrong = BigDecimal.ZERO;
        for (RouteSpec route : routes.values()) {
            Optional<ModelInfo> strongest = strongest(route);
            if (strongest.isEmpty()) {
                continue;
            }
            Money actual = Money.ZERO;
            long answered = 0;
            Usage answerTokens = Usage.ZERO;
            for (UsageRow r : rows) {
                if (r.route().equals(route.name())) {
                    actual = actual.plus(r.cost());
                    answered += r.answers();
                    answerTokens = UsageRow.add(answerTokens, r.answerTokens());
                }
            }
            if (answered == 0) {
                continue;
            }
            ModelInfo s = strongest.get();
            Money strongOnly = s.price().cost(answerTokens);
            Score quality = score(feedback, f -> route.name().equals(f.route()));
            Score strongQuality = score(feedback, f -> s.id().equals(f.model()));
            boolean adjusted = quality.count() >= settings.minFeedback() && strongQuality.count() >= settings.minFeedback()
                    && strongQuality.mean().signum() > 0;
            // q = Q_a / Q_s from the exact sums of millionths, not from the rounded means.
            BigDecimal q = adjusted ? retained(feedback, route.name(), s.id()) : BigDecimal.ONE;
            BigDecimal qStrong = q.multiply(strongOnly.usd(), MathContext.DECIMAL128);
            BigDecimal efficiency = Amounts.ratio(qStrong, actual.usd());
            lines.add(new RoutingEfficiency.RouteLine(route.name(), s.id(), answered, actual, strongOnly, quality,
                    strongQuality, adjusted, q.multiply(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_EVEN),
                    Amounts.pct(actual, strongOnly), efficiency));
            actualTotal = actualTotal.plus(actual);
            strongTotal = strongTotal.plus(strongOnly);
            weightedStrong = weightedStrong.add(qStrong);
        }
        if (lines.isEmpty()) {
            return new RoutingEfficiency(List.of(), null);
        }
        BigDecimal overall = Amounts.ratio(weightedStrong, actualTotal.usd());
        return new RoutingEfficiency(List.copyOf(lines), new RoutingEfficiency.Summary(actualTotal, strongTotal,
                Amounts.pct(actualTotal, strongTotal), overall, rating(overall)));
    }

    private static BigDecimal retained(List<FeedbackRow> feedback, String route, String strongModel) {
        long countA = 0, microsA = 0, countS = 0, microsS = 0;
        for (FeedbackRow f : feedback) {
            if (route.equals(f.route())) {
                countA += f.count();
                microsA += f.scoreMicros();
            }
            if (strongModel.equals(f.model())) {
                countS += f.count();
                microsS += f.scoreMicros();
            }
        }
        BigDecimal numerator = BigDecimal.valueOf(microsA).multiply(BigDecimal.valueOf(countS));
        BigDecimal denominator = BigDecimal.valueOf(countA).multiply(BigDecimal.valueOf(microsS));
        return numerator.divide(denominator, MathContext.DECIMAL128);
    }

    static String rating(BigDecimal efficiency) {
        if (efficiency == null) {
            return null;
        }
        return efficiency.compareTo(TWO) >= 0 ? "good" : efficiency.compareTo(BigDecimal.ONE) >= 0 ? "fair" : "poor";
    }

    /** The route's most expensive model by input + output price per token, among those in the catalog. */
    Optional<ModelInfo> strongest(RouteSpec route) {
        return route.models().stream().map(catalog::find).flatMap(Optional::stream)
                .max(Comparator.comparing(ReportEngine::blendedPrice).thenComparing(ModelInfo::id));
    }

    /** Input plus output price per million tokens: how "strong" (expensive) a model is, as the quality floor reads it. */
    static BigDecimal blendedPrice(ModelInfo m) {
        return m.price().inputPerMtok().add(m.price().outputPerMtok());
    }
}
