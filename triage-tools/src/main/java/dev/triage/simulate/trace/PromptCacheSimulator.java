package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;
import java.util.Arrays;
import java.util.List;

/**
 * Anthropic's prompt cache, replayed on a trace's prefix tree ({@link CacheRules} has the rules). For one
 * request with breakpoints at some of its boundaries:
 * <ol>
 *   <li>a breakpoint on a prefix below the model's minimum does nothing;</li>
 *   <li>each other breakpoint looks for a live entry at its own boundary and the {@code lookback}
 *       boundaries before it, and takes the longest it finds; that entry's lifetime starts again;</li>
 *   <li>the longest entry any breakpoint found is read; the tokens after it up to the last breakpoint are
 *       written, each stretch at the price of the lifetime of the breakpoint that ends it, and every
 *       breakpoint past the read prefix leaves an entry of its own; the tokens after the last breakpoint
 *       are plain input.</li>
 * </ol>
 * An entry written or read at time t lives through t plus its lifetime. A request may carry at most
 * {@code maxBreakpoints}, and, as Anthropic requires, its one-hour breakpoints come before its
 * five-minute ones; anything else is refused as a bug in the strategy.
 */
final class PromptCacheSimulator {

    private static final long NONE = Long.MIN_VALUE;

    private final PrefixTree tree;
    private final List<TraceRequest> requests;
    private final CacheRules rules;
    private final long[] expires;
    private final Ttl[] lifetime;

    PromptCacheSimulator(PrefixTree tree, List<TraceRequest> requests, CacheRules rules) {
        this.tree = tree;
        this.requests = requests;
        this.rules = rules;
        this.expires = new long[tree.nodes()];
        this.lifetime = new Ttl[tree.nodes()];
        Arrays.fill(expires, NONE);
    }

    /** Whether {@code node} holds an entry at {@code now}. */
    boolean live(int node, long now) {
        return expires[node] != NONE && now <= expires[node];
    }

    /** The lifetime of the entry at {@code node}, or null without one. */
    Ttl lifetime(int node) {
        return lifetime[node];
    }

    /** Serves request {@code index} with {@code marks} (in boundary order) and returns how its tokens are billed. */
    Tally serve(int index, List<Breakpoint> marks) {
        TraceRequest r = requests.get(index);
        int[] path = tree.path(index);
        check(marks, path);
        long now = r.timestampMs();
        int read = 0;
        int[] hits = new int[marks.size()];
        int hitCount = 0;
        for (Breakpoint b : marks) {
            if (tree.tokens(path[b.boundary()]) < rules.minimumTokens()) {
                continue;
            }
            for (int j = b.boundary(); j >= 0 && j >= b.boundary() - rules.lookback(); j--) {
                if (live(path[j], now)) {
                    hits[hitCount++] = path[j];
                    read = Math.max(read, tree.tokens(path[j]));
                    break;
                }
            }
        }
        for (int h = 0; h < hitCount; h++) {
            expires[hits[h]] = now + CacheRules.lifetimeMs(lifetime[hits[h]]);
        }
        long write5m = 0;
        long write1h = 0;
        int covered = read;
        for (Breakpoint b : marks) {
            int node = path[b.boundary()];
            int at = tree.tokens(node);
            if (at < rules.minimumTokens() || at <= covered) {
                continue;
            }
            switch (b.ttl()) {
                case FIVE_MINUTES -> write5m += at - covered;
                case ONE_HOUR -> write1h += at - covered;
            }
            covered = at;
            expires[node] = now + CacheRules.lifetimeMs(b.ttl());
            lifetime[node] = b.ttl();
        }
        return new Tally(read, write5m, write1h, r.inputTokens() - covered, r.outputTokens());
    }

    private void check(List<Breakpoint> marks, int[] path) {
        if (marks.size() > rules.maxBreakpoints()) {
            throw new IllegalArgumentException(marks.size() + " breakpoints; at most " + rules.maxBreakpoints() + " are allowed");
        }
        boolean fiveMinutes = false;
        int previous = -1;
        for (Breakpoint b : marks) {
            if (b.boundary() <= previous || b.boundary() >= path.length) {
                throw new IllegalArgumentException("breakpoints must be distinct boundaries of the prompt, in order: " + marks);
            }
            previous = b.boundary();
            if (b.ttl() == Ttl.FIVE_MINUTES) {
                fiveMinutes = true;
            } else if (fiveMinutes) {
                throw new IllegalArgumentException("a one-hour breakpoint may not follow a five-minute one: " + marks);
            }
        }
    }
}
