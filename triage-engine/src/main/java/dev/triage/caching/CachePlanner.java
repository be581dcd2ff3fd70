package dev.triage.caching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses where to mark a prompt for a provider's prefix cache (Anthropic's {@code cache_control}
 * breakpoints): a pure function of where the prompt may be cut and how long each prefix is, shared by
 * the gateway and the trace simulator.
 *
 * <p>A cache entry holds a prompt's prefix up to a breakpoint. A later request that starts with the same
 * bytes reads it at a tenth of the input price; writing it costs a quarter more than the input price
 * (5-minute lifetime) or twice it (1 hour). Anthropic looks for an earlier entry at every block boundary
 * up to {@value #LOOKBACK_BLOCKS} blocks before each breakpoint, takes at most four breakpoints, and
 * caches nothing shorter than the model's minimum. So, in order of what they are worth:
 * <ol>
 *   <li><b>the end of the prompt</b>: writes the whole conversation so far, which its next turn starts
 *       with (and reads the longest earlier entry within the look-back);</li>
 *   <li><b>the end of the previous prompt</b> (before the last answer): the entry the previous turn wrote,
 *       read for certain even when more than {@value #LOOKBACK_BLOCKS} blocks (tool results) came since;</li>
 *   <li><b>the end of the system prompt</b> and <b>the end of the tools</b>: shared by every conversation
 *       with the same instructions, so a new conversation starts warm.</li>
 * </ol>
 * A prefix below the minimum is never marked (it would be billed as plain input anyway), and two cuts
 * of the same length are one.
 */
public final class CachePlanner {

    /** Block boundaries before a breakpoint at which Anthropic looks for an earlier entry. */
    public static final int LOOKBACK_BLOCKS = 20;

    private CachePlanner() {
    }

    /** What a cut is, in the order of preference above. */
    public enum Kind {
        PROMPT_END, PREVIOUS_PROMPT, SYSTEM, TOOLS
    }

    /**
     * A place the prompt may be cut.
     *
     * @param prefixTokens the tokens before the cut (an estimate is fine: it is compared with the minimum)
     * @param position     the caller's own reference to the place (e.g. a block index), returned as given
     */
    public record Cut(Kind kind, long prefixTokens, int position) {
    }

    /**
     * The cuts to mark, at most {@code slots}, ordered by position.
     *
     * @param cuts      the places the prompt may be cut, any order
     * @param minTokens the model's smallest cacheable prefix
     * @param slots     breakpoints free (four, less those the client marked)
     * @param writeEnd  whether to mark the end of the prompt (a conversation expected to go on)
     */
    public static List<Cut> plan(List<Cut> cuts, long minTokens, int slots, boolean writeEnd) {
        List<Cut> byWorth = new ArrayList<>(cuts.stream()
                .filter(c -> c.prefixTokens() >= minTokens && (writeEnd || c.kind() != Kind.PROMPT_END))
                .sorted(Comparator.comparing(Cut::kind).thenComparing(Comparator.comparingLong(Cut::prefixTokens).reversed()))
                .toList());
        List<Cut> chosen = new ArrayList<>();
        for (Cut c : byWorth) {
            if (chosen.size() >= slots) {
                break;
            }
            if (chosen.stream().noneMatch(x -> x.prefixTokens() == c.prefixTokens() || x.position() == c.position())) {
                chosen.add(c);
            }
        }
        chosen.sort(Comparator.comparingInt(Cut::position));
        return List.copyOf(chosen);
    }
}
