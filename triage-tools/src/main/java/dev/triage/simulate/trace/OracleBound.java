package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A lower bound on what any placement of breakpoints can cost on a trace under {@link CacheRules}: each
 * stretch of prompt is kept in the cache exactly as long as the future reuses it, with each write's
 * lifetime chosen knowing when it is next read, and without the limits a real placement meets (four
 * breakpoints, the look-back, one read per request, a breakpoint needed to renew an entry).
 *
 * <p>Why no placement costs less. Take a node K of the prefix tree at or above the model's minimum and
 * its edge: the tokens after its parent — and for the first node at or above the minimum on a path, all
 * tokens up to it, since a prefix below the minimum is read or written only as part of a longer one.
 * Under any placement, each request through K bills K's edge wholly as read, written (five minutes or an
 * hour) or plain. If the edge is read at time t, the entry read lies at or beyond K and was last written
 * or renewed at some t' by a request through K, no longer ago than its lifetime; in that request K's edge
 * was read, or written — and then at a price at least that of the entry's lifetime, because one-hour
 * breakpoints must come before five-minute ones. So a read of K at t needs an earlier request through K
 * in which K was written for five minutes and t' ≥ t − 5 min, or written for an hour or read and
 * t' ≥ t − 1 h. The cheapest sequence of billings obeying just that, per node, found exactly by dynamic
 * programming over the node's requests, costs no more than the placement does on that node; summed over
 * nodes, no more than the placement. Requests below the minimum are plain input in every placement.
 */
final class OracleBound {

    private static final long NONE = Long.MIN_VALUE;

    private OracleBound() {
    }

    /** The bound as a tally of tokens (output included), billed at {@code rules}' prices. */
    static Tally of(PrefixTree tree, List<TraceRequest> requests, CacheRules rules, Occurrences occurrences) {
        long read = 0;
        long write5m = 0;
        long write1h = 0;
        long plain = 0;
        long output = 0;
        for (TraceRequest r : requests) {
            output += r.outputTokens();
            if (r.inputTokens() < rules.minimumTokens()) {
                plain += r.inputTokens();
            }
        }
        for (int node = 1; node < tree.nodes(); node++) {
            int tokens = tree.tokens(node);
            int n = occurrences.count(node);
            if (tokens < rules.minimumTokens() || n == 0) {
                continue;
            }
            int before = tree.tokens(tree.parent(node));
            long edge = before < rules.minimumTokens() ? tokens : tokens - before;
            State best = cheapest(node, requests, rules, occurrences);
            read += edge * best.reads;
            write5m += edge * best.writes5m;
            write1h += edge * best.writes1h;
            plain += edge * best.plains;
        }
        return new Tally(read, write5m, write1h, plain, output);
    }

    /**
     * One way of billing a node's requests so far: until when a read is possible ({@link #NONE} for not at
     * all), what it cost per token of the edge, and how many of each billing it used.
     */
    private record State(long coveredUntil, long picos, int reads, int writes5m, int writes1h, int plains) {
    }

    private static State cheapest(int node, List<TraceRequest> requests, CacheRules rules, Occurrences occurrences) {
        long plain = rules.input().picos();
        long read = rules.read().picos();
        long w5 = rules.write5m().picos();
        long w60 = rules.write1h().picos();
        long five = CacheRules.lifetimeMs(Ttl.FIVE_MINUTES);
        long hour = CacheRules.lifetimeMs(Ttl.ONE_HOUR);
        List<State> states = List.of(new State(NONE, 0, 0, 0, 0, 0));
        for (int i = 0; i < occurrences.count(node); i++) {
            long t = requests.get(occurrences.request(node, i)).timestampMs();
            List<State> next = new ArrayList<>();
            for (State s : states) {
                long covered = s.coveredUntil >= t ? s.coveredUntil : NONE;
                next.add(new State(covered, s.picos + plain, s.reads, s.writes5m, s.writes1h, s.plains + 1));
                next.add(new State(Math.max(covered, t + five), s.picos + w5, s.reads, s.writes5m + 1, s.writes1h, s.plains));
                next.add(new State(Math.max(covered, t + hour), s.picos + w60, s.reads, s.writes5m, s.writes1h + 1, s.plains));
                if (covered != NONE) {
                    next.add(new State(t + hour, s.picos + read, s.reads + 1, s.writes5m, s.writes1h, s.plains));
                }
            }
            states = pareto(next);
        }
        return states.stream().min(Comparator.comparingLong(State::picos)).orElseThrow();
    }

    /** The states no other is at least as good as in both coverage and cost. */
    private static List<State> pareto(List<State> states) {
        List<State> byCoverage = new ArrayList<>(states);
        byCoverage.sort(Comparator.comparingLong(State::coveredUntil).reversed().thenComparingLong(State::picos));
        List<State> kept = new ArrayList<>();
        long cheapest = Long.MAX_VALUE;
        for (State s : byCoverage) {
            if (s.picos < cheapest) {
                kept.add(s);
                cheapest = s.picos;
            }
        }
        return kept;
    }
}
