package dev.triage.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small datasets for loader tests: a manifest and a JSONL file of the given lines. */
final class DatasetFiles {

    /** Strong model "big" ($10 / $30), weak model "small" ($0.24 / $0.24), scores 0 to 1. */
    static final String MANIFEST = """
            {
              "name": "tiny",
              "score": {"min": 0, "max": 1, "kind": "correct"},
              "models": {
                "big": {"input_per_mtok": 10.0, "output_per_mtok": 30.0},
                "small": {"input_per_mtok": 0.24, "output_per_mtok": 0.24}
              },
              "strong_model": "big",
              "weak_model": "small"
            }
            """;

    static final String GOOD_LINE = line("q1", 1.0, 0.0);

    private DatasetFiles() {
    }

    /** A well-formed line: a user message and outcomes of both models. */
    static String line(String id, double big, double small) {
        return "{\"id\": \"" + id + "\", \"category\": \"math\", \"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"outcomes\": {\"big\": {\"score\": " + big + ", \"response\": \"4\"},"
                + " \"small\": {\"score\": " + small + ", \"output_tokens\": 3}}}";
    }

    /** Writes {@code dir/tiny.json} (when manifest is not null) and {@code dir/tiny.jsonl}, returning the latter. */
    static Path write(Path dir, String manifest, String... lines) {
        try {
            if (manifest != null) {
                Files.writeString(dir.resolve("tiny.json"), manifest);
            }
            return Files.writeString(dir.resolve("tiny.jsonl"), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
