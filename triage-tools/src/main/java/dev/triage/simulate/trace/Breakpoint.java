package dev.triage.simulate.trace;

import dev.triage.chat.PromptCache.Ttl;

/**
 * A {@code cache_control} mark on a request of a trace.
 *
 * @param boundary where: an index into the request's path of boundaries ({@link PrefixTree#path})
 * @param ttl      the lifetime of the entry it writes
 */
record Breakpoint(int boundary, Ttl ttl) {
}
