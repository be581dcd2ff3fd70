package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreTest {

    private static final String ID = "all-minilm-l6-v2-q/96-tail23";
    private static final int DIMS = 8;
    private static final int RECORD = 32 + DIMS * 4 + 4;

    @TempDir
    Path dir;

    private final MessageDigest keys = TextKey.seeded(ID);

    private TextKey key(String text) {
        return TextKey.of(keys, text);
    }

    private void write(String... texts) {
        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            for (String t : texts) {
                store.add(key(t), FakeEncoder.expected(t));
            }
        }
    }

    @Test
    void vectorsSurviveClosingAndReopening() {
        write("a", "b", "c");

        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.size()).isEqualTo(3);
            for (String t : new String[] {"a", "b", "c"}) {
                assertThat(store.get(key(t))).containsExactly(FakeEncoder.expected(t));
            }
            assertThat(store.get(key("d"))).isNull();
        }
    }

    @Test
    void manyVectorsAreFlushedInChunksAndAllReadBack() {
        String[] texts = new String[1_000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "prompt number " + i;
        }
        write(texts);

        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.size()).isEqualTo(1_000);
            assertThat(store.get(key("prompt number 999"))).containsExactly(FakeEncoder.expected("prompt number 999"));
        }
    }

    @Test
    void aTornLastRecordIsDroppedAndTheFileRepairedForAppending() throws IOException {
        write("a", "b", "c");
        Path file = EmbeddingStore.fileFor(dir, ID);
        long whole = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(whole - RECORD / 2); // killed half-way through writing c
        }

        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.get(key("c"))).isNull();
            assertThat(Files.size(file)).isEqualTo(whole - RECORD);
            store.add(key("d"), FakeEncoder.expected("d"));
        }
        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.size()).isEqualTo(3);
            assertThat(store.get(key("d"))).containsExactly(FakeEncoder.expected("d"));
        }
    }

    @Test
    void aRecordWithGarbledBytesEndsTheReadableFile() throws IOException {
        write("a", "b", "c");
        Path file = EmbeddingStore.fileFor(dir, ID);
        long secondRecord = Files.size(file) - 2L * RECORD;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(secondRecord + 40);
            f.write(0x5A);
        }

        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.get(key("a"))).containsExactly(FakeEncoder.expected("a"));
        }
    }

    @Test
    void aFileCutInsideItsHeaderStartsAfresh() throws IOException {
        Files.createDirectories(dir);
        Files.write(EmbeddingStore.fileFor(dir, ID), new byte[] {0x42, 0x4D}, StandardOpenOption.CREATE_NEW);

        write("a");
        try (EmbeddingStore store = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(store.get(key("a"))).containsExactly(FakeEncoder.expected("a"));
        }
    }

    @Test
    void aFileWrittenForOtherSettingsIsRefusedWithItsPath() throws IOException {
        write("a");
        Path file = EmbeddingStore.fileFor(dir, ID);

        assertThatThrownBy(() -> EmbeddingStore.open(dir, ID, 16))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("was not written for " + ID + " (16 dimensions");
    }

    @Test
    void eachEmbedderIdHasItsOwnFile() {
        write("a");
        try (EmbeddingStore other = EmbeddingStore.open(dir, "all-minilm-l6-v2/256", DIMS)) {
            assertThat(other.size()).isZero();
            assertThat(other.file().getFileName()).hasToString("all-minilm-l6-v2_256.vectors");
        }
    }

    @Test
    void aSecondWriterInTheSameJvmReadsButDoesNotAppend() throws IOException {
        write("a");
        Path file = EmbeddingStore.fileFor(dir, ID);
        long size = Files.size(file);
        try (EmbeddingStore first = EmbeddingStore.open(dir, ID, DIMS);
             EmbeddingStore second = EmbeddingStore.open(dir, ID, DIMS)) {
            assertThat(second.get(key("a"))).isNotNull();
            second.add(key("b"), FakeEncoder.expected("b"));
            second.flush();
            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(second.get(key("b"))).isNotNull(); // still answered from memory in this run
        }
    }
}
