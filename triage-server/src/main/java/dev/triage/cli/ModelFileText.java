package dev.triage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;

/** A model file's header ({@code ModelFile.header}) as {@code triage train} prints it: a readable table, or JSON. */
final class ModelFileText {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFileText() {
    }

    static String table(Path file, long bytes, JsonNode h) {
        StringBuilder b = new StringBuilder();
        JsonNode s = h.path("settings");
        b.append(String.format(Locale.ROOT, "%s: Triage model file, format version %d, %s%n", file,
                h.path("format_version").asInt(), size(bytes)));
        row(b, "trained at", h.path("trained_at").asText());
        row(b, "source", h.path("source").asText());
        if (h.path("source_sha256").isTextual()) {
            row(b, "sha256", h.path("source_sha256").asText());
        }
        row(b, "examples", String.format(Locale.ROOT, "%,d prompts", h.path("examples").asInt()));
        row(b, "embeddings", h.path("embedder").asText());
        row(b, "settings", String.format(Locale.ROOT, "%d neighbours, l2 %s, acceptance heads from %d answers",
                s.path("neighbours").asInt(), s.path("l2").asText(), s.path("min_answers").asInt()));
        b.append('\n');
        String head = String.format(Locale.ROOT, "%-28s %9s %9s %10s  %s%n", "model", "outcomes", "answers", "mean score",
                "cascade scorer (acceptance head)");
        b.append(head).append("-".repeat(head.length() - 1)).append('\n');
        for (JsonNode m : h.path("models")) {
            b.append(String.format(Locale.ROOT, "%-28s %,9d %,9d %10.3f  %s%n", m.path("id").asText(), m.path("outcomes").asInt(),
                    m.path("answers").asInt(), m.path("mean_score").asDouble(), acceptance(m, s.path("min_answers").asInt())));
        }
        return b.toString();
    }

    /** {@code {"file", "bytes", "header"}}, the header exactly as stored. */
    static String json(Path file, long bytes, JsonNode header) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file.toString());
        o.put("bytes", bytes);
        o.set("header", header);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the model's answers can be judged, and if not, why not (the trainer's rule). */
    private static String acceptance(JsonNode m, int minAnswers) {
        int answers = m.path("answers").asInt();
        if (!m.path("acceptance").isNull() && !m.path("acceptance").isMissingNode()) {
            return answers == 0 ? "yes, from the prompt only: no answer texts recorded" : "yes";
        }
        if (answers == 0) {
            return "no: no answer texts recorded";
        }
        if (answers < minAnswers) {
            return "no: " + answers + " answers, needs " + minAnswers;
        }
        return "no: its answers were all good or all bad";
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-12s %s%n", name, value));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
