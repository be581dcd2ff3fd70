package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;
import java.util.List;

/** A way of placing breakpoints, asked request by request in time order (so it may learn from the past). */
sealed interface Marking permits Marking.None, Marking.PromptEnd, GatewayMarking, HindsightMarking {

    /** The breakpoints for request {@code request}, in boundary order. */
    List<Breakpoint> marks(int request);

    /** No breakpoints: every token at the input price. */
    record None() implements Marking {
        @Override
        public List<Breakpoint> marks(int request) {
            return List.of();
        }
    }

    /** A breakpoint at the end of every prompt. */
    record PromptEnd(PrefixTree tree, Ttl ttl) implements Marking {
        @Override
        public List<Breakpoint> marks(int request) {
            return List.of(new Breakpoint(tree.path(request).length - 1, ttl));
        }
    }
}
