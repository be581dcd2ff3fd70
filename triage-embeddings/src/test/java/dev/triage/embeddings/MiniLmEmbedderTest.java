package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.embed.Embedder;
import dev.triage.embed.EmbedderOverloadedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder's pool, caches and batch path, over a fake model that counts its calls. */
class MiniLmEmbedderTest {

    @TempDir
    Path dir;

    private EmbeddingConfig config(int threads, int queue) {
        return EmbeddingConfig.defaults().withThreads(threads, queue).withStoreDirectory(Optional.of(dir));
    }

    @Test
    void cacheHitReturnsTheSameVectorWithoutCallingTheModel() {
        FakeEncoder model = new FakeEncoder(0);
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 8), model)) {
            float[] first = embedder.embed("What is 2 + 2?");
            float[] second = embedder.embed("What is 2 + 2?");

            assertThat(second).containsExactly(first).containsExactly(FakeEncoder.expected("What is 2 + 2?"));
            assertThat(model.calls).hasValue(1);
            embedder.embed("What is 2 + 3?");
            assertThat(model.calls).hasValue(2);
        }
    }

    @Test
    void callersGetCopiesSoTheyCannotCorruptTheCache() {
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 8), new FakeEncoder(0))) {
            embedder.embed("prompt")[0] = 42;

            assertThat(embedder.embed("prompt")).containsExactly(FakeEncoder.expected("prompt"));
        }
    }

    @Test
    void cacheForgetsTheLeastRecentlyUsedText() {
        FakeEncoder model = new FakeEncoder(0);
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 8).withCacheEntries(2), model)) {
            embedder.embed("a");
            embedder.embed("b");
            embedder.embed("a"); // a is now the most recent
            embedder.embed("c"); // evicts b

            embedder.embed("a");
            assertThat(model.calls).hasValue(3);
            embedder.embed("b");
            assertThat(model.calls).hasValue(4);
        }
    }

    @Test
    void manyVirtualThreadsShareThePoolAndNeverRunMoreModelCallsThanItsThreads() throws Exception {
        FakeEncoder model = new FakeEncoder(2);
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 1_000), model);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String text = "prompt " + i;
                results.add(callers.submit(() -> embedder.embed(text)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).containsExactly(FakeEncoder.expected("prompt " + i));
            }

            assertThat(model.calls).hasValue(300);
            assertThat(model.mostRunning.get()).isEqualTo(2);
            assertThat(model.threads).allSatisfy(t -> {
                assertThat(t.isVirtual()).isFalse();
                assertThat(t.getName()).startsWith("triage-embed-");
            });
            assertThat(model.threads.stream().distinct()).hasSize(2);
        }
    }

    @Test
    void concurrentCallersWithTheSameTextShareOneModelCall() throws Exception {
        FakeEncoder model = new FakeEncoder(0);
        model.hold();
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 4), model);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(callers.submit(() -> embedder.embed("the same system prompt")));
            }
            while (model.calls.get() == 0) {
                Thread.onSpinWait();
            }
            Thread.sleep(50); // let the other 49 callers arrive while the call is held
            model.open();
            for (Future<float[]> r : results) {
                assertThat(r.get()).containsExactly(FakeEncoder.expected("the same system prompt"));
            }
            assertThat(model.calls).hasValue(1);
        }
    }

    @Test
    void aFullQueueRefusesWithAnErrorNamingTheSettings() throws Exception {
        FakeEncoder model = new FakeEncoder(0);
        model.hold();
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 2), model);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> accepted = new ArrayList<>();
            accepted.add(callers.submit(() -> embedder.embed("running")));
            while (model.calls.get() == 0) {
                Thread.onSpinWait();
            }
            accepted.add(callers.submit(() -> embedder.embed("queued 1")));
            accepted.add(callers.submit(() -> embedder.embed("queued 2")));
            while (embedder.queued() < 2) {
                Thread.onSpinWait();
            }

            assertThatThrownBy(() -> embedder.embed("one too many"))
                    .isInstanceOf(EmbedderOverloadedException.class)
                    .hasMessageContaining("embedding queue full: 2 texts already wait for the model's 1 thread(s)")
                    .hasMessageContaining("-Dtriage.embeddings.threads")
                    .hasMessageContaining("-Dtriage.embeddings.queue (now 2)");

            model.open();
            for (Future<float[]> f : accepted) {
                assertThat(f.get()).hasSize(FakeEncoder.DIMENSIONS);
            }
            assertThat(embedder.embed("one too many")).containsExactly(FakeEncoder.expected("one too many"));
        }
    }

    @Test
    void aModelFailureReachesTheCallerAndIsNotCached() {
        FakeEncoder model = new FakeEncoder(0);
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 4), model)) {
            assertThatThrownBy(() -> embedder.embed("boom")).hasMessage("model failed on purpose");
            assertThatThrownBy(() -> embedder.embed("boom")).hasMessage("model failed on purpose");
            assertThat(model.calls).hasValue(2);
        }
    }

    @Test
    void embedAllUsesEveryThreadReportsProgressInOrderAndComputesDuplicatesOnce() {
        FakeEncoder model = new FakeEncoder(1);
        List<String> texts = IntStream.range(0, 100).mapToObj(i -> "item " + (i % 80)).toList();
        List<int[]> progress = new CopyOnWriteArrayList<>();
        Thread caller = Thread.currentThread();
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 2), model)) {
            List<float[]> vectors = embedder.embedAll(texts, (done, total) -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                progress.add(new int[] {done, total});
            });

            for (int i = 0; i < texts.size(); i++) {
                assertThat(vectors.get(i)).containsExactly(FakeEncoder.expected(texts.get(i)));
            }
            assertThat(model.calls).hasValue(80);
            assertThat(model.mostRunning.get()).isEqualTo(2);
            assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p[1]).isEqualTo(100));
            assertThat(progress.getLast()[0]).isEqualTo(100);
            assertThat(progress).isSortedAccordingTo((x, y) -> Integer.compare(x[0], y[0]));
        }
    }

    @Test
    void aSecondRunReadsTheVectorsFromDiskInsteadOfComputingThem() {
        List<String> texts = IntStream.range(0, 50).mapToObj(i -> "question " + i).toList();
        List<float[]> first;
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 4), new FakeEncoder(0))) {
            first = embedder.embedAll(texts, Embedder.Progress.NONE);
        }
        assertThat(dir.resolve("all-minilm-l6-v2-q_96-tail23.vectors")).exists();

        FakeEncoder model = new FakeEncoder(0);
        List<int[]> progress = new ArrayList<>();
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(2, 4), model)) {
            List<float[]> second = embedder.embedAll(texts, (done, total) -> progress.add(new int[] {done, total}));
            for (int i = 0; i < texts.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
            }
            assertThat(progress).singleElement().satisfies(p -> assertThat(p).containsExactly(50, 50));
            // single texts are answered from the loaded store as well
            assertThat(embedder.embed("question 7")).containsExactly(first.get(7));
            assertThat(model.calls).hasValue(0);
            embedder.embedAll(List.of("question 7", "new question"), Embedder.Progress.NONE);
            assertThat(model.calls).hasValue(1);
        }
    }

    @Test
    void embedAllWaitsForRoomWhenLiveTrafficFillsTheQueue() throws Exception {
        FakeEncoder model = new FakeEncoder(0);
        model.hold();
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 1).withStoreDirectory(Optional.empty()), model);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<float[]> live = callers.submit(() -> embedder.embed("live"));
            while (model.calls.get() == 0) {
                Thread.onSpinWait();
            }
            Future<List<float[]>> batch = callers.submit(() -> embedder.embedAll(List.of("x", "y", "z"),
                    Embedder.Progress.NONE));
            Thread.sleep(50);
            model.open();

            assertThat(live.get()).containsExactly(FakeEncoder.expected("live"));
            assertThat(batch.get()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(FakeEncoder.DIMENSIONS));
            assertThat(Files.list(dir)).isEmpty();
        }
    }

    @Test
    void aClosedEmbedderRefusesAndFreesTheModel() {
        FakeEncoder model = new FakeEncoder(0);
        MiniLmEmbedder embedder = new MiniLmEmbedder(config(1, 4), model);
        embedder.close();
        embedder.close();

        assertThat(model.closes).hasValue(1);
        assertThatThrownBy(() -> embedder.embed("late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void theIdNamesTheModelVariantAndTheTruncation() {
        EmbeddingConfig full = EmbeddingConfig.defaults().withVariant(MiniLmVariant.FULL)
                .withTruncation(Truncation.of(256, false));
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(full, new FakeEncoder(0))) {
            assertThat(embedder.id()).isEqualTo("all-minilm-l6-v2/256");
        }
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(EmbeddingConfig.defaults(), new FakeEncoder(0))) {
            assertThat(embedder.id()).isEqualTo("all-minilm-l6-v2-q/96-tail23");
        }
    }
}
