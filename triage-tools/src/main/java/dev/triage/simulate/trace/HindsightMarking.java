package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Breakpoints placed knowing the future, within the rules: on each boundary of the prompt where a later
 * request leaves this prompt's path, so that it finds an entry there — a five-minute entry when that request
 * comes within five minutes, a one-hour one when it comes within the hour and another follows it within
 * the hour (one read would not pay for twice the input price) — keeping the four longest;
 * plus one on the longest live entry if no breakpoint would find it. A concrete placement, simulated like
 * any other: how close a strategy that knew the future could come to the {@link OracleBound}.
 */
final class HindsightMarking implements Marking {

    private final PrefixTree tree;
    private final List<TraceRequest> requests;
    private final CacheRules rules;
    private final Occurrences occurrences;
    private final PromptCacheSimulator cache;

    HindsightMarking(PrefixTree tree, List<TraceRequest> requests, CacheRules rules, Occurrences occurrences,
                     PromptCacheSimulator cache) {
        this.tree = tree;
        this.requests = requests;
        this.rules = rules;
        this.occurrences = occurrences;
        this.cache = cache;
    }

    /** Whether the request through {@code node} after {@code next} comes within an hour of {@code next}. */
    private boolean readAgainWithinAnHour(int node, int next) {
        int after = occurrences.next(node, next);
        return after >= 0 && requests.get(after).timestampMs() - requests.get(next).timestampMs() <= CacheRules.lifetimeMs(Ttl.ONE_HOUR);
    }

    @Override
    public List<Breakpoint> marks(int request) {
        TraceRequest r = requests.get(request);
        if (r.inputTokens() < rules.minimumTokens()) {
            return List.of();
        }
        long now = r.timestampMs();
        int[] path = tree.path(request);
        List<Breakpoint> wanted = new ArrayList<>();
        for (int j = 0; j < path.length; j++) {
            if (tree.tokens(path[j]) < rules.minimumTokens()) {
                continue;
            }
            int next = occurrences.next(path[j], request);
            if (next < 0) {
                continue;
            }
            long gap = requests.get(next).timestampMs() - now;
            boolean leavesHere = j == path.length - 1 || !occurrences.contains(path[j + 1], next);
            if (leavesHere && gap <= CacheRules.lifetimeMs(Ttl.FIVE_MINUTES)) {
                wanted.add(new Breakpoint(j, Ttl.FIVE_MINUTES));
            } else if (leavesHere && gap <= CacheRules.lifetimeMs(Ttl.ONE_HOUR) && readAgainWithinAnHour(path[j], next)) {
                // twice the input price pays only if the entry is read at least twice: 2 + 0.1 + 0.1 < 1 + 1.25 + 0.1
                wanted.add(new Breakpoint(j, Ttl.ONE_HOUR));
            }
        }
        wanted.sort(Comparator.comparingInt(Breakpoint::boundary).reversed());
        List<Breakpoint> marks = new ArrayList<>(wanted.subList(0, Math.min(rules.maxBreakpoints(), wanted.size())));
        int live = -1;
        for (int j = path.length - 1; j >= 0 && live < 0; j--) {
            if (cache.live(path[j], now)) {
                live = j;
            }
        }
        if (live >= 0) {
            int found = live;
            boolean reached = marks.stream().anyMatch(b -> b.boundary() >= found && b.boundary() <= found + rules.lookback());
            if (!reached) {
                if (marks.size() == rules.maxBreakpoints()) {
                    marks.removeLast(); // the shortest
                }
                marks.add(new Breakpoint(live, cache.lifetime(path[live])));
            }
        }
        marks.sort(Comparator.comparingInt(Breakpoint::boundary));
        // one-hour entries must come first: a one-hour mark after a five-minute one becomes five minutes
        List<Breakpoint> ordered = new ArrayList<>();
        boolean fiveMinutes = false;
        for (Breakpoint b : marks) {
            fiveMinutes |= b.ttl() == Ttl.FIVE_MINUTES;
            ordered.add(fiveMinutes ? new Breakpoint(b.boundary(), Ttl.FIVE_MINUTES) : b);
        }
        return ordered;
    }
}
