package dev.triage.simulate.trace;

import dev.triage.caching.CachePlanner;
import dev.triage.caching.CachePlanner.Cut;
import dev.triage.caching.CachePlanner.Kind;
import dev.triage.chat.PromptCache.Ttl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway's marking ({@code PromptCaching} in the engine), decided by the same {@link CachePlanner}
 * from the cuts the gateway would see. A trace has no text, so the cuts are read off what earlier
 * requests sent:
 * <ul>
 *   <li>{@link Kind#PREVIOUS_PROMPT}: the longest earlier prompt that is a prefix of this one (the
 *       conversation's previous turn);</li>
 *   <li>{@link Kind#PROMPT_END}: the end of this prompt, written only when the conversation is under way
 *       (some earlier prompt is a prefix of this one, or it is a prompt sent before) — as the gateway
 *       writes it only once a conversation has an answer in it;</li>
 *   <li>{@link Kind#SYSTEM}: the longest prefix this prompt shares with an earlier request of another
 *       conversation (instructions many conversations start with).</li>
 * </ul>
 * A conversation is a first prompt and every later one that extends it.
 */
final class GatewayMarking implements Marking {

    private final PrefixTree tree;
    private final CacheRules rules;
    private final Ttl ttl;
    /** Per node: the conversation of the earlier prompt that ended there, or -1. */
    private final int[] endedConversation;
    /** Per node: the first conversation whose prompt passed through it, or -1. */
    private final int[] firstConversation;
    /** Per node: whether prompts of two conversations passed through it. */
    private final boolean[] shared;
    private int conversations;

    GatewayMarking(PrefixTree tree, CacheRules rules, Ttl ttl) {
        this.tree = tree;
        this.rules = rules;
        this.ttl = ttl;
        this.endedConversation = new int[tree.nodes()];
        this.firstConversation = new int[tree.nodes()];
        this.shared = new boolean[tree.nodes()];
        Arrays.fill(endedConversation, -1);
        Arrays.fill(firstConversation, -1);
    }

    @Override
    public List<Breakpoint> marks(int request) {
        int[] path = tree.path(request);
        int end = path.length - 1;
        int previous = -1;
        for (int j = end - 1; j >= 0 && previous < 0; j--) {
            if (endedConversation[path[j]] >= 0) {
                previous = j;
            }
        }
        boolean resent = endedConversation[path[end]] >= 0;
        boolean ongoing = resent || previous >= 0;
        int conversation = resent ? endedConversation[path[end]]
                : previous >= 0 ? endedConversation[path[previous]] : conversations++;
        int system = -1;
        for (int j = end; j >= 0 && system < 0; j--) {
            int node = path[j];
            if (shared[node] || (firstConversation[node] >= 0 && firstConversation[node] != conversation)) {
                system = j;
            }
        }
        List<Cut> cuts = new ArrayList<>();
        cuts.add(new Cut(Kind.PROMPT_END, tree.tokens(path[end]), end));
        if (previous >= 0) {
            cuts.add(new Cut(Kind.PREVIOUS_PROMPT, tree.tokens(path[previous]), previous));
        }
        if (system >= 0) {
            cuts.add(new Cut(Kind.SYSTEM, tree.tokens(path[system]), system));
        }
        List<Cut> chosen = CachePlanner.plan(cuts, rules.minimumTokens(), rules.maxBreakpoints(), ongoing);

        if (!resent) {
            endedConversation[path[end]] = conversation;
        }
        for (int node : path) {
            if (firstConversation[node] < 0) {
                firstConversation[node] = conversation;
            } else if (firstConversation[node] != conversation) {
                shared[node] = true;
            }
        }
        return chosen.stream().map(c -> new Breakpoint(c.position(), ttl)).toList();
    }
}
