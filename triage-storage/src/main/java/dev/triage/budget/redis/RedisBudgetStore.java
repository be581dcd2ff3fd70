package dev.triage.budget.redis;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.chat.Money;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets shared by every gateway instance that points at the same Redis, kept across restarts.
 *
 * <p>Each reserve and settle is one Lua script, so a check and its increment are one atomic step
 * however many instances ask at once: spend passes a limit only by what a call costs beyond its
 * reserved worst case. Each budget key and day has its own keys (committed total, open reservations,
 * their leases, lapsed reservations, an id counter), all in one hash slot and all expiring
 * {@value #DAYS_KEPT} days after the day starts. A reservation whose lease runs out before it is settled
 * (its gateway died mid-request) is released by the next reserve on that key — never leaked — and a
 * settle that still comes adds the real cost, so spend is never lost. Amounts travel as exact decimal
 * picodollars.
 *
 * <p>When Redis cannot be reached, reserving and reading throw {@link BudgetStoreUnavailableException}
 * (the gateway refuses budgeted traffic); settles are kept in memory and retried until Redis answers.
 */
public final class RedisBudgetStore implements BudgetStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBudgetStore.class);
    /** A key's day, and two more: reservations open across midnight, and zones up to 14 hours from UTC. */
    static final int DAYS_KEPT = 3;
    /** Settles kept while Redis is unreachable; beyond this they are dropped (and counted): the ledger still has every cost. */
    static final int MAX_PENDING_SETTLES = 100_000;
    private static final Duration RETRY_EVERY = Duration.ofMillis(500);

    private final RedisClient client;
    private final String prefix;
    private final Duration lease;
    private final Script reserve = Script.load("reserve.lua");
    private final Script settle = Script.load("settle.lua");
    private final ConcurrentLinkedQueue<PendingSettle> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong droppedSettles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService retrier;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean up;

    /**
     * @param uri     {@code redis://[:password@]host:port/db} (or {@code rediss://}); its password is never logged
     * @param prefix  what every key starts with, e.g. {@code triage:budget:}
     * @param lease   how long an unsettled reservation holds its amount: longer than any request can take
     * @param timeout how long one command may wait for Redis before the store counts as unreachable
     */
    public RedisBudgetStore(String uri, String prefix, Duration lease, Duration timeout) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.lease = Objects.requireNonNull(lease, "lease");
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail at once while disconnected instead of queueing commands until they time out
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.retrier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triage-budget-settle-retry");
            t.setDaemon(true);
            return t;
        });
        retrier.scheduleWithFixedDelay(this::retryPending, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        try {
            commands();
        } catch (BudgetStoreUnavailableException e) {
            LOG.warn("budget store: Redis is not reachable yet ({}); budgeted requests are refused until it is", e.getMessage());
        }
    }

    @Override
    public Optional<Reservation> tryReserve(String key, LocalDate day, Money amount, Money limit) {
        Objects.requireNonNull(limit, "limit");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("negative reservation " + amount);
        }
        List<Object> reply = run(reserve, keys(key, day, true), Long.toString(amount.picos()), Long.toString(limit.picos()),
                Long.toString(lease.toMillis()), Long.toString(expireAt(day)));
        if (((Long) reply.get(0)) == 0) {
            return Optional.empty();
        }
        return Optional.of(new Reservation(key, day, amount, (Long) reply.get(1)));
    }

    @Override
    public void settle(Reservation reservation, Money actual) {
        if (actual.isNegative()) {
            throw new IllegalArgumentException("negative cost " + actual);
        }
        try {
            settleNow(new PendingSettle(reservation, actual));
        } catch (BudgetStoreUnavailableException e) {
            keep(new PendingSettle(reservation, actual));
        }
    }

    @Override
    public Money committed(String key, LocalDate day) {
        String value;
        try {
            value = commands().get(keys(key, day, false)[0]);
            up = true;
        } catch (RedisException e) {
            throw unavailable(e);
        }
        return value == null || value.startsWith("-") ? Money.ZERO : new Money(Long.parseLong(value));
    }

    @Override
    public boolean available() {
        if (!up) {
            try {
                up = "PONG".equals(commands().ping());
            } catch (RedisException | BudgetStoreUnavailableException e) {
                return false;
            }
        }
        return up;
    }

    /** Settles waiting for Redis to come back. */
    public int pendingSettles() {
        return pendingCount.get();
    }

    /** Settles dropped because too many were waiting (their costs are in the ledger, not in the budget). */
    public long droppedSettles() {
        return droppedSettles.get();
    }

    /** Commands that failed because Redis could not be reached, since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        retrier.shutdownNow();
        retryPending();
        if (pendingCount.get() > 0) {
            LOG.warn("budget store: {} settles could not reach Redis before shutdown; their costs are in the ledger only", pendingCount.get());
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private void settleNow(PendingSettle s) {
        Reservation r = s.reservation;
        String[] k = keys(r.key(), r.day(), true);
        run(settle, new String[] {k[0], k[1], k[2], k[3]}, Long.toString(r.id()), Long.toString(s.actual.picos()),
                Long.toString(expireAt(r.day())));
    }

    private void keep(PendingSettle s) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_SETTLES) {
            pendingCount.decrementAndGet();
            droppedSettles.incrementAndGet();
            return;
        }
        pending.add(s);
    }

    private void retryPending() {
        PendingSettle s;
        while ((s = pending.peek()) != null) {
            try {
                settleNow(s);
            } catch (BudgetStoreUnavailableException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("budget store: dropping a settle Redis refused ({}); its cost is in the ledger", e.toString());
            }
            pending.poll();
            pendingCount.decrementAndGet();
        }
    }

    private List<Object> run(Script script, String[] keys, String... args) {
        RedisCommands<String, String> redis = commands();
        try {
            List<Object> reply;
            try {
                reply = redis.evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                // a restarted or flushed Redis: load it again by sending its text once
                reply = redis.eval(script.text, ScriptOutputType.MULTI, keys, args);
            }
            up = true;
            return reply;
        } catch (RedisNoScriptException e) {
            throw new IllegalStateException("Redis refused a budget script", e);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            synchronized (connecting) {
                c = connection;
                if (c == null) {
                    try {
                        c = client.connect();
                    } catch (RedisException e) {
                        throw unavailable(e);
                    }
                    connection = c;
                    up = true;
                }
            }
        }
        return c.sync();
    }

    private BudgetStoreUnavailableException unavailable(RedisException e) {
        up = false;
        failures.incrementAndGet();
        // Lettuce's messages name the host and port, never the password
        return new BudgetStoreUnavailableException("Redis: " + e.getMessage(), e);
    }

    /** committed, open, leases, lapsed, ids: one hash slot per key and day (the braces). */
    private String[] keys(String key, LocalDate day, boolean all) {
        String base = prefix + "{" + key + ":" + day + "}:";
        return all ? new String[] {base + "committed", base + "open", base + "leases", base + "lapsed", base + "ids"}
                : new String[] {base + "committed"};
    }

    private static long expireAt(LocalDate day) {
        return day.plusDays(DAYS_KEPT).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private record PendingSettle(Reservation reservation, Money actual) {
    }

    /** A Lua script shipped beside this class, with its SHA-1 for EVALSHA. */
    private record Script(String text, String sha) {
        static Script load(String name) {
            try (InputStream in = RedisBudgetStore.class.getResourceAsStream(name)) {
                String text = new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
                return new Script(text, sha1(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String sha1(String text) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(d);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
