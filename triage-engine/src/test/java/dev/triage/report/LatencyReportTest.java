package dev.triage.report;

import static dev.triage.report.ReportEngineTest.D1;
import static dev.triage.report.ReportEngineTest.D2;
import static dev.triage.report.ReportEngineTest.PERIOD;
import static dev.triage.report.ReportEngineTest.row;
import static dev.triage.report.ReportEngineTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.report.LatencyRow.Axis;
import dev.triage.report.LatencyRow.Measure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Latency percentiles and error rates by model, route and day: exact, from histograms and the usage rows. */
class LatencyReportTest {

    @Test
    void percentilesAreNearestRankOverTheCounts() {
        Latencies l = new Latencies();
        assertThat(l.percentile(50)).isNull();
        // 1..20 ms once each: the median is the 10th value, the 95th percentile the 19th
        for (long ms = 20; ms >= 1; ms--) {
            l.add(ms, 1);
        }
        assertThat(l.count()).isEqualTo(20);
        assertThat(l.percentile(50)).isEqualTo(10);
        assertThat(l.percentile(95)).isEqualTo(19);
        assertThat(l.percentile(100)).isEqualTo(20);
        // one value only: every percentile is it
        Latencies one = new Latencies();
        one.add(700, 1);
        assertThat(one.percentile(50)).isEqualTo(700);
        assertThat(one.percentile(95)).isEqualTo(700);
        // counts weigh: 96 fast calls and 4 slow ones keep p95 fast (rank 95 of 100); two more slow calls move it
        // (rank ceil(96.9) = 97 of 102)
        Latencies skew = new Latencies();
        skew.add(100, 96);
        skew.add(9_000, 4);
        assertThat(skew.percentile(95)).isEqualTo(100);
        skew.add(9_000, 2);
        assertThat(skew.percentile(95)).isEqualTo(9_000);
        assertThat(skew.percentile(50)).isEqualTo(100);
        assertThatThrownBy(() -> skew.percentile(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linesByModelAndRouteCarryErrorRatesFromTheUsageAndPercentilesFromTheHistograms() {
        List<UsageRow> rows = List.of(
                row(D1, "casc", "cheap", "classification", null, 10, 8, 2, "0.01", tokens(1000, 100), 7, 1, tokens(700, 70)),
                row(D2, "casc", "strong", "classification", null, 4, 0, 1, "0.2", tokens(400, 40), 2, 0, tokens(200, 20)),
                row(D2, "tier", "cheap", null, "low", 3, 3, 0, "0.003", tokens(300, 30), 3, 0, tokens(300, 30)));
        List<LatencyRow> h = new ArrayList<>();
        h.add(new LatencyRow(Axis.MODEL, Measure.LATENCY, "cheap", 200, 9));
        h.add(new LatencyRow(Axis.MODEL, Measure.LATENCY, "cheap", 1_500, 2));
        h.add(new LatencyRow(Axis.MODEL, Measure.LATENCY, "strong", 3_000, 3));
        h.add(new LatencyRow(Axis.MODEL, Measure.TTFT, "cheap", 90, 4));
        h.add(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "casc", 200, 6));
        h.add(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "casc", 1_500, 2));
        h.add(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "casc", 3_000, 3));
        h.add(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "tier", 200, 3));
        h.add(new LatencyRow(Axis.ROUTE, Measure.TTFT, "tier", 90, 4));
        h.add(new LatencyRow(Axis.DAY, Measure.LATENCY, D1.toString(), 200, 6));
        h.add(new LatencyRow(Axis.DAY, Measure.LATENCY, D1.toString(), 1_500, 2));
        h.add(new LatencyRow(Axis.DAY, Measure.LATENCY, D2.toString(), 3_000, 3));
        h.add(new LatencyRow(Axis.DAY, Measure.LATENCY, D2.toString(), 200, 3));

        Report.Latency l = ReportEngine.latency(PERIOD, rows, h, 1);

        assertThat(l.byModel()).containsExactly(
                // cheap: 13 attempts, 2 errors; 11 timed: rank 6 is 200 ms, rank ceil(10.45) = 11 is 1,500 ms
                new Report.LatencyLine("cheap", 10, 13, 2, new BigDecimal("15.38"), 11, 200L, 1_500L, 4, 90L, 90L),
                new Report.LatencyLine("strong", 2, 4, 1, new BigDecimal("25.00"), 3, 3_000L, 3_000L, 0, null, null));
        assertThat(l.byRoute()).containsExactly(
                new Report.LatencyLine("casc", 8, 14, 3, new BigDecimal("21.43"), 11, 200L, 3_000L, 0, null, null),
                new Report.LatencyLine("tier", 3, 3, 0, new BigDecimal("0.00"), 3, 200L, 200L, 4, 90L, 90L));
        assertThat(l.daily()).extracting(Report.LatencyDay::day).containsExactlyElementsOf(PERIOD.days());
        assertThat(l.daily().get(0)).isEqualTo(new Report.LatencyDay(D1, 10, 2, new BigDecimal("20.00"), 8, 200L, 1_500L));
        assertThat(l.daily().get(1)).isEqualTo(new Report.LatencyDay(D2, 7, 1, new BigDecimal("14.29"), 6, 200L, 3_000L));
        assertThat(l.daily().get(2)).isEqualTo(new Report.LatencyDay(D2.plusDays(1), 0, 0, null, 0, null, null));
    }

    @Test
    void aPeriodOfVeryManySuccessfulAttemptsIsTimedOverOneInN() {
        // 50,000 successful attempts are all read; one more and every second one is
        UsageRow exact = row(D1, "casc", "cheap", null, null, 50_010, 50_010, 10, "1", tokens(1, 1), 50_000, 0, tokens(1, 1));
        assertThat(ReportEngine.oneIn(List.of(exact))).isEqualTo(1);
        UsageRow more = row(D1, "casc", "cheap", null, null, 50_011, 50_011, 10, "1", tokens(1, 1), 50_001, 0, tokens(1, 1));
        assertThat(ReportEngine.oneIn(List.of(more))).isEqualTo(2);
        assertThat(ReportEngine.oneIn(List.of(more, more, more))).isEqualTo(4);
        assertThat(ReportEngine.oneIn(List.of())).isEqualTo(1);
    }

    @Test
    void aReportCarriesItsLatencyAndTheJsonWritesItAsTheContractSays() {
        ReportEngineTest base = new ReportEngineTest();
        base.source.usage.clear();
        base.source.usage.add(row(D1, "casc", "cheap", "classification", null, 2, 2, 1, "0.01", tokens(100, 10), 1, 0, tokens(50, 5)));
        base.source.latencies.add(new LatencyRow(Axis.MODEL, Measure.LATENCY, "cheap", 321, 1));
        base.source.latencies.add(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "casc", 321, 1));
        base.source.latencies.add(new LatencyRow(Axis.DAY, Measure.LATENCY, D1.toString(), 321, 1));
        Report report = base.report();
        var json = ReportJson.tree(report).get("latency");
        assertThat(json.get("sampled_one_in").asInt()).isEqualTo(1);
        assertThat(json.at("/by_model/0").toString()).isEqualTo("{\"name\":\"cheap\",\"requests\":1,\"attempts\":2,\"errors\":1,"
                + "\"error_rate_pct\":50.00,\"timed\":1,\"p50_ms\":321,\"p95_ms\":321,\"ttft_timed\":0,\"ttft_p50_ms\":null,\"ttft_p95_ms\":null}");
        assertThat(json.at("/by_route/0/name").asText()).isEqualTo("casc");
        assertThat(json.at("/daily/0").toString()).isEqualTo("{\"day\":\"" + D1 + "\",\"attempts\":2,\"errors\":1,"
                + "\"error_rate_pct\":50.00,\"timed\":1,\"p50_ms\":321,\"p95_ms\":321}");
        assertThat(json.get("daily").size()).isEqualTo(PERIOD.days().size());
        // a virtual key's own report keeps its latency
        assertThat(report.withoutGatewayFigures().latency()).isEqualTo(report.latency());
    }
}
