package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;
import java.util.List;

/**
 * Replays a trace under a model's prompt-cache rules ({@link CacheRules}, {@link PromptCacheSimulator})
 * with each {@link TraceStrategy} and prices the result. Each run starts with an empty cache.
 */
public final class TraceSimulation {

    private final Trace trace;
    private final CacheRules rules;
    private final Ttl ttl;
    private final PrefixTree tree;
    private final Occurrences occurrences;

    /**
     * @param ttl the lifetime the {@code naive} and {@code triage} strategies write (the gateway's
     *            {@code prompt_cache.ttl})
     */
    public TraceSimulation(Trace trace, CacheRules rules, Ttl ttl) {
        this.trace = trace;
        this.rules = rules;
        this.ttl = ttl;
        this.tree = PrefixTree.of(trace.requests());
        this.occurrences = new Occurrences(tree, trace.requests(), rules.minimumTokens());
    }

    public Trace trace() {
        return trace;
    }

    public CacheRules rules() {
        return rules;
    }

    public StrategyCost run(TraceStrategy strategy) {
        Tally tally = switch (strategy) {
            case NO_CACHE -> replay(new Marking.None(), new PromptCacheSimulator(tree, trace.requests(), rules));
            case NAIVE -> replay(new Marking.PromptEnd(tree, ttl), new PromptCacheSimulator(tree, trace.requests(), rules));
            case TRIAGE -> replay(new GatewayMarking(tree, rules, ttl), new PromptCacheSimulator(tree, trace.requests(), rules));
            case HINDSIGHT -> {
                PromptCacheSimulator cache = new PromptCacheSimulator(tree, trace.requests(), rules);
                yield replay(new HindsightMarking(tree, trace.requests(), rules, occurrences, cache), cache);
            }
            case ORACLE -> OracleBound.of(tree, trace.requests(), rules, occurrences);
        };
        return new StrategyCost(strategy, tally.cost(rules), tally.inputCost(rules), tally.read(), tally.written());
    }

    public List<StrategyCost> run(List<TraceStrategy> strategies) {
        return strategies.stream().map(this::run).toList();
    }

    /** Runs a marking through a fresh cache (package-private for tests that place breakpoints by hand). */
    Tally replay(Marking marking, PromptCacheSimulator cache) {
        Tally total = Tally.ZERO;
        for (int i = 0; i < trace.requests().size(); i++) {
            total = total.plus(cache.serve(i, marking.marks(i)));
        }
        return total;
    }

    PrefixTree tree() {
        return tree;
    }
}
