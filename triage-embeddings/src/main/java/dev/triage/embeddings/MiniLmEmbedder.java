package dev.triage.embeddings;

import dev.triage.embed.Embedder;
import dev.triage.embed.EmbedderOverloadedException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * all-MiniLM-L6-v2 as an {@link Embedder}: the model runs on a small pool of platform threads (a
 * native call would pin a virtual thread's carrier), callers wait for their text; an LRU cache answers
 * repeated texts in microseconds, and {@link #embedAll} keeps what it computes on disk for the next run.
 */
public final class MiniLmEmbedder implements Embedder {

    private final String id;
    private final EmbeddingConfig config;
    private final TextEncoder encoder;
    private final ThreadPoolExecutor pool;
    private final VectorCache cache;
    private final MessageDigest keys;
    private final Map<TextKey, CompletableFuture<float[]>> inFlight = new ConcurrentHashMap<>();
    private final Object storeLock = new Object();
    private volatile EmbeddingStore store;
    private volatile boolean closed;

    MiniLmEmbedder(EmbeddingConfig config, TextEncoder encoder) {
        this.id = config.embedderId();
        this.config = config;
        this.encoder = encoder;
        this.cache = new VectorCache(config.cacheEntries());
        this.keys = TextKey.seeded(id);
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()),
                Thread.ofPlatform().name("triage-embed-", 1).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Loads the model {@code config} names (a second or two) and starts its threads. */
    public static MiniLmEmbedder open(EmbeddingConfig config) {
        return new MiniLmEmbedder(config, MiniLmEncoder.load(config.variant(), config.truncation()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimensions() {
        return encoder.dimensions();
    }

    public EmbeddingConfig config() {
        return config;
    }

    @Override
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        TextKey key = TextKey.of(keys, text);
        float[] known = known(key);
        if (known != null) {
            return known.clone();
        }
        checkOpen();
        // Concurrent callers with the same text share one model call.
        CompletableFuture<float[]> result = inFlight.computeIfAbsent(key, k -> submit(text, k));
        try {
            return result.get().clone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an embedding", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    private float[] known(TextKey key) {
        float[] vector = cache.get(key);
        if (vector == null && store != null) {
            vector = store.get(key);
            if (vector != null) {
                cache.put(key, vector);
            }
        }
        return vector;
    }

    private CompletableFuture<float[]> submit(String text, TextKey key) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    float[] vector = encoder.encode(text);
                    cache.put(key, vector);
                    return vector;
                } finally {
                    inFlight.remove(key);
                }
            }, pool);
        } catch (RejectedExecutionException e) {
            if (closed) {
                throw new IllegalStateException("embedder " + id + " is closed", e);
            }
            throw new EmbedderOverloadedException("embedding queue full: " + pool.getQueue().size()
                    + " texts already wait for the model's " + config.threads() + " thread(s); raise -D"
                    + EmbeddingConfig.THREADS + " (if cores are idle) or -D" + EmbeddingConfig.QUEUE
                    + " (now " + config.queueCapacity() + ")");
        }
    }

    /**
     * Embeds {@code texts} on every pool thread, without crowding out live {@link #embed} calls (at most
     * one text per thread waits in the queue). Vectors already on disk are read, not computed; new ones
     * are added to the store (when the config has a directory), so a rerun is fast.
     */
    @Override
    public List<float[]> embedAll(List<String> texts, Progress progress) {
        checkOpen();
        EmbeddingStore disk = store();
        int total = texts.size();
        float[][] vectors = new float[total][];
        Map<TextKey, List<Integer>> missing = new LinkedHashMap<>();
        Map<TextKey, String> textOf = new LinkedHashMap<>();
        for (int i = 0; i < total; i++) {
            String text = Objects.requireNonNull(texts.get(i), "texts must not contain null");
            TextKey key = TextKey.of(keys, text);
            float[] known = known(key);
            if (known != null) {
                vectors[i] = known.clone();
            } else {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                textOf.putIfAbsent(key, text);
            }
        }
        int done = total - missing.values().stream().mapToInt(List::size).sum();
        if (done > 0) {
            progress.update(done, total);
        }
        BlockingQueue<Computed> finished = new LinkedBlockingQueue<>();
        ArrayDeque<Map.Entry<TextKey, String>> todo = new ArrayDeque<>(textOf.entrySet());
        int running = 0;
        int limit = 2 * config.threads();
        try {
            while (!todo.isEmpty() || running > 0) {
                while (running < limit && !todo.isEmpty()) {
                    var job = todo.peekFirst();
                    try {
                        pool.execute(() -> finished.add(compute(job.getKey(), job.getValue())));
                    } catch (RejectedExecutionException e) {
                        if (closed) {
                            throw new IllegalStateException("embedder " + id + " is closed", e);
                        }
                        break; // live traffic fills the queue: wait for one of ours, or a moment, and retry
                    }
                    todo.removeFirst();
                    running++;
                }
                Computed c = running > 0 ? finished.take() : finished.poll(5, TimeUnit.MILLISECONDS);
                if (c == null) {
                    continue;
                }
                running--;
                if (c.failure != null) {
                    throw failure(c.failure);
                }
                if (disk != null) {
                    disk.add(c.key, c.vector);
                }
                for (int i : missing.get(c.key)) {
                    vectors[i] = c.vector.clone();
                    done++;
                }
                progress.update(done, total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding a batch", e);
        } finally {
            if (disk != null) {
                disk.flush();
            }
        }
        return Arrays.asList(vectors);
    }

    private record Computed(TextKey key, float[] vector, Throwable failure) {
    }

    private Computed compute(TextKey key, String text) {
        try {
            return new Computed(key, encoder.encode(text), null);
        } catch (RuntimeException | Error e) {
            return new Computed(key, null, e);
        }
    }

    /** The disk store, opened on first batch use; null when the config has no directory. */
    private EmbeddingStore store() {
        if (config.storeDirectory().isEmpty()) {
            return null;
        }
        synchronized (storeLock) {
            if (store == null) {
                store = EmbeddingStore.open(config.storeDirectory().get(), id, dimensions());
            }
            return store;
        }
    }

    private static RuntimeException failure(Throwable cause) {
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("embedding failed: " + cause, cause);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("embedder " + id + " is closed");
        }
    }

    /** Texts waiting for a model thread now (for tests and metrics). */
    int queued() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                return; // a model call is stuck: leaking the session is safer than freeing it under the call
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        encoder.close();
        synchronized (storeLock) {
            if (store != null) {
                store.close();
            }
        }
    }
}
