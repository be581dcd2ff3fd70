package dev.triage.simulate.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {

    @TempDir
    Path dir;

    private static Trace read(String text) throws Exception {
        return TraceReader.read("t.jsonl", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsMooncakeLines() throws Exception {
        Trace t = read("""
                {"timestamp": 0, "input_length": 6758, "output_length": 500, "hash_ids": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]}

                {"timestamp": 27, "input_length": 1024, "output_length": 7, "hash_ids": [0, 14], "extra": "ignored"}\r
                """);
        assertThat(t.name()).isEqualTo("t.jsonl");
        assertThat(t.requests()).containsExactly(
                new TraceRequest(0, 6758, 500, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}),
                new TraceRequest(27, 1024, 7, new int[]{0, 14}));
        assertThat(t.spanMs()).isEqualTo(27);
    }

    @Test
    void aBadLineIsNamedByItsNumber() {
        String good = "{\"timestamp\": 0, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1, 2]}\n";
        assertThatThrownBy(() -> read(good + "{\"timestamp\": 1, \"input_length\": 600,\n"))
                .isInstanceOf(TraceException.class).hasMessageStartingWith("t.jsonl:2: malformed JSON");
        assertThatThrownBy(() -> read(good + good + "{\"timestamp\": 1, \"input_length\": 600, \"hash_ids\": [1, 2]}\n"))
                .hasMessage("t.jsonl:3: \"output_length\" is missing");
        assertThatThrownBy(() -> read(good + "{\"timestamp\": 1, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1]}\n"))
                .hasMessage("t.jsonl:2: an input_length of 600 tokens is 2 blocks of 512, but hash_ids has 1");
        assertThatThrownBy(() -> read(good + "{\"timestamp\": 1, \"input_length\": -3, \"output_length\": 5, \"hash_ids\": []}\n"))
                .hasMessageStartingWith("t.jsonl:2: \"input_length\" must be a whole number from 0 to");
        assertThatThrownBy(() -> read(good + "{\"timestamp\": 1, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1, \"b\"]}\n"))
                .hasMessageStartingWith("t.jsonl:2: \"hash_ids\" must hold whole numbers");
        assertThatThrownBy(() -> read(good + "[1, 2]\n")).hasMessageStartingWith("t.jsonl:2: expected a JSON object");
        assertThatThrownBy(() -> read(good + "{\"timestamp\": 1, \"input_length\": 0, \"output_length\": 5, \"hash_ids\": []}\n"))
                .hasMessage("t.jsonl:2: \"input_length\" is 0: a request has a prompt");
    }

    @Test
    void timeMustNotGoBackwards() {
        assertThatThrownBy(() -> read("""
                {"timestamp": 50, "input_length": 600, "output_length": 5, "hash_ids": [1, 2]}
                {"timestamp": 49, "input_length": 600, "output_length": 5, "hash_ids": [1, 2]}
                """)).hasMessage("t.jsonl:2: \"timestamp\" 49 is earlier than the line before's (50); a trace is in time order");
    }

    @Test
    void anEmptyOrMissingFileIsAnError() throws Exception {
        assertThatThrownBy(() -> read("\n\n")).hasMessage("t.jsonl: no requests (one JSON object per line expected)");
        Path missing = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> TraceReader.read(missing)).isInstanceOf(TraceException.class).hasMessage(missing + ": no such file");
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"timestamp\": 3, \"input_length\": 10, \"output_length\": 5, \"hash_ids\": [7]}");
        assertThat(TraceReader.read(file).requests()).hasSize(1); // no newline at the end
    }

    @Test
    void aPartIsAStretchOfTime() throws Exception {
        Trace t = read("""
                {"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 49, "input_length": 10, "output_length": 1, "hash_ids": [2]}
                {"timestamp": 50, "input_length": 10, "output_length": 1, "hash_ids": [3]}
                {"timestamp": 100, "input_length": 10, "output_length": 1, "hash_ids": [4]}
                """);
        assertThat(t.part(1, 2).requests()).extracting(r -> r.timestampMs()).containsExactly(0L, 49L);
        assertThat(t.part(2, 2).requests()).extracting(r -> r.timestampMs()).containsExactly(50L, 100L);
        assertThat(t.part(1, 1).requests()).hasSize(4);
        assertThatThrownBy(() -> t.part(3, 2)).hasMessageContaining("1 <= K <= N");
    }
}
