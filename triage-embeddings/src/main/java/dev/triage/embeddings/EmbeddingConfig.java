package dev.triage.embeddings;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings of a {@link MiniLmEmbedder}. {@link #defaults()} are what the measurements in the README
 * chose; {@link #fromSystemProperties} lets {@code -Dtriage.embeddings.*} override each one.
 *
 * @param variant        full or quantised weights
 * @param truncation     how long texts are cut
 * @param threads        platform threads running the model (each runs one text at a time)
 * @param queueCapacity  texts that may wait for a thread before {@code embed} refuses more
 * @param cacheEntries   embeddings kept in memory, most recently used first (0: none)
 * @param storeDirectory where {@code embedAll} keeps vectors on disk; empty: it keeps none
 */
public record EmbeddingConfig(MiniLmVariant variant, Truncation truncation, int threads, int queueCapacity,
        int cacheEntries, Optional<Path> storeDirectory) {

    public static final String MODEL = "triage.embeddings.model";
    public static final String MAX_TOKENS = "triage.embeddings.max-tokens";
    public static final String KEEP_TAIL = "triage.embeddings.keep-tail";
    public static final String THREADS = "triage.embeddings.threads";
    public static final String QUEUE = "triage.embeddings.queue";
    public static final String CACHE_ENTRIES = "triage.embeddings.cache-entries";
    public static final String STORE = "triage.embeddings.store";

    public EmbeddingConfig {
        if (variant == null || truncation == null || storeDirectory == null) {
            throw new IllegalArgumentException("variant, truncation and storeDirectory are required");
        }
        if (threads < 1 || queueCapacity < 1 || cacheEntries < 0) {
            throw new IllegalArgumentException("embeddings need threads >= 1, queue >= 1 and cache entries >= 0, got "
                    + threads + ", " + queueCapacity + ", " + cacheEntries);
        }
    }

    /**
     * Quantised model, 96 tokens keeping the last 23 word pieces, min(2, cores) threads, 32 waiting
     * texts, 10,000 cached embeddings, vectors on disk under {@code ~/.cache/triage/embeddings}.
     */
    public static EmbeddingConfig defaults() {
        return new EmbeddingConfig(MiniLmVariant.QUANTISED, Truncation.of(96, true),
                Math.min(2, Runtime.getRuntime().availableProcessors()), 32, 10_000,
                Optional.of(Path.of(System.getProperty("user.home"), ".cache", "triage", "embeddings")));
    }

    /**
     * The defaults with any of these set in {@code properties} (normally {@code System.getProperties()}):
     * {@value #MODEL} ({@code all-minilm-l6-v2-q} or {@code all-minilm-l6-v2}), {@value #MAX_TOKENS}
     * (3–512, markers included), {@value #KEEP_TAIL} ({@code true}/{@code false}), {@value #THREADS},
     * {@value #QUEUE}, {@value #CACHE_ENTRIES}, {@value #STORE} (a directory, or {@code off}).
     *
     * @throws IllegalArgumentException naming the property and the value it could not use
     */
    public static EmbeddingConfig fromSystemProperties(Properties properties) {
        EmbeddingConfig d = defaults();
        MiniLmVariant variant = d.variant;
        String model = properties.getProperty(MODEL);
        if (model != null) {
            try {
                variant = MiniLmVariant.fromId(model.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + MODEL + ": " + e.getMessage(), e);
            }
        }
        int maxTokens = integer(properties, MAX_TOKENS, d.truncation.maxTokens(), 3, Truncation.MAX_SEQUENCE);
        boolean keepTail = bool(properties, KEEP_TAIL, d.truncation.tailTokens() > 0);
        String store = properties.getProperty(STORE);
        Optional<Path> storeDirectory = store == null ? d.storeDirectory
                : store.isBlank() || store.trim().equals("off") ? Optional.empty() : Optional.of(Path.of(store.trim()));
        return new EmbeddingConfig(variant, Truncation.of(maxTokens, keepTail),
                integer(properties, THREADS, d.threads, 1, 256),
                integer(properties, QUEUE, d.queueCapacity, 1, 1_000_000),
                integer(properties, CACHE_ENTRIES, d.cacheEntries, 0, 10_000_000),
                storeDirectory);
    }

    public EmbeddingConfig withVariant(MiniLmVariant variant) {
        return new EmbeddingConfig(variant, truncation, threads, queueCapacity, cacheEntries, storeDirectory);
    }

    public EmbeddingConfig withTruncation(Truncation truncation) {
        return new EmbeddingConfig(variant, truncation, threads, queueCapacity, cacheEntries, storeDirectory);
    }

    public EmbeddingConfig withThreads(int threads, int queueCapacity) {
        return new EmbeddingConfig(variant, truncation, threads, queueCapacity, cacheEntries, storeDirectory);
    }

    public EmbeddingConfig withCacheEntries(int cacheEntries) {
        return new EmbeddingConfig(variant, truncation, threads, queueCapacity, cacheEntries, storeDirectory);
    }

    public EmbeddingConfig withStoreDirectory(Optional<Path> storeDirectory) {
        return new EmbeddingConfig(variant, truncation, threads, queueCapacity, cacheEntries, storeDirectory);
    }

    /** The embedder id these settings give, e.g. {@code all-minilm-l6-v2-q/96-tail23}. */
    public String embedderId() {
        return variant.id() + "/" + truncation.id();
    }

    private static int integer(Properties properties, String key, int fallback, int min, int max) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + key + ": expected a whole number from " + min
                + " to " + max + ", got '" + value + "'");
    }

    private static boolean bool(Properties properties, String key, boolean fallback) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("system property " + key + ": expected true or false, got '"
                    + value + "'");
        };
    }
}
