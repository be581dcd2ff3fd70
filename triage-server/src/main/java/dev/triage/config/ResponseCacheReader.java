package dev.triage.config;

import dev.triage.responsecache.ResponseCachePolicy;
import dev.triage.responsecache.ResponseCacheSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;

/**
 * {@code cache: {exact: {enabled, ttl_seconds, max_entries, max_answer_bytes, max_memory_bytes}, semantic: {enabled,
 * threshold, ttl_seconds, max_entries}, sampled_choices}} at the top level, and the same (without the store's bounds:
 * {@code max_*}) under any route, whose keys override the top level's one by one.
 */
final class ResponseCacheReader {

    private static final List<String> KEYS = List.of("exact", "semantic", "sampled_choices");
    private static final List<String> EXACT_KEYS = List.of("enabled", "ttl_seconds", "max_entries", "max_answer_bytes",
            "max_memory_bytes");
    private static final List<String> SEMANTIC_KEYS = List.of("enabled", "threshold", "ttl_seconds", "max_entries");
    /** A week: longer, and a cached answer outlives the facts it states. */
    private static final long MAX_TTL_SECONDS = 7 * 24 * 3600L;
    private static final long MAX_ENTRIES = 10_000_000L;
    /** 1 KiB to 64 MiB an answer, 1 KiB to 64 GiB together. */
    private static final long MIN_BYTES = 1024;
    private static final long MAX_ANSWER_BYTES = 64L << 20;
    private static final long MAX_MEMORY_BYTES = 64L << 30;

    private ResponseCacheReader() {
    }

    static ResponseCachePolicy read(Mapping top, Mapping routes, Set<String> routeNames) {
        ResponseCacheSettings defaults = settings(top, ResponseCacheSettings.OFF, true);
        Map<String, ResponseCacheSettings> byRoute = new LinkedHashMap<>();
        for (String name : routes.keys()) {
            if (!routeNames.contains(name) || !(routes.valueNode(name) instanceof MappingNode)) {
                continue;
            }
            Mapping r = routes.mapping(name);
            if (r.keyNode(RouteReader.CACHE_KEY) != null) {
                byRoute.put(name, settings(r.mapping(RouteReader.CACHE_KEY), defaults, false));
            }
        }
        return new ResponseCachePolicy(defaults, byRoute);
    }

    private static ResponseCacheSettings settings(Mapping c, ResponseCacheSettings base, boolean topLevel) {
        c.allowOnly(KEYS);
        Mapping e = c.mapping("exact");
        e.allowOnly(EXACT_KEYS);
        Mapping s = c.mapping("semantic");
        s.allowOnly(SEMANTIC_KEYS);
        if (!topLevel) {
            storeWide(e);
            storeWide(s);
        }
        long answerBytes = e.integer("max_answer_bytes", MIN_BYTES, MAX_ANSWER_BYTES).orElse(base.exact().maxAnswerBytes());
        long memoryBytes = e.integer("max_memory_bytes", MIN_BYTES, MAX_MEMORY_BYTES).orElse(base.exact().maxMemoryBytes());
        if (memoryBytes < answerBytes) {
            e.error(e.has("max_memory_bytes") ? "max_memory_bytes" : "max_answer_bytes", "max_memory_bytes (" + memoryBytes
                    + ") must be at least max_answer_bytes (" + answerBytes + "): the store must hold the largest answer it keeps");
            memoryBytes = answerBytes;
        }
        ResponseCacheSettings.Exact exact = new ResponseCacheSettings.Exact(
                e.bool("enabled").orElse(base.exact().enabled()),
                e.integer("ttl_seconds", 1, MAX_TTL_SECONDS).map(Duration::ofSeconds).orElse(base.exact().ttl()),
                e.integer("max_entries", 1, MAX_ENTRIES).map(Long::intValue).orElse(base.exact().maxEntries()),
                answerBytes, memoryBytes);
        ResponseCacheSettings.Semantic semantic = new ResponseCacheSettings.Semantic(
                s.bool("enabled").orElse(base.semantic().enabled()),
                s.between("threshold", 0, 1).orElse(base.semantic().threshold()),
                s.integer("ttl_seconds", 1, MAX_TTL_SECONDS).map(Duration::ofSeconds).orElse(base.semantic().ttl()),
                s.integer("max_entries", 1, MAX_ENTRIES).map(Long::intValue).orElse(base.semantic().maxEntries()));
        return new ResponseCacheSettings(exact, semantic, c.bool("sampled_choices").orElse(base.sampledChoices()));
    }

    private static void storeWide(Mapping m) {
        for (String key : List.of("max_entries", "max_answer_bytes", "max_memory_bytes")) {
            if (m.has(key)) {
                m.error(key, "one store serves every route: set " + key + " under the top-level cache");
            }
        }
    }
}
