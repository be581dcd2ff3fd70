package dev.triage.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.Price;
import dev.triage.chat.Usage;
import dev.triage.provider.CacheStorage;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explicit caches of one Gemini provider and the measurements they are bought on: per (model, prefix) — the
 * system instruction, tools and tool config a request starts with — how often it was sent in the last
 * {@link #WINDOW}, what Gemini discounted implicitly when it was re-sent without a cache, and the live cache if one
 * was bought. {@link ExplicitCacheRule} decides from those whether a cache is created or kept longer.
 *
 * <p>At most {@link #MAX_PREFIXES} prefixes are remembered (the least recently sent are forgotten; a cache of a
 * forgotten prefix simply runs out). Only one request at a time creates or extends a prefix's cache; the others send
 * the plain request meanwhile. Thread-safe: every entry is guarded by this registry's lock.
 */
final class ExplicitCaches {

    /** How long a cache is bought for, at creation and at each extension. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** The span sends are counted over. */
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** Prefixes remembered. */
    static final int MAX_PREFIXES = 1_000;

    /** A cache this close to its end is not referenced: the request could reach Gemini after it. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    /** The longest a cache call may take out of the request's deadline. */
    private static final Duration CALL_BUDGET = Duration.ofSeconds(10);
    /** Re-sends kept for the implicit hit share. */
    private static final int OBSERVATIONS = 64;
    private static final List<String> MEMBERS = List.of("systemInstruction", "tools", "toolConfig");
    private static final Logger LOG = LoggerFactory.getLogger(ExplicitCaches.class);

    private final Clock clock;
    private final TokenEstimator tokens;
    private final CachedContents upstream;
    // guarded by this
    private final Map<Key, Prefix> prefixes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Prefix> eldest) {
            return size() > MAX_PREFIXES;
        }
    };

    ExplicitCaches(Clock clock, TokenEstimator tokens, CachedContents upstream) {
        this.clock = clock;
        this.tokens = tokens;
        this.upstream = upstream;
    }

    private record Key(String model, String prefixHash) {
    }

    /** What is sent for one request: its plain body, or the body that names a cache. */
    static final class Sending {
        final ObjectNode body;
        final ObjectNode plainBody;
        private final ExplicitCaches registry;
        private final Prefix prefix;
        private final String cacheName;
        private final boolean resend;

        private Sending(ExplicitCaches registry, ObjectNode plainBody, ObjectNode body, Prefix prefix, String cacheName,
                        boolean resend) {
            this.registry = registry;
            this.plainBody = plainBody;
            this.body = body;
            this.prefix = prefix;
            this.cacheName = cacheName;
            this.resend = resend;
        }

        /** Whether the body names an explicit cache. */
        boolean cached() {
            return cacheName != null;
        }

        /** Learns from a plain re-send's answer how much of the prefix Gemini discounted on its own. */
        void answered(Usage usage) {
            if (prefix == null || cacheName != null || !resend || usage == null || usage.estimated()) {
                return;
            }
            synchronized (registry) {
                prefix.observe(Math.min(usage.cachedInputTokens(), prefix.tokens));
            }
        }

        /** Gemini said the named cache is gone (expired, deleted): forget it. */
        void gone() {
            if (prefix == null) {
                return;
            }
            synchronized (registry) {
                if (prefix.cache != null && prefix.cache.name().equals(cacheName)) {
                    prefix.cache = null;
                }
            }
        }
    }

    /** A request sent as it is, when explicit caching is off. */
    static Sending plain(ObjectNode body) {
        return new Sending(null, body, body, null, null, false);
    }

    private enum Action { PLAIN, USE, CREATE, EXTEND }

    /**
     * What to send for {@code body} (a translated request): it as is when the request's prompt cache is off, it has no
     * prefix or no cache pays; else the body naming a cache, created or extended first when the rule says so. Cache
     * calls that fail leave the request plain; none of their errors reaches the client.
     */
    Sending prepare(ProviderCall call, String modelResource, ObjectNode body) {
        ObjectNode members = members(body);
        if (!call.request().cache().enabled() || members.isEmpty()) {
            return plain(body);
        }
        String text = text(members);
        Key key = new Key(modelResource, sha256(text));
        Instant now = clock.instant();
        Prefix prefix;
        Action action;
        boolean resend;
        CachedContents.Cache cache;
        synchronized (this) {
            prefix = prefixes.computeIfAbsent(key, k -> new Prefix(tokens.estimate(text)));
            resend = prefix.sent(now);
            if (prefix.cache != null && !now.plus(MARGIN).isBefore(prefix.cache.expireTime())) {
                prefix.cache = null;
            }
            action = action(prefix, call.price(), call.upstreamModel(), now);
            cache = prefix.cache;
            if (action == Action.CREATE || action == Action.EXTEND) {
                prefix.busy = true;
            }
        }
        try {
            cache = switch (action) {
                case PLAIN -> null;
                case USE -> cache;
                case CREATE -> create(call, modelResource, members, key, prefix, now);
                case EXTEND -> extend(call, prefix, cache, now);
            };
        } finally {
            if (action == Action.CREATE || action == Action.EXTEND) {
                synchronized (this) {
                    prefix.busy = false;
                }
            }
        }
        if (cache == null) {
            return new Sending(this, body, body, prefix, null, resend);
        }
        ObjectNode referencing = body.deepCopy();
        referencing.remove(MEMBERS);
        referencing.put("cachedContent", cache.name());
        return new Sending(this, body, referencing, prefix, cache.name(), resend);
    }

    // guarded by this
    private Action action(Prefix prefix, Price price, String upstreamModel, Instant now) {
        if (prefix.busy) {
            return prefix.cache != null ? Action.USE : Action.PLAIN;
        }
        int minimum = ExplicitCacheRule.minimumTokens(upstreamModel);
        if (prefix.cache != null) {
            Duration left = Duration.between(now, prefix.cache.expireTime());
            boolean keep = left.compareTo(TTL.dividedBy(2)) < 0
                    && ExplicitCacheRule.decide(prefix.measurement(now), price, TTL, minimum, false).pays();
            return keep ? Action.EXTEND : Action.USE;
        }
        if (now.isBefore(prefix.retryAt)) {
            return Action.PLAIN;
        }
        return ExplicitCacheRule.decide(prefix.measurement(now), price, TTL, minimum, true).pays() ? Action.CREATE : Action.PLAIN;
    }

    private CachedContents.Cache create(ProviderCall call, String modelResource, ObjectNode members, Key key, Prefix prefix,
                                        Instant now) {
        try {
            String displayName = "triage-" + key.prefixHash().substring(0, 16);
            CachedContents.Cache created = upstream.create(modelResource, members, TTL, displayName,
                    call.deadline().within(CALL_BUDGET));
            long stored = created.tokens() > 0 ? created.tokens() : prefix.tokens;
            call.cacheStorage().onCacheStorage(new CacheStorage(stored, stored, held(now, created.expireTime())));
            synchronized (this) {
                prefix.cache = created;
                prefix.tokens = stored;
            }
            return created;
        } catch (ProviderException e) {
            if (e.kind() == ErrorKind.TIMEOUT) {
                // Sent but unanswered: Gemini may have created (and be storing) it.
                call.cacheStorage().onCacheStorage(new CacheStorage(prefix.tokens, prefix.tokens, TTL));
            }
            LOG.info("explicit Gemini cache not created ({}); sending the plain request", e.getMessage());
            synchronized (this) {
                prefix.retryAt = now.plus(WINDOW);
            }
            return null;
        }
    }

    private CachedContents.Cache extend(ProviderCall call, Prefix prefix, CachedContents.Cache cache, Instant now) {
        try {
            CachedContents.Cache kept = upstream.extend(cache.name(), TTL, call.deadline().within(CALL_BUDGET));
            call.cacheStorage().onCacheStorage(new CacheStorage(0, prefix.tokens, held(cache.expireTime(), kept.expireTime())));
            synchronized (this) {
                prefix.cache = kept;
            }
            return kept;
        } catch (ProviderException e) {
            if (e.kind() == ErrorKind.TIMEOUT) {
                call.cacheStorage().onCacheStorage(new CacheStorage(0, prefix.tokens, TTL.minus(held(now, cache.expireTime()))));
            }
            boolean gone = e.upstreamStatus() == 403 || e.upstreamStatus() == 404;
            LOG.info("explicit Gemini cache not extended ({})", e.getMessage());
            synchronized (this) {
                if (gone) {
                    prefix.cache = null;
                }
            }
            return gone ? null : cache;
        }
    }

    private static Duration held(Instant from, Instant until) {
        Duration held = Duration.between(from, until);
        return held.isNegative() ? Duration.ZERO : held;
    }

    /** The members a cache would hold, in the order Gemini's requests carry them. */
    private static ObjectNode members(ObjectNode body) {
        ObjectNode members = ResponseTranslator.JSON.createObjectNode();
        for (String member : MEMBERS) {
            if (body.has(member)) {
                members.set(member, body.get(member));
            }
        }
        return members;
    }

    private static String text(ObjectNode members) {
        try {
            return ResponseTranslator.JSON.writeValueAsString(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What is known of one prefix. Guarded by the registry. */
    private static final class Prefix {
        private static final long BUCKET_SECONDS = 10;
        private static final int BUCKETS = (int) (WINDOW.toSeconds() / BUCKET_SECONDS);

        long tokens;
        CachedContents.Cache cache;
        boolean busy;
        Instant retryAt = Instant.MIN;
        private long sends;
        // Sends per 10-second bucket over the window, as a ring indexed by the bucket's number.
        private final long[] bucketSends = new long[BUCKETS];
        private final long[] bucketIds = new long[BUCKETS];
        // The last OBSERVATIONS re-sends without a cache: prefix tokens offered and discounted implicitly.
        private final long[] offered = new long[OBSERVATIONS];
        private final long[] discounted = new long[OBSERVATIONS];
        private int observed;

        Prefix(long tokens) {
            this.tokens = tokens;
        }

        /** Counts a send; true when it is a re-send (the prefix was sent before). */
        boolean sent(Instant now) {
            long id = Math.floorDiv(now.getEpochSecond(), BUCKET_SECONDS);
            int slot = (int) Math.floorMod(id, BUCKETS);
            if (bucketIds[slot] != id) {
                bucketIds[slot] = id;
                bucketSends[slot] = 0;
            }
            bucketSends[slot]++;
            return sends++ > 0;
        }

        void observe(long implicitTokens) {
            int slot = observed++ % OBSERVATIONS;
            offered[slot] = tokens;
            discounted[slot] = implicitTokens;
        }

        ExplicitCacheRule.Measurement measurement(Instant now) {
            long id = Math.floorDiv(now.getEpochSecond(), BUCKET_SECONDS);
            long inWindow = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketIds[i] > id - BUCKETS && bucketIds[i] <= id) {
                    inWindow += bucketSends[i];
                }
            }
            long offeredTokens = 0;
            long implicitTokens = 0;
            int kept = Math.min(observed, OBSERVATIONS);
            for (int i = 0; i < kept; i++) {
                offeredTokens += offered[i];
                implicitTokens += discounted[i];
            }
            return new ExplicitCacheRule.Measurement(tokens, inWindow, WINDOW, kept, offeredTokens, implicitTokens);
        }
    }
}
