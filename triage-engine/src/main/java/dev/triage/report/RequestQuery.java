package dev.triage.report;

import dev.triage.ledger.AttemptStatus;
import java.util.Objects;
import java.util.Set;

/**
 * Which requests of the log to show: those started in {@code period}, newest first, optionally only one model's, one
 * route's, some virtual keys' (one key's, or a team's) or those that ended one way; after {@code after} (the previous
 * page's last line).
 *
 * @param model    requests with an attempt on this model (null: any)
 * @param route    requests on this route or model asked for by name (null: any)
 * @param keys     requests made with one of these virtual keys (null: any key or none)
 * @param status   requests whose last attempt that is not a scorer's call ended so (null: any)
 * @param after    where the previous page ended, or null for the first page
 * @param limit    lines per page, 1..{@value #MAX_LIMIT}
 * @param withText whether to read the prompt and answer text stored for each request ({@code storage.capture_text})
 */
public record RequestQuery(ReportPeriod period, String model, String route, Set<String> keys, AttemptStatus status,
                           RequestCursor after, int limit, boolean withText) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public RequestQuery {
        Objects.requireNonNull(period, "period");
        keys = keys == null ? null : Set.copyOf(keys);
        if (keys != null && keys.isEmpty()) {
            throw new IllegalArgumentException("a key filter names at least one key");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }
}
