package dev.triage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A paraphrase pair of GPTCache's benchmark format: a JSON array of {@code {"origin": …, "similar": …}}. */
record CachePairs(String origin, String similar) {

    /** Raised with a message that names the file and what is wrong with it. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static List<CachePairs> read(Path file) throws Invalid {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new Invalid(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new Invalid(file + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (root == null || !root.isArray()) {
            throw new Invalid(file + ": expected a JSON array of {\"origin\", \"similar\"} objects, found "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        List<CachePairs> pairs = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            JsonNode origin = item.get("origin");
            JsonNode similar = item.get("similar");
            if (origin == null || !origin.isTextual() || similar == null || !similar.isTextual()) {
                throw new Invalid(file + ": item " + i + " is not an object with string fields \"origin\" and \"similar\"");
            }
            pairs.add(new CachePairs(origin.asText(), similar.asText()));
        }
        return pairs;
    }
}
