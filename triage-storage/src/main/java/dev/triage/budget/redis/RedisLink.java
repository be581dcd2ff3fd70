package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection shared by the budget store and the rate limiter: thread-safe (commands from every
 * request thread pipeline on it), connected lazily and again by itself after an outage, failing at once
 * while disconnected. Every failure to reach Redis becomes a {@link BudgetStoreUnavailableException}.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final RedisClient client;
    private final Object connecting = new Object();
    private final AtomicLong failures = new AtomicLong();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean up;

    /**
     * @param uri     {@code redis://[:password@]host:port/db} (or {@code rediss://}); its password is never logged
     * @param timeout how long one command may wait before Redis counts as unreachable
     */
    public RedisLink(String uri, Duration timeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail at once while disconnected instead of queueing commands until they time out
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            commands();
        } catch (BudgetStoreUnavailableException e) {
            LOG.warn("Redis is not reachable yet ({}); budgeted and rate-limited requests are refused until it is", e.getMessage());
        }
    }

    /** Runs a script (by its SHA-1; sent whole once if Redis does not know it yet). */
    List<Object> run(Script script, String[] keys, String... args) {
        return call(redis -> {
            try {
                return redis.evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                // a restarted or flushed Redis: load it again by sending its text once
                return redis.eval(script.text, ScriptOutputType.MULTI, keys, args);
            }
        });
    }

    /** Runs commands; any failure to reach Redis becomes a {@link BudgetStoreUnavailableException}. */
    <T> T call(Function<RedisCommands<String, String>, T> commands) {
        RedisCommands<String, String> redis = commands();
        try {
            T result = commands.apply(redis);
            up = true;
            return result;
        } catch (RedisNoScriptException e) {
            throw new IllegalStateException("Redis refused a Triage script", e);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** Whether Redis answers now (pinging it when it did not last time). */
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

    /** Commands that failed because Redis could not be reached, since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
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

    /** A Lua script shipped beside these classes, with its SHA-1 for EVALSHA. */
    record Script(String text, String sha) {
        static Script load(String name) {
            try (InputStream in = RedisLink.class.getResourceAsStream(name)) {
                String text = new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
                return new Script(text, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
