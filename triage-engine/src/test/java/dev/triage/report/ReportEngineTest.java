package dev.triage.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.catalog.ModelInfo;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.VirtualKey;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.report.Recommendation.Kind;
import dev.triage.report.Report.Line;
import dev.triage.report.Report.QualityLine;
import dev.triage.report.Report.Score;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TieredRouteSpec;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The report of a hand-built ledger: two days, three models, a cascade, a tiered route and a request
 * for a concrete model. Every expected figure is worked out in the comments.
 */
class ReportEngineTest {

    static final LocalDate D1 = LocalDate.parse("2026-03-01");
    static final LocalDate D2 = D1.plusDays(1);
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    static final ReportPeriod PERIOD = new ReportPeriod(ReportPeriod.startOf(D1), ReportPeriod.startOf(D2.plusDays(2)));

    // Blended prices (input + output per 1M tokens): cheap 3, mid 9, strong 40. sonnet and gpt have cache prices
    // (Anthropic's: reads 0.1x, writes 1.25x input; OpenAI's: reads 0.25x, no write price) and serve no request
    // unless a test gives them one.
    static final PriceCatalog CATALOG = new PriceCatalog(List.of(model("cheap", "1", "2"), model("mid", "3", "6"),
            model("strong", "10", "30"), cached("sonnet", "3", "15", "0.30", "3.75"), cached("gpt", "2", "8", "0.50", null)));
    static final Map<String, RouteSpec> ROUTES = Map.of(
            "casc", new CascadeRouteSpec("casc", List.of(new CascadeRouteSpec.Stage("cheap", 0.9),
                    new CascadeRouteSpec.Stage("strong", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE),
            "tier", new TieredRouteSpec("tier", List.of(new TieredRouteSpec.Tier("high", List.of("strong"), Money.ofUsd("10")),
                    new TieredRouteSpec.Tier("low", List.of("cheap"), null)), ZoneOffset.UTC, QualityFloor.NONE));

    static ModelInfo model(String id, String in, String out) {
        return new ModelInfo(id, "p", id, Price.of(in, out), 100_000, 4_096, null, null, List.of());
    }

    static ModelInfo cached(String id, String in, String out, String cachedIn, String cacheWrite) {
        return new ModelInfo(id, "p", id, new Price(d(in), d(out), d(cachedIn), cacheWrite == null ? null : d(cacheWrite)),
                200_000, 4_096, null, null, List.of());
    }

    static Usage tokens(long in, long out) {
        return new Usage(in, out, 0, 0, 0, false);
    }

    static UsageRow row(LocalDate day, String route, String model, String task, String tier, long attempts, long requests,
                        long errors, String usd, Usage tokens, long answers, long recovered, Usage answerTokens) {
        return new UsageRow(day, route, model, task, tier, attempts, requests, errors, 0, 0, Money.ofUsd(usd), Money.ZERO,
                tokens, answers, recovered, answerTokens);
    }

    /** Attempts that read from and wrote to a provider's prompt cache, each answering its own request. */
    static UsageRow cachedRow(String route, String model, long attempts, String usd, String savedUsd, Usage tokens) {
        return new UsageRow(D2, route, model, "summarization", null, attempts, attempts, 0, 0, 0, Money.ofUsd(usd),
                Money.ofUsd(savedUsd), tokens, attempts, 0, tokens);
    }

    final FakeReportSource source = new FakeReportSource();

    {
        // cheap on the cascade: 100k in x $1/M + 20k out x $2/M = $0.14; 80 answers (20 escalated).
        source.usage.add(row(D1, "casc", "cheap", "classification", null, 100, 100, 0, "0.14", tokens(100_000, 20_000), 80, 0, tokens(80_000, 16_000)));
        // strong on the cascade: 20k x $10/M + 10k x $30/M = $0.50; the 20 escalations.
        source.usage.add(row(D1, "casc", "strong", "classification", null, 20, 0, 0, "0.5", tokens(20_000, 10_000), 20, 0, tokens(20_000, 10_000)));
        // strong on the tiered route: $0.25, 2 failed attempts, 8 answers of which 2 after a failure.
        source.usage.add(row(D2, "tier", "strong", "reasoning", "high", 10, 10, 2, "0.25", tokens(10_000, 5_000), 8, 2, tokens(8_000, 4_000)));
        // a concrete model asked for by name: not a route, so not in routing efficiency.
        source.usage.add(row(D2, "mid", "mid", null, null, 5, 5, 0, "0.045", tokens(5_000, 5_000), 5, 0, tokens(5_000, 5_000)));
        source.users.add(new UserUsage("alice", 100, 90, Money.ofUsd("0.6")));
        source.users.add(new UserUsage(null, 35, 25, Money.ofUsd("0.335")));
        // cheap on classification 0.85 (n=40); strong on classification 0.88 (n=10); strong on reasoning 0.9 (n=10).
        source.feedback.add(new FeedbackRow(D1, "casc", "cheap", "classification", 40, 34_000_000));
        source.feedback.add(new FeedbackRow(D1, "casc", "strong", "classification", 10, 8_800_000));
        source.feedback.add(new FeedbackRow(D2, "tier", "strong", "reasoning", 10, 9_000_000));
        source.first = Instant.parse("2026-03-01T06:00:00Z"); // 30 h before NOW: savings are scaled by 30 / 1.25
    }

    TierSpend spend = new TierSpend() {
        @Override
        public LocalDate today(TieredRouteSpec route) {
            return D2;
        }

        @Override
        public Money spentToday(TieredRouteSpec route, TieredRouteSpec.Tier tier) {
            return tier.name().equals("high") ? Money.ofUsd("4") : Money.ofUsd("1");
        }
    };

    Report report() {
        return new ReportEngine(source, CATALOG, ROUTES, spend, KeySpend.NONE, Clock.fixed(NOW, ZoneOffset.UTC), ReportSettings.defaults())
                .report(PERIOD);
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static VirtualKey key(String name, String team, String budgetUsd, Instant revokedAt) {
        return new VirtualKey(name, team, "tk_" + name, budgetUsd == null ? null : Money.ofUsd(budgetUsd), KeyPeriod.MONTH,
                Set.of(), Set.of(), null, null, null, NOW.minusSeconds(86_400), revokedAt);
    }

    /** Keys ops and web of team core (ops with a $1 budget, $0.25 spent), lab of no team, and old (revoked). */
    final List<VirtualKey> keys = List.of(key("ops", "core", "1", null), key("web", "core", null, null), key("lab", null, "2", null),
            key("old", "core", "5", NOW.minusSeconds(60)));

    final KeySpend keySpend = new KeySpend() {
        @Override
        public List<VirtualKey> keys() {
            return keys;
        }

        @Override
        public LocalDate periodStart(VirtualKey key) {
            return D1;
        }

        @Override
        public Money spent(VirtualKey key) {
            if (key.name().equals("lab")) {
                throw new BudgetStoreUnavailableException("redis down", null);
            }
            return Money.ofUsd("0.25");
        }
    };

    Report keyed(ReportScope scope) {
        source.keys.clear();
        source.keys.add(new KeyUsage("ops", 60, 50, 1000, 100, Money.ofUsd("0.6")));
        source.keys.add(new KeyUsage("web", 30, 25, 500, 50, Money.ofUsd("0.3")));
        source.keys.add(new KeyUsage("lab", 10, 10, 50, 5, Money.ofUsd("0.01")));
        source.keys.add(new KeyUsage(null, 35, 5, 10, 1, Money.ofUsd("0.025")));
        return new ReportEngine(source, CATALOG, ROUTES, spend, keySpend, Clock.fixed(NOW, ZoneOffset.UTC), ReportSettings.defaults())
                .report(PERIOD, scope);
    }

    @Test
    void spendIsBrokenDownByKeyAndByTheKeysTeamWithEachActiveKeysBudget() {
        Report r = keyed(ReportScope.ALL);

        // Total cost $0.935 (the usage rows): ops 0.6 = 64.17%, web 0.3 = 32.09%, none 0.025 = 2.67%, lab 0.01 = 1.07%.
        assertThat(r.byKey()).containsExactly(
                new Report.KeyLine("ops", "core", 50, 60, 1000, 100, Money.ofUsd("0.6"), new BigDecimal("64.17")),
                new Report.KeyLine("web", "core", 25, 30, 500, 50, Money.ofUsd("0.3"), new BigDecimal("32.09")),
                new Report.KeyLine(null, null, 5, 35, 10, 1, Money.ofUsd("0.025"), new BigDecimal("2.67")),
                new Report.KeyLine("lab", null, 10, 10, 50, 5, Money.ofUsd("0.01"), new BigDecimal("1.07")));
        assertThat(r.byTeam()).containsExactly(
                new Line("core", 75, 90, Money.ofUsd("0.9"), new BigDecimal("96.26")),
                new Line(null, 15, 45, Money.ofUsd("0.035"), new BigDecimal("3.74")));
        // Revoked and budget-less keys have no bar; a budget store that cannot answer leaves spend unknown.
        assertThat(r.keyBudgets()).containsExactly(
                new Report.KeyBudget("lab", null, "month", D1, null, Money.ofUsd("2"), null),
                new Report.KeyBudget("ops", "core", "month", D1, Money.ofUsd("0.25"), Money.ofUsd("1"), new BigDecimal("25.00")));
        assertThat(source.scopedTo).isNull();
        assertThat(r.scope()).isEqualTo(ReportScope.ALL);
    }

    @Test
    void aKeyOrTeamScopeReadsOnlyItsKeysAndAnUnknownOneIsRefused() {
        Report team = keyed(new ReportScope(null, "core"));
        assertThat(source.scopedTo).containsExactlyInAnyOrder("ops", "web", "old");
        assertThat(team.byKey()).extracting(Report.KeyLine::name).containsExactly("ops", "web");
        assertThat(team.keyBudgets()).extracting(Report.KeyBudget::key).containsExactly("ops");

        Report one = keyed(new ReportScope("lab", null));
        assertThat(source.scopedTo).containsExactly("lab");
        assertThat(one.byKey()).extracting(Report.KeyLine::name).containsExactly("lab");
        assertThat(one.scope().key()).isEqualTo("lab");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keyed(new ReportScope("nobody", null)))
                .isInstanceOf(ReportScope.UnknownException.class).hasMessageContaining("no virtual key is named 'nobody'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keyed(new ReportScope(null, "nobody")))
                .isInstanceOf(ReportScope.UnknownException.class).hasMessageContaining("team 'nobody'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReportScope("a", "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void totalsAreExactAndTheAverageIsRoundedToThePicodollar() {
        Report.Totals t = report().totals();

        assertThat(t.cost()).isEqualTo(Money.ofUsd("0.935"));
        assertThat(t.requests()).isEqualTo(115);
        assertThat(t.attempts()).isEqualTo(135);
        assertThat(t.answered()).isEqualTo(113);
        assertThat(t.errors()).isEqualTo(2);
        assertThat(t.fallbacks()).isEqualTo(2);
        // 0.935 / 115 = 0.00813043478260869...
        assertThat(t.avgCostPerRequest()).isEqualTo(d("0.008130434783"));
        // 2 / 113 = 1.7699...%
        assertThat(t.fallbackRatePct()).isEqualTo(d("1.77"));
        assertThat(t.cachedInputPct()).isEqualTo(d("0.00"));
    }

    /** The text formats of the same report are checked in triage-tools' {@code ReportTextTest}. */
    @Test
    void deadLettersAreReportedWithTheirMoneyApartFromTheTotals() {
        source.deadLetters = new DeadLetterRow(3, 1, Money.ofUsd("0.0123"));

        Report r = report();

        assertThat(r.deadLetters()).isEqualTo(new DeadLetterRow(3, 1, Money.ofUsd("0.0123")));
        assertThat(r.totals().cost()).isEqualTo(Money.ofUsd("0.935")); // the roll-ups never saw them
    }

    @Test
    void breakdownsCarryRequestsAttemptsCostAndShareOrderedByCost() {
        Report r = report();

        // By model, requests are the answers the model gave.
        assertThat(r.byModel()).containsExactly(
                new Line("strong", 28, 30, Money.ofUsd("0.75"), d("80.21")),
                new Line("cheap", 80, 100, Money.ofUsd("0.14"), d("14.97")),
                new Line("mid", 5, 5, Money.ofUsd("0.045"), d("4.81")));
        assertThat(r.byRoute()).containsExactly(
                new Line("casc", 100, 120, Money.ofUsd("0.64"), d("68.45")),
                new Line("tier", 10, 10, Money.ofUsd("0.25"), d("26.74")),
                new Line("mid", 5, 5, Money.ofUsd("0.045"), d("4.81")));
        assertThat(r.byTask()).extracting(Line::name).containsExactly("classification", "reasoning", null);
        assertThat(r.byTier()).containsExactly(
                new Line(null, 105, 125, Money.ofUsd("0.685"), d("73.26")),
                new Line("high", 10, 10, Money.ofUsd("0.25"), d("26.74")));
        assertThat(r.byUser()).containsExactly(
                new Line("alice", 90, 100, Money.ofUsd("0.6"), d("64.17")),
                new Line(null, 25, 35, Money.ofUsd("0.335"), d("35.83")));
    }

    @Test
    void theDailySeriesHasEveryDayOfThePeriodWithCostPerModel() {
        List<Report.Day> days = report().daily();

        assertThat(days).extracting(Report.Day::day).containsExactly(D1, D2, D2.plusDays(1));
        assertThat(days.get(0).costByModel()).containsExactly(Map.entry("cheap", Money.ofUsd("0.14")), Map.entry("strong", Money.ofUsd("0.5")));
        assertThat(days.get(0).requests()).isEqualTo(100);
        assertThat(days.get(1).cost()).isEqualTo(Money.ofUsd("0.295"));
        assertThat(days.get(2).cost()).isEqualTo(Money.ZERO);
        assertThat(days.get(2).costByModel()).isEmpty();
    }

    @Test
    void budgetsShowTodaysSpendAndLimitOfEveryTier() {
        assertThat(report().budgets()).containsExactly(
                new Report.Budget("tier", "high", D2, "UTC", Money.ofUsd("4"), Money.ofUsd("10"), d("40.00")),
                new Report.Budget("tier", "low", D2, "UTC", Money.ofUsd("1"), null, null));
    }

    @Test
    void qualityIsTheMeanFeedbackScoreWithItsCountByModelRouteAndTask() {
        Report.Quality q = report().quality();

        assertThat(q.overall()).isEqualTo(new Score(d("0.8633"), 60)); // 51.8 / 60
        assertThat(q.byModel()).containsExactly(new QualityLine("cheap", new Score(d("0.8500"), 40)),
                new QualityLine("strong", new Score(d("0.8900"), 20)));
        assertThat(q.byRoute()).containsExactly(new QualityLine("casc", new Score(d("0.8560"), 50)),
                new QualityLine("tier", new Score(d("0.9000"), 10)));
        assertThat(q.byTask()).containsExactly(new QualityLine("classification", new Score(d("0.8560"), 50)),
                new QualityLine("reasoning", new Score(d("0.9000"), 10)));
    }

    @Test
    void routingEfficiencyIsQualityWeightedStrongOnlyCostOverActualCost() {
        RoutingEfficiency e = report().routingEfficiency();

        // casc: strongest = strong. C_s = 100k in x $10/M + 26k out x $30/M = $1.78; C_a = $0.64.
        // q = 0.856 / 0.89 = 0.96180; q x C_s = 1.712 exactly; efficiency = 1.712 / 0.64 = 2.675.
        RoutingEfficiency.RouteLine casc = e.routes().get(0);
        assertThat(casc).isEqualTo(new RoutingEfficiency.RouteLine("casc", "strong", 100, Money.ofUsd("0.64"),
                Money.ofUsd("1.78"), new Score(d("0.8560"), 50), new Score(d("0.8900"), 20), true, d("96.18"), d("35.96"),
                d("2.6750")));
        // tier: C_s = 8k x $10/M + 4k x $30/M = $0.20; C_a = $0.25; q = 0.9 / 0.89; efficiency = 0.80899 (routing cost more).
        RoutingEfficiency.RouteLine tier = e.routes().get(1);
        assertThat(tier.strongOnlyCost()).isEqualTo(Money.ofUsd("0.2"));
        assertThat(tier.qualityRetainedPct()).isEqualTo(d("101.12"));
        assertThat(tier.costPctOfStrong()).isEqualTo(d("125.00"));
        assertThat(tier.efficiency()).isEqualTo(d("0.8090"));
        // overall: (1.712 + 0.2022472) / (0.64 + 0.25) = 2.15084
        assertThat(e.overall()).isEqualTo(new RoutingEfficiency.Summary(Money.ofUsd("0.89"), Money.ofUsd("1.98"),
                d("44.95"), d("2.1508"), "good"));
        assertThat(e.routes()).extracting(RoutingEfficiency.RouteLine::route).doesNotContain("mid");
    }

    @Test
    void withoutEnoughFeedbackEfficiencyIsTheCostRatioAlone() {
        source.feedback.clear();
        source.feedback.add(new FeedbackRow(D1, "casc", "cheap", "classification", 9, 9_000_000));

        RoutingEfficiency.RouteLine casc = report().routingEfficiency().routes().get(0);

        assertThat(casc.qualityAdjusted()).isFalse();
        assertThat(casc.qualityRetainedPct()).isEqualTo(d("100.00"));
        assertThat(casc.efficiency()).isEqualTo(d("2.7812")); // 1.78 / 0.64 = 2.78125, half-even to 2.7812
    }

    @Test
    void recommendationsComeWithTheirEvidenceAndARepricedMonthlySaving() {
        List<Recommendation> recs = report().recommendations();

        assertThat(recs).extracting(Recommendation::kind).containsExactly(Kind.SAVING, Kind.SIGNAL, Kind.PITFALL);
        Recommendation move = recs.get(0);
        // strong's classification tokens (20k in, 10k out) at cheap's prices: $0.02 + $0.02 = $0.04 instead of $0.50.
        // The saving of $0.46 over 1.25 days is $11.04 per 30 days. cheap's 0.85 clears the bar of 0.88 - 0.05.
        assertThat(move.text()).isEqualTo("20% of classification requests (20 of 100 answered) went to strong; serving "
                + "them with cheap would have cost $0.04 instead of $0.50 (save $11.04/month). Its feedback quality on "
                + "classification is 0.8500 (n=40) against 0.8800 (n=10) for strong.");
        assertThat(move.estMonthlySavingsUsd()).isEqualTo(d("11.040000"));
        assertThat(move.evidence()).containsEntry("alternative", "cheap").containsEntry("alternative_cost_usd", d("0.04"))
                .containsEntry("cost_usd", d("0.5")).containsEntry("saving_usd", d("0.46")).containsEntry("window_days", d("1.25"))
                .containsEntry("share_pct", d("20.00")).containsEntry("quality_backed", true);

        Recommendation flagship = recs.get(1);
        assertThat(flagship.text()).startsWith("strong, the most expensive model in use, took 80% of spend ($0.75 of $0.935, "
                + "28 requests answered), above the 30% mark").endsWith("The task moves above would save $11.04/month.");
        assertThat(flagship.estMonthlySavingsUsd()).isEqualTo(d("11.040000"));
        // cheap answers 71% of requests, so the cheap-tier signal (under 50% of cost and of answers) stays quiet.
        assertThat(recs.get(2).text()).isEqualTo("No input tokens were read from or written to a provider's prompt cache in "
                + "this period. The response cache answered nothing in this period: it is off (cache.exact.enabled, "
                + "cache.semantic.enabled), so identical requests are paid for every time.");
        assertThat(recs.get(2).estMonthlySavingsUsd()).isNull();
    }

    @Test
    void anAlternativeBelowTheQualityBarIsNotRecommended() {
        source.feedback.set(0, new FeedbackRow(D1, "casc", "cheap", "classification", 40, 32_000_000)); // 0.80 < 0.83

        assertThat(report().recommendations()).extracting(Recommendation::kind).containsExactly(Kind.SIGNAL, Kind.PITFALL);
        assertThat(report().recommendations().get(0).estMonthlySavingsUsd()).isNull();
    }

    @Test
    void anAlternativeWithoutFeedbackIsOfferedAsATrialWhenItAlreadyServesTheTask() {
        source.feedback.clear();

        Recommendation move = report().recommendations().get(0);

        assertThat(move.kind()).isEqualTo(Kind.SAVING);
        assertThat(move.text()).endsWith("cheap already answers some classification requests but has too little feedback "
                + "on them (n=0, need 10): try it on part of the traffic and collect feedback before moving it all.");
        assertThat(move.evidence()).containsEntry("quality_backed", false);
    }

    @Test
    void tooLittleTrafficGivesNoRecommendationButSaysSo() {
        source.usage.clear();
        source.usage.add(row(D1, "casc", "strong", "classification", null, 49, 49, 0, "5", tokens(1, 1), 49, 0, tokens(1, 1)));

        List<Recommendation> recs = report().recommendations();

        assertThat(recs).extracting(Recommendation::kind).containsExactly(Kind.INSUFFICIENT_DATA, Kind.PITFALL);
        assertThat(recs.get(0).text()).isEqualTo("Only 49 requests in this period: recommendations need at least 50.");
    }

    @Test
    void theCheapModelUnderHalfOfCostAndOfAnswersIsASignal() {
        source.usage.set(0, row(D1, "casc", "cheap", "classification", null, 30, 30, 0, "0.14", tokens(100_000, 20_000), 10, 0, tokens(1, 1)));
        source.usage.add(row(D1, "casc", "strong", "chat", null, 90, 90, 0, "9", tokens(1, 1), 90, 0, tokens(1, 1)));

        assertThat(report().recommendations()).filteredOn(r -> r.text().startsWith("cheap, the cheapest model")).singleElement()
                .satisfies(r -> assertThat(r.evidence()).containsEntry("answer_share_pct", d("7.52")) // 10 of 133
                        .containsEntry("share_pct", d("1.41")));
    }

    @Test
    void qualityFallingUnderTheFloorInTheRecentDaysIsAPitfall() {
        source.feedback.clear();
        source.feedback.add(new FeedbackRow(D1.minusDays(10), "casc", "cheap", "classification", 20, 18_000_000)); // 0.90 before
        source.feedback.add(new FeedbackRow(D2, "casc", "cheap", "classification", 20, 12_000_000)); // 0.60 now

        assertThat(report().recommendations()).filteredOn(r -> r.kind() == Kind.PITFALL).extracting(Recommendation::text)
                .contains("Feedback quality on route casc fell from 0.9000 (n=20) to 0.6000 (n=20) in the last 7 days, "
                        + "under the floor of 0.7: check what changed (routing policy, thresholds, model versions).");
    }

    @Test
    void risingFallbacksAreAPitfallNamingTheModelThatFails() {
        source.usage.clear();
        source.usage.add(row(D1.minusDays(10), "casc", "cheap", "chat", null, 100, 100, 1, "1", tokens(1, 1), 100, 1, tokens(1, 1)));
        source.usage.add(row(D2, "casc", "cheap", "chat", null, 112, 100, 12, "1", tokens(1, 1), 100, 12, tokens(1, 1)));

        assertThat(report().recommendations()).filteredOn(r -> r.kind() == Kind.PITFALL).extracting(Recommendation::text)
                .contains("Fallbacks rose from 1.0% of answered requests (n=100) to 12% (n=100) in the last 7 days; most "
                        + "failed attempts were on cheap (12): check its provider's status, rate limits and keys.");
    }

    // ------------------------------------------------------------------ provider prompt caching

    /**
     * sonnet on route docs: 100 attempts, 1,000,000 input tokens of which 20,000 read from the cache (2 %) and 10,000
     * written. Saved 20,000 x ($3 - $0.30)/M + 10,000 x ($3 - $3.75)/M = $0.054 - $0.0075 = $0.0465; cost
     * 970,000 x $3/M + 20,000 x $0.30/M + 10,000 x $3.75/M + 50,000 x $15/M = $3.7035.
     * gpt on route chat: 60 attempts, 300,000 input tokens of which 150,000 cached (50 %). Saved 150,000 x $1.50/M
     * = $0.225; cost $0.30 + $0.075 + 10,000 x $8/M = $0.455.
     */
    void cachingTraffic() {
        source.usage.clear();
        source.usage.add(cachedRow("docs", "sonnet", 100, "3.7035", "0.0465", new Usage(1_000_000, 50_000, 20_000, 10_000, 0, false)));
        source.usage.add(cachedRow("chat", "gpt", 60, "0.455", "0.225", new Usage(300_000, 10_000, 150_000, 0, 0, false)));
    }

    Recommendation cacheRecommendation() {
        return report().recommendations().stream().filter(r -> r.evidence().containsKey("response_cache")).findFirst().orElseThrow();
    }

    @Test
    void promptCachingIsSummedWithItsSavingAndHitRateByModelAndRoute() {
        cachingTraffic();

        Report r = report();

        // $0.0465 + $0.225; 170,000 of 1,300,000 input tokens read from a cache = 13.0769...%.
        assertThat(r.promptCache()).isEqualTo(new Report.PromptCache(Money.ofUsd("0.2715"), 1_300_000, 170_000, 10_000, d("13.08"),
                List.of(new Report.CacheLine("gpt", 300_000, 150_000, 0, d("50.00"), Money.ofUsd("0.225")),
                        new Report.CacheLine("sonnet", 1_000_000, 20_000, 10_000, d("2.00"), Money.ofUsd("0.0465"))),
                List.of(new Report.CacheLine("chat", 300_000, 150_000, 0, d("50.00"), Money.ofUsd("0.225")),
                        new Report.CacheLine("docs", 1_000_000, 20_000, 10_000, d("2.00"), Money.ofUsd("0.0465")))));
        // The overall hit rate is the totals' share of cached input, not a second computation of it.
        assertThat(r.promptCache().hitRatePct()).isEqualTo(r.totals().cachedInputPct());
    }

    @Test
    void aModelWithCachePricesAndALowHitRateOnLargePromptsGetsAnEstimateAtTheBestMeasuredRate() {
        cachingTraffic();

        Recommendation cache = cacheRecommendation();

        // Best: gpt's 50 % (model gpt and route chat tie; the model is named). sonnet reads 2 % on 10,000-token prompts.
        // At 50 % it would read 500,000 tokens and write its own 10,000 (gpt writes none): saved 500,000 x $2.70/M
        // - 10,000 x $0.75/M = $1.3425 instead of $0.0465, $1.296 less over 1.25 days = $31.104 per 30 days.
        assertThat(cache.kind()).isEqualTo(Kind.PITFALL);
        assertThat(cache.text()).isEqualTo("Provider prompt caching saved $0.2715 in this period: 13% of input tokens "
                + "(170,000 of 1,300,000) were read from a cache; 10,000 were written to one. sonnet read 2.0% of its input "
                + "from a cache (20,000 of 1,000,000 tokens in 100 attempts, 10,000 per attempt on average) against 50% on "
                + "model gpt. Had it read as large a share of its input from a cache, writing 1.0% of it, it would have cost "
                + "$1.30 less (save $31.10/month). This assumes its prompts repeat a prefix as often as those of model gpt, "
                + "which the ledger cannot show: put the stable part first (system prompt, tools, documents) and, for "
                + "Anthropic models, mark it with cache_control. The response cache answered nothing in this period: it is "
                + "off (cache.exact.enabled, cache.semantic.enabled), so identical requests are paid for every time.");
        assertThat(cache.estMonthlySavingsUsd()).isEqualTo(d("31.104000"));
        assertThat(cache.evidence()).containsEntry("saved_usd", d("0.2715")).containsEntry("hit_rate_pct", d("13.08"))
                .containsEntry("model", "sonnet").containsEntry("model_hit_rate_pct", d("2.00"))
                .containsEntry("best", "model gpt").containsEntry("best_hit_rate_pct", d("50.00"))
                .containsEntry("assumed_cached_input_tokens", 500_000L).containsEntry("assumed_cache_write_tokens", 10_000L)
                .containsEntry("saving_usd", d("1.296")).containsEntry("window_days", d("1.25"));
    }

    @Test
    void noEstimateForSmallPromptsForAModelWithoutCachePricesOrWithoutABetterRateToGoBy() {
        cachingTraffic();
        // 1,000 input tokens per attempt: under the 1,024 that providers cache.
        source.usage.set(0, cachedRow("docs", "sonnet", 100, "0.37", "0.0465", new Usage(100_000, 50_000, 2_000, 1_000, 0, false)));
        assertThat(cacheRecommendation().estMonthlySavingsUsd()).isNull();
        assertThat(cacheRecommendation().evidence()).doesNotContainKey("model");

        // mid has no cache prices: caching would not make its input cheaper.
        cachingTraffic();
        source.usage.set(0, cachedRow("docs", "mid", 100, "3", "0", new Usage(1_000_000, 0, 0, 0, 0, false)));
        assertThat(cacheRecommendation().estMonthlySavingsUsd()).isNull();

        // Nothing was read from any cache: there is no measured rate to estimate from.
        source.usage.clear();
        source.usage.add(cachedRow("docs", "sonnet", 100, "3", "0", new Usage(1_000_000, 0, 0, 0, 0, false)));
        assertThat(cacheRecommendation().estMonthlySavingsUsd()).isNull();
    }

    @Test
    void cacheWritesThatWereNotReadBackAreANegativeSavingSaidAsSuch() {
        source.usage.clear();
        // 100,000 tokens written at $3.75/M instead of $3/M and never read: -$0.075.
        source.usage.add(cachedRow("docs", "sonnet", 60, "1.8", "-0.075", new Usage(600_000, 0, 0, 100_000, 0, false)));

        Report r = report();

        assertThat(r.promptCache().saved()).isEqualTo(Money.ofUsd("-0.075"));
        assertThat(r.promptCache().byModel()).containsExactly(
                new Report.CacheLine("sonnet", 600_000, 0, 100_000, d("0.00"), Money.ofUsd("-0.075")));
        assertThat(cacheRecommendation().text()).startsWith("Provider prompt caching cost $0.075 more than it saved in this "
                + "period: 0.0% of input tokens (0 of 600,000) were read from a cache; 100,000 were written to one, and "
                + "cache writes cost more than plain input. The response cache answered nothing");
        assertThat(cacheRecommendation().estMonthlySavingsUsd()).isNull();
    }

    // ------------------------------------------------------------------ shared-context experiment

    /**
     * compact: 30 requests, 29 answered, 42 attempts (12 of them summarizer calls), $0.091 in all, 12 feedbacks
     * summing 9.84; full: 30 requests, all answered, $0.12, 10 feedbacks summing 8.5.
     */
    void experiment() {
        source.arms.add(new ArmUsage("full", 30, 30, 30, Money.ofUsd("0.12"), 300_000, 6_000, 10, 8_500_000));
        source.arms.add(new ArmUsage("compact", 42, 30, 29, Money.ofUsd("0.091"), 150_000, 7_000, 12, 9_840_000));
    }

    @Test
    void eachContextArmHasItsCostPerRequestAndQualitySideBySide() {
        assertThat(report().contextExperiment().arms()).isEmpty();
        experiment();

        // $0.091 / 30 = $0.00303333333333... to the picodollar; $0.12 / 30 = $0.004. 9.84 / 12 = 0.82; 8.5 / 10 = 0.85.
        assertThat(report().contextExperiment().arms()).containsExactly(
                new Report.ArmLine("compact", 30, 29, 42, Money.ofUsd("0.091"), d("0.003033333333"), 150_000, 7_000, new Score(d("0.8200"), 12)),
                new Report.ArmLine("full", 30, 30, 30, Money.ofUsd("0.12"), d("0.004"), 300_000, 6_000, new Score(d("0.8500"), 10)));
        // The arms are their own figures: the totals come from the usage rows, as before.
        assertThat(report().totals().cost()).isEqualTo(Money.ofUsd("0.935"));
    }

    @Test
    void anArmWithoutFeedbackOrWithOnlyASummarizerCallInThePeriodHasNoMeanOrAverage() {
        // A period that starts between a request's summarizer call and its answer: attempts, but no request started.
        source.arms.add(new ArmUsage("compact", 1, 0, 1, Money.ofUsd("0.01"), 1_000, 100, 0, 0));

        assertThat(report().contextExperiment().arms()).containsExactly(
                new Report.ArmLine("compact", 0, 1, 1, Money.ofUsd("0.01"), null, 1_000, 100, Score.NONE));
    }
}
