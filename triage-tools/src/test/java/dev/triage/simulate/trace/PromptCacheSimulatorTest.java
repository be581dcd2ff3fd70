package dev.triage.simulate.trace;

import static dev.triage.simulate.trace.TinyTraces.SONNET;
import static dev.triage.simulate.trace.TinyTraces.at;
import static dev.triage.simulate.trace.TinyTraces.blocks;
import static dev.triage.simulate.trace.TinyTraces.concat;
import static dev.triage.simulate.trace.TinyTraces.perMtok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.chat.PromptCache.Ttl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of Anthropic's prompt cache, on traces small enough to bill by hand. */
class PromptCacheSimulatorTest {

    private static final Ttl FIVE = Ttl.FIVE_MINUTES;
    private static final Ttl HOUR = Ttl.ONE_HOUR;

    /** Serves the requests in order, each with its marks; returns the tallies. */
    private static List<Tally> serve(CacheRules rules, List<TraceRequest> requests, List<List<Breakpoint>> marks) {
        PrefixTree tree = PrefixTree.of(requests);
        PromptCacheSimulator cache = new PromptCacheSimulator(tree, requests, rules);
        List<Tally> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            out.add(cache.serve(i, marks.get(i)));
        }
        return out;
    }

    private static List<Breakpoint> mark(int boundary, Ttl ttl) {
        return List.of(new Breakpoint(boundary, ttl));
    }

    @Test
    void aWriteCostsAQuarterMoreThanInputAndAReadATenth() {
        List<Tally> t = serve(SONNET, List.of(at(0, 2048, 1, 2, 3, 4), at(60, 2560, 1, 2, 3, 4, 5)),
                List.of(mark(3, FIVE), mark(4, FIVE)));
        assertThat(t.get(0)).isEqualTo(new Tally(0, 2048, 0, 0, 100));
        // the second prompt's breakpoint finds the first one's entry one boundary back
        assertThat(t.get(1)).isEqualTo(new Tally(2048, 512, 0, 0, 100));
        // 2,048 x $3.75/M = $0.00768; 2,048 x $0.30/M + 512 x $3.75/M = $0.0006144 + $0.00192
        assertThat(t.get(0).inputCost(SONNET)).isEqualTo(Money.ofUsd("0.00768"));
        assertThat(t.get(1).inputCost(SONNET)).isEqualTo(Money.ofUsd("0.0025344"));
        assertThat(t.get(1).cost(SONNET)).isEqualTo(Money.ofUsd("0.0040344")); // plus 100 output tokens at $15/M
    }

    @Test
    void tokensAfterTheLastBreakpointAreBilledAsPlainInput() {
        List<Tally> t = serve(SONNET, List.of(at(0, 2600, concat(blocks(1, 5), 6))), List.of(mark(2, FIVE)));
        assertThat(t.get(0)).isEqualTo(new Tally(0, 1536, 0, 1064, 100));
    }

    @Test
    void anEntryLivesFiveMinutesAndEachReadStartsThemAgain() {
        int[] p = blocks(1, 4);
        List<TraceRequest> requests = List.of(at(0, 2048, p), at(300, 2048, p), at(599, 2048, p), at(900, 2048, p), at(1_200.001, 2048, p));
        List<Breakpoint> end = mark(3, FIVE);
        List<Tally> t = serve(SONNET, requests, List.of(end, end, end, end, end));
        assertThat(t.get(0).write5m()).isEqualTo(2048);
        assertThat(t.get(1).read()).as("at exactly five minutes the entry is still there").isEqualTo(2048);
        assertThat(t.get(2).read()).as("the read at 300 s renewed it until 600 s").isEqualTo(2048);
        assertThat(t.get(3).read()).as("renewed at 599 s until 899 s: gone at 900 s").isZero();
        assertThat(t.get(3).write5m()).isEqualTo(2048);
        assertThat(t.get(4).read()).as("written again at 900 s, gone a millisecond after 1,200 s").isZero();
    }

    @Test
    void aOneHourEntryCostsTwiceTheInputPriceAndLivesAnHour() {
        int[] p = blocks(1, 4);
        List<Tally> t = serve(SONNET, List.of(at(0, 2048, p), at(3_000, 2048, p), at(6_600, 2048, p), at(10_201, 2048, p)),
                List.of(mark(3, HOUR), mark(3, FIVE), mark(3, FIVE), mark(3, FIVE)));
        assertThat(t.get(0)).isEqualTo(new Tally(0, 0, 2048, 0, 100));
        assertThat(t.get(0).inputCost(SONNET)).isEqualTo(perMtok("6").times(2048));
        assertThat(t.get(1).read()).isEqualTo(2048);
        // a read renews the entry for its own lifetime (an hour), whatever the reader's breakpoint asks
        assertThat(t.get(2).read()).isEqualTo(2048);
        assertThat(t.get(3).read()).isZero();
    }

    @Test
    void aBreakpointLooksTwentyBoundariesBackAndNoFurther() {
        int[] base = blocks(1, 3);
        List<TraceRequest> requests = List.of(
                at(0, 1536, base),
                at(10, 23 * 512, concat(base, blocks(100, 119))),  // 20 blocks after the entry
                at(20, 24 * 512, concat(base, blocks(200, 220)))); // 21 blocks after it
        List<Tally> t = serve(SONNET, requests, List.of(mark(2, FIVE), mark(22, FIVE), mark(23, FIVE)));
        assertThat(t.get(1).read()).isEqualTo(1536);
        assertThat(t.get(2).read()).isZero();
        assertThat(t.get(2).write5m()).isEqualTo(24 * 512);
    }

    @Test
    void prefixesBelowTheModelsMinimumAreNeitherWrittenNorLookedUp() {
        List<TraceRequest> requests = List.of(at(0, 1000, 1, 2), at(10, 1000, 1, 2), at(20, 1500, 7, 8, 9));
        List<Tally> t = serve(SONNET, requests, List.of(mark(1, FIVE), mark(1, FIVE), mark(2, FIVE)));
        assertThat(t.get(0)).isEqualTo(new Tally(0, 0, 0, 1000, 100));
        assertThat(t.get(1)).isEqualTo(new Tally(0, 0, 0, 1000, 100));
        assertThat(t.get(2)).isEqualTo(new Tally(0, 1500, 0, 0, 100));
        // a lower minimum caches the same prompt
        assertThat(serve(TinyTraces.rules(1000), requests, List.of(mark(1, FIVE), mark(1, FIVE), mark(2, FIVE))).get(1).read())
                .isEqualTo(1000);
    }

    @Test
    void theLongestEntryFoundIsReadAndEachStretchAfterItIsWrittenAtItsBreakpointsPrice() {
        int[] p = blocks(1, 10);
        List<TraceRequest> requests = List.of(at(0, 1536, blocks(1, 3)), at(60, 5120, p));
        List<Tally> t = serve(SONNET, requests, List.of(mark(2, HOUR),
                List.of(new Breakpoint(2, HOUR), new Breakpoint(5, HOUR), new Breakpoint(7, FIVE))));
        // read 3 blocks; blocks 4-6 go to the one-hour entry, 7-8 to the five-minute one; 9-10 plain
        assertThat(t.get(1)).isEqualTo(new Tally(1536, 1024, 1536, 1024, 100));
    }

    @Test
    void aBreakpointBeyondTheLookBackOfAllEntriesWritesEverythingBeforeIt() {
        int[] p = blocks(1, 30);
        List<TraceRequest> requests = List.of(at(0, 1536, blocks(1, 3)), at(60, 30 * 512, p));
        List<Tally> t = serve(SONNET, requests, List.of(mark(2, FIVE), mark(29, FIVE)));
        assertThat(t.get(1)).isEqualTo(new Tally(0, 30 * 512, 0, 0, 100));
        // a second breakpoint at the old entry finds it, and only the rest is written
        List<Tally> two = serve(SONNET, requests, List.of(mark(2, FIVE), List.of(new Breakpoint(2, FIVE), new Breakpoint(29, FIVE))));
        assertThat(two.get(1)).isEqualTo(new Tally(1536, 27 * 512, 0, 0, 100));
    }

    @Test
    void aLaterTurnReadsThePreviousPromptWhoseLastBlockWasPartial() {
        List<TraceRequest> requests = List.of(at(0, 1300, 1, 2, 3), at(60, 1800, 1, 2, 30, 4));
        // the second prompt's path: 512, 1,024, 1,300 (the first prompt's end), 1,536, 1,800
        List<Tally> t = serve(SONNET, requests, List.of(mark(2, FIVE), mark(4, FIVE)));
        assertThat(t.get(1)).isEqualTo(new Tally(1300, 500, 0, 0, 100));
    }

    @Test
    void atMostFourBreakpointsAndOneHourOnesFirst() {
        int[] p = blocks(1, 10);
        List<TraceRequest> one = List.of(at(0, 5120, p));
        List<Breakpoint> five = List.of(new Breakpoint(1, FIVE), new Breakpoint(3, FIVE), new Breakpoint(5, FIVE),
                new Breakpoint(7, FIVE), new Breakpoint(9, FIVE));
        assertThatThrownBy(() -> serve(SONNET, one, List.of(five))).hasMessageContaining("at most 4");
        assertThatThrownBy(() -> serve(SONNET, one, List.of(List.of(new Breakpoint(2, FIVE), new Breakpoint(5, HOUR)))))
                .hasMessageContaining("one-hour breakpoint may not follow a five-minute one");
        assertThatThrownBy(() -> serve(SONNET, one, List.of(List.of(new Breakpoint(5, FIVE), new Breakpoint(2, FIVE)))))
                .hasMessageContaining("in order");
    }
}
