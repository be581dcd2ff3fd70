package dev.triage.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRankOverTheExactValues() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100, 99, ..., 1: order of arrival must not matter
        }

        assertThat(LatencySummary.of(values, 100)).isEqualTo(new LatencySummary(100, 50, 90, 99, 100));
    }

    @Test
    void p99OfAThousandValuesIsTheNineHundredNinetiethSmallest() {
        long[] values = new long[1000];
        for (int i = 0; i < 1000; i++) {
            values[i] = i < 990 ? 1 : 1_000;
        }

        LatencySummary summary = LatencySummary.of(values, 1000);

        assertThat(summary.p99()).isEqualTo(1);
        assertThat(summary.max()).isEqualTo(1_000);
    }

    @Test
    void onlyTheFirstCountValuesAreSummarised() {
        long[] values = {7, 3, 5, 999, 999};

        assertThat(LatencySummary.of(values, 3)).isEqualTo(new LatencySummary(3, 5, 7, 7, 7));
    }

    @Test
    void noValuesGiveAnEmptySummary() {
        assertThat(LatencySummary.of(new long[0], 0)).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        assertThat(LatencySummary.of(new long[] {42}, 1)).isEqualTo(new LatencySummary(1, 42, 42, 42, 42));
    }
}
