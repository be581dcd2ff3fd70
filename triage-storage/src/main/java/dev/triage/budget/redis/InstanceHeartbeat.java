package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many gateway instances share one Redis, for {@code storage.redis_outage: allow_local}. Every beat
 * ({@code instances.lua}, one round trip) marks this instance seen at Redis's time in a sorted set of
 * instance ids and counts the instances seen within {@code live}; the last count read is N, what a budget
 * is divided by when Redis goes away. An instance that stopped beating (it died) still counts until
 * {@code live} has passed, which only makes the others' shares smaller.
 *
 * <p>After each beat Redis answered, the participants (the outage-tolerant budget store and rate limiter)
 * catch up with it, and after an outage go back to it; after a beat it did not answer, they serve from
 * local allowances. An instance that has never counted (Redis was away since it started) knows no N and
 * no budget's state, so it refuses budgeted requests as {@code fail_closed} does.
 */
public final class InstanceHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceHeartbeat.class);
    /** A beat a second: budgets' last readings are at most about that old when Redis goes away. */
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(1);
    /** Five missed beats: an instance is no longer counted. */
    public static final Duration DEFAULT_LIVE = Duration.ofSeconds(5);

    /** What keeps in step with Redis on each beat. */
    interface Participant {

        /**
         * Redis answered a beat: catch up with it (after an outage, go back to it).
         *
         * @throws BudgetStoreUnavailableException when Redis stops answering meanwhile
         */
        void resync();

        /** Redis did not answer a beat: serve locally from now on, if N is known. */
        void lost();
    }

    private final RedisLink redis;
    private final String key;
    private final Duration every;
    private final Duration live;
    private final String id = UUID.randomUUID().toString();
    private final RedisLink.Script script = RedisLink.Script.load("instances.lua");
    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    /** The last count read; 0 until Redis has answered a beat. */
    private final AtomicInteger instances = new AtomicInteger();
    private final ScheduledExecutorService beats;

    /**
     * @param redis the connection (shared with the budget store; closed by its owner)
     * @param key   the sorted set every instance on this Redis beats into, e.g. {@code triage:instances}
     * @param every how often this instance beats
     * @param live  how long an instance counts after its last beat: several beats
     */
    public InstanceHeartbeat(RedisLink redis, String key, Duration every, Duration live) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.key = Objects.requireNonNull(key, "key");
        this.every = Objects.requireNonNull(every, "every");
        this.live = Objects.requireNonNull(live, "live");
        if (live.compareTo(every.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("an instance must count for at least two beats, got live " + live + " for beats every " + every);
        }
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triage-instance-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Beats once now (so N is known from the start when Redis answers), then every {@code every}. */
    public InstanceHeartbeat start() {
        beatQuietly();
        beats.scheduleWithFixedDelay(this::beatQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** N: the instances this one counted (itself included) the last time Redis answered; 0 if it never has. */
    public int instances() {
        return instances.get();
    }

    /** This instance's id in Redis: random, new at each start. */
    String id() {
        return id;
    }

    void join(Participant p) {
        participants.add(p);
    }

    /** One beat: count, then bring the participants up to date; whether Redis answered throughout. */
    boolean beat() {
        try {
            List<Object> reply = redis.run(script, new String[] {key}, id, Long.toString(live.toMillis()));
            int n = Math.toIntExact(Math.max(1, (Long) reply.getFirst()));
            int before = instances.getAndSet(n);
            if (before != n) {
                LOG.info("gateway instances sharing Redis: {}{}", n, before == 0 ? "" : " (were " + before + ")");
            }
            for (Participant p : participants) {
                p.resync();
            }
            return true;
        } catch (BudgetStoreUnavailableException e) {
            participants.forEach(Participant::lost);
            return false;
        }
    }

    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // leave at once rather than after `live`: the others' shares grow back sooner
            redis.call(r -> r.zrem(key, id));
        } catch (BudgetStoreUnavailableException e) {
            // the entry ages out of the count by itself
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log it and beat on
            LOG.error("instance heartbeat failed: {}", e.toString());
        }
    }
}
