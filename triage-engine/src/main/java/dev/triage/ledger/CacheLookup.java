package dev.triage.ledger;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * What the response cache did for one request that looked it up: a hit (answered without calling a
 * model: it cost nothing and saved what the original answer cost) or a miss (answered upstream; its
 * attempts are {@link LedgerEntry}s as always). Requests that bypass the cache have none.
 *
 * @param requestId       the request's {@code x-triage-request-id}
 * @param route           the route or model the client asked for
 * @param model           the model whose answer the client got (on a hit, the cached answer's)
 * @param outcome         {@code hit-exact}, {@code hit-semantic} or {@code miss}
 * @param saved           on a hit, what the request that produced the answer cost (every attempt); zero on a miss
 * @param sourceRequestId on a hit, the request whose answer was served; null on a miss
 * @param stream          whether the client streamed
 * @param user            the OpenAI {@code user} field, or null
 * @param apiKey          the virtual key's name, or null
 * @param time            when the lookup was made
 */
public record CacheLookup(String requestId, String route, String model, String outcome, Money saved, String sourceRequestId,
                          boolean stream, String user, String apiKey, Instant time) implements LedgerRecord {

    public CacheLookup {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(saved, "saved");
        Objects.requireNonNull(time, "time");
    }

    public boolean hit() {
        return !"miss".equals(outcome);
    }
}
