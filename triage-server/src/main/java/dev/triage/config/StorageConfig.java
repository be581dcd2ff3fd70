package dev.triage.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where Triage keeps its state ({@code storage:}).
 *
 * @param ledger         {@code sqlite:PATH} (embedded, the default) or a {@code jdbc:postgresql://} URL
 * @param ledgerUser     database user, or null
 * @param ledgerPassword database password, or null
 * @param spoolDir       directory of the ledger's durable spool, or null for the default
 *                       ({@link #spoolDirectory()})
 * @param spoolMaxBytes  most bytes the spool may hold while the database is away; 0 turns the spool off
 * @param spoolLinger    how long the ledger waits for more entries before each fsync of the spool
 *                       ({@code spool_linger_ms}, 2 by default; 0 fsyncs as soon as an entry is queued)
 * @param captureText    whether the ledger also keeps each answered request's prompt and answer text, for
 *                       {@code triage train --from-ledger}; off by default (see the README on privacy)
 * @param redis          {@code redis://[:PASSWORD@]HOST:PORT/DB} (or {@code rediss://}) where every instance keeps
 *                       budgets, or null for this process's memory (rebuilt from the ledger at start)
 * @param redisTimeout   how long one Redis command may take before the budget store counts as unreachable
 * @param redisOutage    what budgets and rate limits do while Redis cannot be reached
 * @param responsesRetention how long {@code /v1/responses} answers stored with {@code store: true} are kept
 *                       ({@code responses_retention_days}, 30 by default as at OpenAI)
 */
public record StorageConfig(String ledger, String ledgerUser, String ledgerPassword, String spoolDir,
                            long spoolMaxBytes, Duration spoolLinger, boolean captureText, String redis, Duration redisTimeout,
                            RedisOutage redisOutage, Duration responsesRetention) {

    /** {@code storage.redis_outage}: what budgeted and rate-limited requests get while Redis cannot be reached. */
    public enum RedisOutage {
        /** Refused with 503 {@code budget_store_unavailable} (the default). */
        FAIL_CLOSED("fail_closed"),
        /** Served from local allowances: each instance at most 1/N of what each budget had left when it last read it. */
        ALLOW_LOCAL("allow_local");

        private final String wireName;

        RedisOutage(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** 30 days, as OpenAI keeps stored responses. */
    public static final Duration DEFAULT_RESPONSES_RETENTION = Duration.ofDays(30);
    /** Ten years: anything longer is a typo, and would overflow nobody's disk but everybody's expectations. */
    public static final long MAX_RESPONSES_RETENTION_DAYS = 3650;
    public static final String DEFAULT_LEDGER = "sqlite:./triage-data/ledger.db";
    public static final String DEFAULT_SPOOL_DIR = "./triage-data/spool";
    /** 256 MiB: roughly half a million entries, hours of a database outage for most teams. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
    /** 2 ms: at 1,000 requests a second, one fsync of the spool for about three entries instead of one each. */
    public static final Duration DEFAULT_SPOOL_LINGER = Duration.ofMillis(2);
    /** A longer wait holds entries in memory only for longer, for little more saving. */
    public static final long MAX_SPOOL_LINGER_MS = 100;
    /** 1 s: a local Redis answers in well under a millisecond; a second without an answer is an outage. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** The smallest spool worth having; anything less is a typo of a unit. */
    public static final long MIN_SPOOL_MAX_BYTES = 1024L * 1024;

    /** A ledger with the default spool, capturing no text. */
    public StorageConfig(String ledger, String ledgerUser, String ledgerPassword) {
        this(ledger, ledgerUser, ledgerPassword, null, DEFAULT_SPOOL_MAX_BYTES);
    }

    /** A ledger capturing no text. */
    public StorageConfig(String ledger, String ledgerUser, String ledgerPassword, String spoolDir, long spoolMaxBytes) {
        this(ledger, ledgerUser, ledgerPassword, spoolDir, spoolMaxBytes, DEFAULT_SPOOL_LINGER, false);
    }

    /** A ledger without Redis. */
    public StorageConfig(String ledger, String ledgerUser, String ledgerPassword, String spoolDir,
                         long spoolMaxBytes, Duration spoolLinger, boolean captureText) {
        this(ledger, ledgerUser, ledgerPassword, spoolDir, spoolMaxBytes, spoolLinger, captureText, null, DEFAULT_REDIS_TIMEOUT,
                RedisOutage.FAIL_CLOSED, DEFAULT_RESPONSES_RETENTION);
    }

    public static StorageConfig defaults() {
        return new StorageConfig(DEFAULT_LEDGER, null, null);
    }

    public boolean ledgerIsSqlite() {
        return ledger.startsWith("sqlite:") || ledger.startsWith("jdbc:sqlite:");
    }

    /** Whether the ledger passes its entries through a durable spool. */
    public boolean spoolEnabled() {
        return spoolMaxBytes > 0;
    }

    /**
     * The spool directory: {@link #spoolDir} if set; else {@code spool} next to a SQLite ledger file
     * ({@code ./triage-data/spool} for the default ledger), or {@value #DEFAULT_SPOOL_DIR} for PostgreSQL.
     */
    public Path spoolDirectory() {
        if (spoolDir != null) {
            return Path.of(spoolDir);
        }
        String file = ledger.startsWith("sqlite:") ? ledger.substring("sqlite:".length())
                : ledger.startsWith("jdbc:sqlite:") ? ledger.substring("jdbc:sqlite:".length()) : null;
        if (file != null && !file.startsWith("file:")) {
            int query = file.indexOf('?');
            Path parent = Path.of(query < 0 ? file : file.substring(0, query)).getParent();
            return (parent == null ? Path.of(".") : parent).resolve("spool");
        }
        return Path.of(DEFAULT_SPOOL_DIR);
    }

    @Override
    public String toString() {
        return "StorageConfig[ledger=" + ledger + ", ledgerUser=" + ledgerUser
                + ", ledgerPassword=" + (ledgerPassword == null ? null : "[redacted]")
                + ", spoolDir=" + spoolDir + ", spoolMaxBytes=" + spoolMaxBytes + ", captureText=" + captureText
                + ", redis=" + (redis == null ? null : "[set]") + ", redisTimeout=" + redisTimeout + ", redisOutage=" + redisOutage
                + ", responsesRetention=" + responsesRetention + "]";
    }
}
