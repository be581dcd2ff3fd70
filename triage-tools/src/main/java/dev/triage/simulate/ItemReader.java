package dev.triage.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.triage.chat.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns one line of a dataset into an {@link Item}, or into problems naming that line. */
final class ItemReader {

    // A second object on the line or a repeated key would silently drop data, so both are errors;
    // decimals are read as written, so a recorded cost_usd is never rounded through a double.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // far below what Money holds, far above any single answer
    private static final BigDecimal MAX_COST_USD = BigDecimal.valueOf(1_000_000);

    private final String file;
    private final Manifest manifest;
    private final Problems problems;

    ItemReader(String file, Manifest manifest, Problems problems) {
        this.file = file;
        this.manifest = manifest;
        this.problems = problems;
    }

    /** The item in {@code length} UTF-8 bytes from {@code offset} (line {@code line}), or null when the line has problems. */
    Item read(byte[] bytes, int offset, int length, int line) {
        String at = file + ":" + line;
        JsonNode root;
        try {
            root = JSON.readTree(bytes, offset, length);
        } catch (MismatchedInputException e) {
            problems.add(at, "more than one JSON value at column " + e.getLocation().getColumnNr()
                    + " (the format is one object per line)");
            return null;
        } catch (JsonProcessingException e) {
            problems.add(at, "malformed JSON at column " + e.getLocation().getColumnNr() + ": "
                    + ManifestReader.firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the bytes are in memory
        }
        if (!root.isObject()) {
            problems.add(at, "expected a JSON object, found " + root.getNodeType().name().toLowerCase());
            return null;
        }
        int before = problems.found();
        String id = id(root, at);
        String category = category(root, at);
        ArrayNode messages = messages(root, at);
        Map<String, Outcome> outcomes = outcomes(root, at);
        if (outcomes != null) {
            if (manifest.strongModel() != null) {
                requireOutcome(root.get("outcomes"), manifest.strongModel(), "strong", at);
            }
            if (manifest.weakModel() != null) {
                requireOutcome(root.get("outcomes"), manifest.weakModel(), "weak", at);
            }
        }
        return problems.found() > before ? null : new Item(id, category, messages, outcomes, fields(root));
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("id", "category", "messages", "outcomes");

    private static Map<String, String> fields(JsonNode root) {
        Map<String, String> fields = new LinkedHashMap<>();
        root.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!KNOWN.contains(e.getKey()) && (v.isTextual() || v.isNumber() || v.isBoolean())) {
                fields.put(e.getKey(), v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : v.asText());
            }
        });
        return fields;
    }

    private String id(JsonNode root, String at) {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            problems.add(at, "\"id\" is missing");
            return null;
        }
        if (!id.isTextual() || id.textValue().isBlank()) {
            problems.add(at, "\"id\" must be a non-empty string, found " + id);
            return null;
        }
        return id.textValue();
    }

    private String category(JsonNode root, String at) {
        JsonNode c = root.get("category");
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isTextual()) {
            problems.add(at, "\"category\" must be a string, found " + c);
            return null;
        }
        return c.textValue();
    }

    private ArrayNode messages(JsonNode root, String at) {
        JsonNode m = root.get("messages");
        if (m == null || m.isNull()) {
            problems.add(at, "\"messages\" is missing");
            return null;
        }
        if (!m.isArray() || m.isEmpty()) {
            problems.add(at, "\"messages\" must be a non-empty array of {role, content} objects");
            return null;
        }
        for (int i = 0; i < m.size(); i++) {
            JsonNode message = m.get(i);
            if (!message.isObject()) {
                problems.add(at, "messages[" + i + "] must be an object with \"role\" and \"content\"");
                continue;
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || role.textValue().isBlank()) {
                problems.add(at, "messages[" + i + "].role must be a string such as \"user\"");
            }
            JsonNode content = message.get("content");
            // OpenAI allows content parts, and a null content on an assistant turn that calls tools.
            boolean toolTurn = (content == null || content.isNull()) && message.hasNonNull("tool_calls");
            if (!toolTurn && (content == null || !(content.isTextual() || content.isArray()))) {
                problems.add(at, "messages[" + i + "].content must be a string or an array of content parts");
            }
        }
        return (ArrayNode) m;
    }

    private Map<String, Outcome> outcomes(JsonNode root, String at) {
        JsonNode o = root.get("outcomes");
        if (o == null || o.isNull()) {
            problems.add(at, "\"outcomes\" is missing");
            return null;
        }
        if (!o.isObject() || o.isEmpty()) {
            problems.add(at, "\"outcomes\" must map model ids to {score, response?, output_tokens?}");
            return null;
        }
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : o.properties()) {
            Outcome outcome = outcome(entry.getValue(), "outcomes.\"" + entry.getKey() + "\"", at);
            if (outcome != null) {
                outcomes.put(entry.getKey(), outcome);
            }
        }
        return outcomes;
    }

    private Outcome outcome(JsonNode o, String path, String at) {
        if (!o.isObject()) {
            problems.add(at, path + " must be an object {score, response?, output_tokens?}");
            return null;
        }
        int before = problems.found();
        JsonNode score = o.get("score");
        if (score == null || score.isNull()) {
            problems.add(at, path + ".score is missing");
        } else if (!score.isNumber()) {
            problems.add(at, path + ".score must be a number, found " + score);
        } else if (!manifest.onScale(score.doubleValue())) {
            problems.add(at, path + ".score " + ManifestReader.plain(score.doubleValue())
                    + " is outside the manifest's scale [" + ManifestReader.plain(manifest.scoreMin()) + ", "
                    + ManifestReader.plain(manifest.scoreMax()) + "]");
        }
        JsonNode response = o.get("response");
        if (response != null && !response.isNull() && !response.isTextual()) {
            problems.add(at, path + ".response must be a string, found " + response.getNodeType().name().toLowerCase());
        }
        Integer outputTokens = null;
        JsonNode tokens = o.get("output_tokens");
        if (tokens != null && !tokens.isNull()) {
            if (!tokens.isIntegralNumber() || !tokens.canConvertToInt()) {
                problems.add(at, path + ".output_tokens must be a whole number, found " + tokens);
            } else if (tokens.intValue() < 0) {
                problems.add(at, path + ".output_tokens cannot be negative, found " + tokens.intValue());
            } else {
                outputTokens = tokens.intValue();
            }
        }
        Money cost = cost(o.get("cost_usd"), path, at);
        if (problems.found() > before) {
            return null;
        }
        String text = response == null || response.isNull() ? null : response.textValue();
        return new Outcome(score.doubleValue(), text, outputTokens, cost);
    }

    /** The recorded cost, rounded half-even to the picodollar, or null when the outcome has none. */
    private Money cost(JsonNode c, String path, String at) {
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isNumber()) {
            problems.add(at, path + ".cost_usd must be a number of US dollars, found " + c);
            return null;
        }
        BigDecimal usd = c.decimalValue();
        if (usd.signum() < 0) {
            problems.add(at, path + ".cost_usd cannot be negative, found " + usd.toPlainString());
            return null;
        }
        if (usd.compareTo(MAX_COST_USD) > 0) {
            problems.add(at, path + ".cost_usd " + usd.toPlainString() + " is more than one answer can cost ($" + MAX_COST_USD + ")");
            return null;
        }
        return Money.ofUsd(usd.setScale(12, RoundingMode.HALF_EVEN));
    }

    private void requireOutcome(JsonNode outcomes, String model, String role, String at) {
        if (!outcomes.has(model)) {
            problems.add(at, "no outcome for the " + role + " model \"" + model + "\"");
        }
    }
}
