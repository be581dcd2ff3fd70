package dev.triage.http;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.keys.KeyAccount;
import dev.triage.keys.KeyBudgets;
import dev.triage.keys.KeySecrets;
import dev.triage.keys.KeyStore;
import dev.triage.keys.RateLimiter;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.LedgerEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys at the door: who a bearer key is (looked up in the key store, remembered for a few
 * seconds so a request costs no database round trip, and so a revocation reaches every instance within
 * that time), what it may ask for, and its per-minute limits. Its budget is held by the route executor.
 */
public final class KeyGate {

    /** How long a lookup (found or not) and "are there any keys" are remembered. */
    static final Duration REMEMBER = Duration.ofSeconds(5);
    /** Lookups remembered at most; a client sending random keys cannot grow memory past this. */
    static final int MAX_REMEMBERED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(KeyGate.class);

    private final KeyStore store;
    private final KeyBudgets budgets;
    private final RateLimiter limiter;
    private final Clock clock;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Remembered<VirtualKey>> lookups = new ConcurrentHashMap<>();
    /** Keys seen, by name, for the token counts of their attempts (tpm). */
    private final Map<String, VirtualKey> byName = new ConcurrentHashMap<>();
    private volatile Remembered<Boolean> anyActive;

    public KeyGate(KeyStore store, KeyBudgets budgets, RateLimiter limiter, Clock clock, LongSupplier nanos) {
        this.store = Objects.requireNonNull(store, "store");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        required();
    }

    /**
     * Whether every request must bring a key: some virtual key is active. While the key store (the ledger
     * database) cannot be read, the last answer holds (first asked at start, when the database answered).
     */
    boolean required() {
        Remembered<Boolean> r = anyActive;
        long now = nanos.getAsLong();
        if (r == null || now - r.at > REMEMBER.toNanos()) {
            try {
                r = new Remembered<>(store.anyActive(clock.instant()) ? Optional.of(true) : Optional.empty(), now);
            } catch (RuntimeException e) {
                // never asked successfully: ask for keys rather than open the door
                r = new Remembered<>(r == null ? Optional.of(true) : r.value, now);
                LOG.warn("virtual keys: the key store cannot be read ({}); going by what it said last", e.toString());
            }
            anyActive = r;
        }
        return r.value.isPresent();
    }

    /**
     * The active virtual key {@code presented} is, if it is one. While the key store cannot be read, a key
     * looked up before keeps its last answer; one never seen is refused with 503 {@code ledger_unavailable}.
     */
    Optional<VirtualKey> authenticate(String presented) {
        if (KeySecrets.idOf(presented).isEmpty()) {
            return Optional.empty();
        }
        long now = nanos.getAsLong();
        Remembered<VirtualKey> r = lookups.get(presented);
        if (r == null || now - r.at > REMEMBER.toNanos()) {
            Optional<VirtualKey> found;
            try {
                found = store.authenticate(presented, clock.instant());
            } catch (RuntimeException e) {
                if (r == null) {
                    throw new ApiError(503, ApiError.typeFor(503), "ledger_unavailable", null,
                            "The key store is unavailable, so this key cannot be checked; retry later", Duration.ofSeconds(5));
                }
                found = r.value;
            }
            if (lookups.size() >= MAX_REMEMBERED) {
                lookups.clear();
            }
            r = new Remembered<>(found, now);
            lookups.put(presented, r);
            found.ifPresent(k -> byName.put(k.name(), k));
        }
        // a remembered key that expired meanwhile stops at once
        return r.value.filter(k -> k.active(clock.instant()));
    }

    /**
     * What a request naming {@code model} (a route when {@code isRoute}) may do with {@code key}: 403
     * {@code model_not_allowed} outside its lists, 429 {@code rate_limit_exceeded} over its rpm or tpm
     * (with {@code Retry-After}), 503 {@code budget_store_unavailable} when its limits cannot be asked.
     */
    KeyAccount admit(VirtualKey key, String model, boolean isRoute) {
        if (!key.allows(model, isRoute)) {
            throw new ApiError(403, ApiError.typeFor(403), "model_not_allowed", "model", "The API key '" + key.name()
                    + "' may not use " + (isRoute ? "route" : "model") + " '" + model + "'" + allowed(key), null);
        }
        try {
            if (key.rpm() != null) {
                limiter.tryTake(rpmKey(key), 1, key.rpm()).ifPresent(wait -> {
                    throw limited(key, key.rpm() + " requests", wait);
                });
            }
            if (key.tpm() != null) {
                limiter.check(tpmKey(key), key.tpm()).ifPresent(wait -> {
                    throw limited(key, key.tpm() + " tokens", wait);
                });
            }
        } catch (BudgetStoreUnavailableException e) {
            throw new ApiError(503, ApiError.typeFor(503), "budget_store_unavailable", null, "The API key '" + key.name()
                    + "' has rate limits and the store that holds them cannot be reached; try again shortly",
                    Duration.ofSeconds(5));
        }
        return new KeyAccount(key, budgets);
    }

    /** Counts an attempt's tokens against its key's tpm (every attempt: fallbacks, scorer calls). */
    public void used(LedgerEntry attempt) {
        if (attempt.apiKey() == null) {
            return;
        }
        VirtualKey key = byName.get(attempt.apiKey());
        long tokens = attempt.usage().inputTokens() + attempt.usage().outputTokens();
        if (key != null && key.tpm() != null && tokens > 0) {
            try {
                limiter.add(tpmKey(key), tokens);
            } catch (BudgetStoreUnavailableException e) {
                // the tokens are in the ledger; the per-minute count misses them while the store is away
            }
        }
    }

    private static ApiError limited(VirtualKey key, String limit, Duration wait) {
        return new ApiError(429, ApiError.typeFor(429), "rate_limit_exceeded", null, "The API key '" + key.name()
                + "' is over its limit of " + limit + " per minute; retry after " + wait.toSeconds() + " s", wait);
    }

    private static String allowed(VirtualKey key) {
        StringBuilder b = new StringBuilder(" (allowed:");
        if (!key.routes().isEmpty()) {
            b.append(" routes ").append(String.join(", ", new java.util.TreeSet<>(key.routes())));
        }
        if (!key.models().isEmpty()) {
            b.append(key.routes().isEmpty() ? "" : ";").append(" models ").append(String.join(", ", new java.util.TreeSet<>(key.models())));
        }
        return b.append(')').toString();
    }

    private static String rpmKey(VirtualKey key) {
        return "key:" + key.name() + ":rpm";
    }

    private static String tpmKey(VirtualKey key) {
        return "key:" + key.name() + ":tpm";
    }

    private record Remembered<T>(Optional<T> value, long at) {
    }
}
