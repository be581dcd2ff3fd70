package dev.triage.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import org.junit.jupiter.api.Test;

/** The text forms of {@code triage report} (table and Markdown), over the hand-built ledger of the engine's {@link ReportEngineTest}. */
class ReportTextTest {

    private final ReportEngineTest ledger = new ReportEngineTest();

    @Test
    void deadLettersAreReportedWithTheirMoneyInEveryTextFormat() {
        ledger.source.deadLetters = new DeadLetterRow(3, 1, Money.ofUsd("0.0123"));

        Report r = ledger.report();

        assertThat(ReportText.table(r)).contains("Dead letters           $0.0123 in 3 attempts the ledger database "
                + "refused (and 1 captured texts): spent, but in none of these figures until replayed from ledger_dead_letters");
        assertThat(ReportText.markdown(r)).contains("- **Dead letters:** $0.0123 in 3 attempts");
    }

    @Test
    void withoutDeadLettersTheTextReportDoesNotMentionThem() {
        Report r = ledger.report();

        assertThat(r.deadLetters()).isEqualTo(DeadLetterRow.NONE);
        assertThat(ReportText.table(r)).doesNotContain("Dead letters");
        assertThat(ReportText.markdown(r)).doesNotContain("Dead letters");
    }

    @Test
    void theSavingFromPromptCachingAndItsHitRateByModelAndRouteAreInEveryTextFormat() {
        ledger.cachingTraffic();

        Report r = ledger.report();
        String table = ReportText.table(r);
        String markdown = ReportText.markdown(r);

        assertThat(table).contains("Saved by prompt cache  $0.2715 (hit rate 13.1%: 170,000 of 1,300,000 input tokens read "
                + "from a cache, 10,000 written)")
                .contains("  gpt                      50.0% hit        300,000 in        150,000 cached            0 written       $0.225 saved")
                .contains("  sonnet                    2.0% hit      1,000,000 in         20,000 cached       10,000 written      $0.0465 saved")
                .contains("Prompt caching by route\n  chat ")
                .contains("sonnet read 2.0% of its input from a cache").contains("[pitfall, ~$31.10/month]");
        assertThat(markdown).contains("- **Saved by prompt caching:** $0.2715 (hit rate 13.1%")
                .contains("## Prompt caching by model\n\n| model | input tokens | cached | written | hit rate | saved |")
                .contains("| sonnet | 1,000,000 | 20,000 | 10,000 | 2.0% | $0.0465 |")
                .contains("| docs | 1,000,000 | 20,000 | 10,000 | 2.0% | $0.0465 |")
                .contains("- **pitfall:** Provider prompt caching saved $0.2715");
    }

    @Test
    void aNegativeSavingIsShownWithItsSignBeforeTheDollar() {
        ledger.source.usage.clear();
        ledger.source.users.clear();
        ledger.source.keys.clear();
        ledger.source.usage.add(ReportEngineTest.cachedRow("docs", "sonnet", 60, "1.8", "-0.075",
                new dev.triage.chat.Usage(600_000, 0, 0, 100_000, 0, false)));

        Report r = ledger.report();

        assertThat(ReportText.table(r)).contains("Saved by prompt cache  -$0.075 (hit rate 0.0%");
        assertThat(ReportText.markdown(r)).contains("| sonnet | 600,000 | 0 | 100,000 | 0.0% | -$0.075 |");
    }

    @Test
    void theContextExperimentIsASectionOfEveryTextFormatOnlyWhenThereAreArms() {
        assertThat(ReportText.table(ledger.report())).doesNotContain("Context experiment");
        assertThat(ReportText.markdown(ledger.report())).doesNotContain("Context experiment");
        ledger.experiment();

        Report r = ledger.report();

        assertThat(ReportText.table(r)).contains("Context experiment (shared context: compact = older turns condensed, full = whole history)\n"
                + "  compact         30 req (answered 29)       $0.091    $0.003033/req  quality 0.8200 (n=12)    150,000 in, 7,000 out\n"
                + "  full            30 req (answered 30)        $0.12       $0.004/req  quality 0.8500 (n=10)    300,000 in, 6,000 out\n");
        assertThat(ReportText.markdown(r)).contains("## Context experiment\n")
                .contains("| compact | 30 | 29 | $0.091 | $0.003033 | 150,000 | 7,000 | 0.8200 (n=12) |")
                .contains("| full | 30 | 30 | $0.12 | $0.004 | 300,000 | 6,000 | 0.8500 (n=10) |");
    }

    @Test
    void daysWithoutRequestsAreCountedInOneLineInsteadOfListed() {
        Report r = ledger.report();

        assertThat(r.daily()).hasSize(3); // the JSON form keeps every day
        String table = ReportText.table(r);
        String daily = table.substring(table.indexOf("Daily spend"));
        assertThat(daily).contains("  2026-03-01 ").contains("  2026-03-02 ").doesNotContain("2026-03-03")
                .contains("  1 day without requests left out.\n");
        String markdown = ReportText.markdown(r);
        assertThat(markdown).contains("| 2026-03-02 |").doesNotContain("| 2026-03-03 |")
                .contains("\n\n1 day without requests left out.\n");
    }

    @Test
    void aPeriodWithoutRequestsSaysSoInsteadOfListingZeroDays() {
        ledger.source.usage.clear();
        ledger.source.users.clear();
        ledger.source.keys.clear();

        Report r = ledger.report();

        assertThat(ReportText.table(r)).contains("Daily spend").contains("  No requests on any of the 3 days of the period.\n")
                .doesNotContain("2026-03-03");
        assertThat(ReportText.markdown(r)).contains("## Daily spend\n\nNo requests on any of the 3 days of the period.\n")
                .doesNotContain("| day | requests |");
    }

    @Test
    void latencyAndErrorsByModelAndRouteAreInEveryTextFormat() {
        ledger.source.usage.clear();
        ledger.source.users.clear();
        ledger.source.keys.clear();
        ledger.source.usage.add(ReportEngineTest.row(ReportEngineTest.D1, "casc", "cheap", "classification", null, 40, 38, 4,
                "0.01", ReportEngineTest.tokens(1000, 100), 36, 2, ReportEngineTest.tokens(900, 90)));
        for (LatencyRow.Axis axis : new LatencyRow.Axis[] {LatencyRow.Axis.MODEL, LatencyRow.Axis.ROUTE}) {
            String name = axis == LatencyRow.Axis.MODEL ? "cheap" : "casc";
            ledger.source.latencies.add(new LatencyRow(axis, LatencyRow.Measure.LATENCY, name, 850, 30));
            ledger.source.latencies.add(new LatencyRow(axis, LatencyRow.Measure.LATENCY, name, 12_400, 6));
            ledger.source.latencies.add(new LatencyRow(axis, LatencyRow.Measure.TTFT, name, 95, 10));
        }

        Report r = ledger.report();

        // 36 timed: rank 18 is 850 ms, rank ceil(34.2) = 35 is 12,400 ms
        assertThat(ReportText.table(r)).contains("Latency and errors by model (p50/p95 of successful calls; TTFT = time to first token of streams)\n"
                + "  cheap                         40 attempts  p50    850 ms  p95 12,400 ms  TTFT p50     95 ms  p95     95 ms        4 errors (10.0%)\n")
                .contains("Latency and errors by route\n  casc ");
        assertThat(ReportText.markdown(r)).contains("## Latency and errors by model\n\n| model | attempts | p50 | p95 | TTFT p50 | TTFT p95 | errors | error rate |")
                .contains("| cheap | 40 | 850 ms | 12,400 ms | 95 ms | 95 ms | 4 | 10.0% |")
                .contains("| casc | 40 | 850 ms | 12,400 ms | 95 ms | 95 ms | 4 | 10.0% |");
    }
}
