package dev.triage.simulate.trace;

import static dev.triage.simulate.trace.TinyTraces.SONNET;
import static dev.triage.simulate.trace.TinyTraces.at;
import static dev.triage.simulate.trace.TinyTraces.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.chat.PromptCache.Ttl;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceStrategiesTest {

    /** One conversation of three turns a minute apart: 1,300, 1,800 and 2,600 tokens. */
    private static final List<TraceRequest> CONVERSATION = List.of(at(0, 1300, 1, 2, 3), at(60, 1800, 1, 2, 30, 4),
            at(120, 2600, 1, 2, 30, 40, 5, 6));

    private static Map<TraceStrategy, Money> inputCosts(Trace trace) {
        TraceSimulation sim = new TraceSimulation(trace, SONNET, Ttl.FIVE_MINUTES);
        Map<TraceStrategy, Money> out = new EnumMap<>(TraceStrategy.class);
        for (TraceStrategy s : TraceStrategy.all()) {
            out.put(s, sim.run(s).inputCost());
        }
        return out;
    }

    @Test
    void eachStrategyOnOneConversationByHand() {
        Map<TraceStrategy, Money> cost = inputCosts(new Trace("c", CONVERSATION));
        // 5,700 tokens at $3/M
        assertThat(cost.get(TraceStrategy.NO_CACHE)).isEqualTo(Money.ofUsd("0.0171"));
        // write 1,300; read 1,300 + write 500; read 1,800 + write 800
        assertThat(cost.get(TraceStrategy.NAIVE)).isEqualTo(Money.ofUsd("0.01068"));
        // the first turn is plain (no answer in it yet); the second writes all 1,800 (marks at 1,300 and 1,800);
        // the third reads 1,800 and writes 800
        assertThat(cost.get(TraceStrategy.TRIAGE)).isEqualTo(Money.ofUsd("0.01419"));
        // write 1,300; read it and write 500; read 1,800, the last 800 plain: nothing reads them again
        assertThat(cost.get(TraceStrategy.ORACLE)).isEqualTo(Money.ofUsd("0.01008"));
        assertThat(cost.get(TraceStrategy.HINDSIGHT)).isEqualTo(Money.ofUsd("0.01008"));
    }

    @Test
    void onConversationTrafficOracleIsCheapestThenTriageThenNaive() {
        List<TraceRequest> requests = new ArrayList<>(CONVERSATION);
        // three one-turn conversations of 2,048 tokens in between
        requests.add(1, at(10, 2048, 50, 51, 52, 53));
        requests.add(2, at(20, 2048, 60, 61, 62, 63));
        requests.add(4, at(70, 2048, 70, 71, 72, 73));
        Map<TraceStrategy, Money> cost = inputCosts(new Trace("mixed", requests));
        Money singles = TinyTraces.perMtok("3").times(3 * 2048);
        assertThat(cost.get(TraceStrategy.ORACLE)).isEqualTo(Money.ofUsd("0.01008").plus(singles));
        assertThat(cost.get(TraceStrategy.TRIAGE)).isEqualTo(Money.ofUsd("0.01419").plus(singles));
        // naive writes each single turn: a quarter more than plain
        assertThat(cost.get(TraceStrategy.NAIVE)).isEqualTo(Money.ofUsd("0.01068").plus(TinyTraces.perMtok("3.75").times(3 * 2048)));
        assertThat(cost.get(TraceStrategy.ORACLE)).isLessThanOrEqualTo(cost.get(TraceStrategy.TRIAGE));
        assertThat(cost.get(TraceStrategy.TRIAGE)).isLessThanOrEqualTo(cost.get(TraceStrategy.NAIVE));
        assertThat(cost.get(TraceStrategy.NAIVE)).isLessThanOrEqualTo(cost.get(TraceStrategy.NO_CACHE));
    }

    @Test
    void triageMarksAPrefixSharedWithAnotherConversation() {
        // two conversations open with the same three blocks (1,536 tokens) and go different ways
        List<TraceRequest> requests = List.of(at(0, 2048, 1, 2, 3, 4), at(30, 2048, 1, 2, 3, 5), at(60, 2048, 1, 2, 3, 6));
        TraceSimulation sim = new TraceSimulation(trace(requests.toArray(TraceRequest[]::new)), SONNET, Ttl.FIVE_MINUTES);
        StrategyCost triage = sim.run(TraceStrategy.TRIAGE);
        // the first is plain; the second finds 1,536 tokens shared with the first and writes them; the third reads them
        assertThat(triage.cacheWriteTokens()).isEqualTo(1536);
        assertThat(triage.cachedReadTokens()).isEqualTo(1536);
    }

    /**
     * The oracle is a lower bound of what the rules allow: on small random traces, no placement of
     * breakpoints at all — every subset of at most four boundaries per request, every allowed choice of
     * lifetimes — costs less, and every strategy costs at least the cheapest placement.
     */
    @Test
    void noPlacementOfBreakpointsBeatsTheOracle() {
        Random random = new Random(7);
        int checked = 0;
        int cacheable = 0;
        int tight = 0;
        while (checked < 150) {
            int size = checked % 2 == 0 ? 3 : 4;
            CacheRules rules = checked % 3 == 0 ? SONNET : TinyTraces.rules(512);
            Trace trace = randomTrace(random, size);
            TraceSimulation sim = new TraceSimulation(trace, rules, Ttl.FIVE_MINUTES);
            int longest = 0;
            for (int r = 0; r < trace.requests().size(); r++) {
                longest = Math.max(longest, sim.tree().path(r).length);
            }
            if (longest > (size == 3 ? 4 : 3)) {
                continue;
            }
            Money best = cheapestPlacement(sim, rules);
            Map<TraceStrategy, Money> cost = new EnumMap<>(TraceStrategy.class);
            for (TraceStrategy s : TraceStrategy.all()) {
                cost.put(s, sim.run(s).inputCost());
            }
            assertThat(cost.get(TraceStrategy.ORACLE)).as("oracle on %s", trace.requests()).isLessThanOrEqualTo(best);
            for (TraceStrategy s : List.of(TraceStrategy.NO_CACHE, TraceStrategy.NAIVE, TraceStrategy.TRIAGE, TraceStrategy.HINDSIGHT)) {
                assertThat(cost.get(s)).as("%s on %s", s, trace.requests()).isGreaterThanOrEqualTo(best);
            }
            cacheable += best.compareTo(cost.get(TraceStrategy.NO_CACHE)) < 0 ? 1 : 0;
            tight += cost.get(TraceStrategy.ORACLE).equals(best) ? 1 : 0;
            checked++;
        }
        assertThat(cacheable).as("traces where caching pays at all").isGreaterThanOrEqualTo(30);
        // the bound is not only below: on most of these it is exactly what the best placement costs
        assertThat(tight).isGreaterThan(checked / 2);
    }

    /**
     * A few requests of 1–3 blocks, each opening a conversation, sending an earlier prompt again,
     * continuing one or branching off one, at gaps around both lifetimes.
     */
    private static Trace randomTrace(Random random, int size) {
        long[] gaps = {30_000, 60_000, 120_000, 299_000, 301_000, 1_200_000, 3_599_000, 3_601_000};
        List<TraceRequest> requests = new ArrayList<>();
        long t = 0;
        int nextId = 100;
        for (int i = 0; i < size; i++) {
            t += i == 0 ? 0 : gaps[random.nextInt(gaps.length)];
            TraceRequest earlier = requests.isEmpty() ? null : requests.get(random.nextInt(requests.size()));
            int kind = earlier == null ? 0 : new int[]{0, 1, 2, 2, 2, 3}[random.nextInt(6)];
            int[] ids;
            int tokens;
            if (kind == 1) { // the same prompt again
                ids = earlier.blocks();
                tokens = earlier.inputTokens();
            } else if (kind == 2) { // the next turn: the earlier prompt, an answer and a question
                int full = earlier.fullBlocks();
                ids = new int[full + 1 + random.nextInt(2)];
                System.arraycopy(earlier.blocks(), 0, ids, 0, full);
                for (int b = full; b < ids.length; b++) {
                    ids[b] = nextId++;
                }
                tokens = Math.max(earlier.inputTokens() + 1, (ids.length - 1) * 512 + 1 + random.nextInt(512));
            } else { // a new conversation, or one sharing the first blocks of an earlier prompt
                ids = new int[1 + random.nextInt(3)];
                int keep = kind == 3 ? Math.min(earlier.fullBlocks(), ids.length) : 0;
                System.arraycopy(earlier == null ? ids : earlier.blocks(), 0, ids, 0, keep);
                for (int b = keep; b < ids.length; b++) {
                    ids[b] = nextId++;
                }
                tokens = (ids.length - 1) * 512 + 1 + random.nextInt(512);
            }
            requests.add(new TraceRequest(t, tokens, 10, ids));
        }
        return new Trace("random", requests);
    }

    /** The cheapest input cost over every placement the rules allow, by exhaustive search. */
    private static Money cheapestPlacement(TraceSimulation sim, CacheRules rules) {
        List<TraceRequest> requests = sim.trace().requests();
        List<List<List<Breakpoint>>> options = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            options.add(placements(sim.tree().path(r).length, rules.maxBreakpoints()));
        }
        int[] choice = new int[requests.size()];
        Money best = null;
        while (true) {
            PromptCacheSimulator cache = new PromptCacheSimulator(sim.tree(), requests, rules);
            Tally total = Tally.ZERO;
            for (int r = 0; r < requests.size(); r++) {
                total = total.plus(cache.serve(r, options.get(r).get(choice[r])));
            }
            Money cost = total.inputCost(rules);
            if (best == null || cost.compareTo(best) < 0) {
                best = cost;
            }
            int r = 0;
            while (r < choice.length && ++choice[r] == options.get(r).size()) {
                choice[r++] = 0;
            }
            if (r == choice.length) {
                return best;
            }
        }
    }

    /** Every allowed set of breakpoints on a path of {@code n} boundaries: at most {@code max}, one-hour ones first. */
    private static List<List<Breakpoint>> placements(int n, int max) {
        List<List<Breakpoint>> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            List<Integer> at = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if ((mask & 1 << j) != 0) {
                    at.add(j);
                }
            }
            if (at.size() > max) {
                continue;
            }
            for (int hours = 0; hours <= at.size(); hours++) {
                List<Breakpoint> marks = new ArrayList<>();
                for (int k = 0; k < at.size(); k++) {
                    marks.add(new Breakpoint(at.get(k), k < hours ? Ttl.ONE_HOUR : Ttl.FIVE_MINUTES));
                }
                out.add(marks);
            }
        }
        return out;
    }
}
