package dev.triage.simulate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.triage.catalog.Price;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a dataset manifest ({@code NAME.json}): {@code score.min/max}, and optionally {@code models}
 * with {@code input_per_mtok} and {@code output_per_mtok} (a model may give neither when every outcome
 * of it carries {@code cost_usd}), {@code strong_model}, {@code weak_model}, {@code default_output_tokens},
 * {@code name} and {@code items}. Other keys (description, source, upstream_id) are documentation.
 */
final class ManifestReader {

    /** A manifest and the item count it declares (null when it declares none). */
    record Read(Manifest manifest, Integer declaredItems) {
    }

    // Prices stay exactly as written: 10.0 is read as BigDecimal("10.0"), never through a double.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Path file;
    private final Problems problems;
    private Map<String, Integer> keyLines = Map.of();

    ManifestReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The manifest, or null when it has problems (they are added to {@code problems}). */
    Read read(Path dataset) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(dataset.toString(), "no manifest: expected " + file
                    + " beside it (score scale, strong and weak model, prices)");
            return null;
        } catch (IOException e) {
            problems.add(file.toString(), "cannot read the manifest: " + e);
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
            keyLines = keyLines(text);
        } catch (JsonProcessingException e) {
            problems.add(file + ":" + e.getLocation().getLineNr(), "malformed JSON at column "
                    + e.getLocation().getColumnNr() + ": " + firstLine(e.getOriginalMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add(file + ":1", "expected a JSON object");
            return null;
        }
        int before = problems.found();
        String fallbackName = file.getFileName().toString().replaceFirst("\\.json$", "");
        String name = root.hasNonNull("name") ? string(root, "/name") : fallbackName;
        double min = number(root, "/score/min");
        double max = number(root, "/score/max");
        if (problems.found() == before && !(min < max)) {
            problems.add(where("/score/max"), "score.max must be greater than score.min (" + plain(min) + ")");
        }
        Map<String, Price> prices = prices(root);
        String strong = model(root, "strong_model");
        String weak = model(root, "weak_model");
        Integer defaultOutputTokens = null;
        if (root.has("default_output_tokens")) {
            JsonNode d = root.get("default_output_tokens");
            if (d.canConvertToExactIntegral() && d.canConvertToInt() && d.intValue() >= 0) {
                defaultOutputTokens = d.intValue();
            } else {
                problems.add(where("/default_output_tokens"), "default_output_tokens must be a whole number of tokens, found " + d);
            }
        }
        if (strong != null && strong.equals(weak)) {
            problems.add(where("/weak_model"), "weak_model is the same model as strong_model (" + strong + ")");
        }
        Integer declared = null;
        if (root.has("items")) {
            JsonNode items = root.get("items");
            if (items.canConvertToExactIntegral() && items.canConvertToInt() && items.intValue() >= 0) {
                declared = items.intValue();
            } else {
                problems.add(where("/items"), "items must be a whole number of lines, found " + items);
            }
        }
        if (problems.found() > before) {
            return null;
        }
        return new Read(new Manifest(name, min, max, prices, strong, weak, defaultOutputTokens), declared);
    }

    private Map<String, Price> prices(JsonNode root) {
        Map<String, Price> prices = new LinkedHashMap<>();
        JsonNode models = root.get("models");
        if (models == null || models.isNull()) {
            return prices; // every outcome must then carry cost_usd; the item reader checks
        }
        if (!models.isObject()) {
            problems.add(where("/models"), "models must map each model id to {input_per_mtok, output_per_mtok}"
                    + " (USD per 1M tokens)");
            return prices;
        }
        for (Map.Entry<String, JsonNode> model : models.properties()) {
            String at = "/models/" + escape(model.getKey());
            if (!model.getValue().isObject()) {
                problems.add(where(at), path(at) + " must be an object with input_per_mtok and output_per_mtok");
                continue;
            }
            if (!model.getValue().has("input_per_mtok") && !model.getValue().has("output_per_mtok")) {
                continue; // no price: its outcomes carry cost_usd
            }
            BigDecimal input = price(root, at + "/input_per_mtok");
            BigDecimal output = price(root, at + "/output_per_mtok");
            if (input != null && output != null) {
                try {
                    prices.put(model.getKey(), new Price(input, output, null, null));
                } catch (IllegalArgumentException e) {
                    problems.add(where(at), path(at) + ": " + e.getMessage());
                }
            }
        }
        return prices;
    }

    private BigDecimal price(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer);
        if (n.isMissingNode() || n.isNull()) {
            problems.add(where(pointer), path(pointer) + " is missing (USD per 1M tokens)");
            return null;
        }
        if (!n.isNumber()) {
            problems.add(where(pointer), path(pointer) + " must be a number, found " + n);
            return null;
        }
        return n.decimalValue();
    }

    private String model(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null; // the simulator picks one from the outcomes
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            problems.add(where("/" + key), key + " must be a model id, found " + n);
            return null;
        }
        return n.textValue();
    }

    private double number(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer);
        if (n.isMissingNode() || n.isNull()) {
            problems.add(where(pointer), path(pointer) + " is missing: the manifest must give the score scale");
            return Double.NaN;
        }
        if (!n.isNumber()) {
            problems.add(where(pointer), path(pointer) + " must be a number, found " + n);
            return Double.NaN;
        }
        return n.doubleValue();
    }

    private String string(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer);
        if (!n.isTextual()) {
            problems.add(where(pointer), path(pointer) + " must be a string, found " + n);
            return "";
        }
        return n.textValue();
    }

    /** {@code file:line} of the key at {@code pointer}, or of its nearest present ancestor. */
    private String where(String pointer) {
        String p = pointer;
        while (!p.isEmpty() && !keyLines.containsKey(p)) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return file + ":" + keyLines.getOrDefault(p, 1);
    }

    // The tree has no positions, so one streaming pass maps each key's JSON pointer to its line.
    private static Map<String, Integer> keyLines(String text) throws JsonProcessingException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = JSON.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    lines.put(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen when parsing a String
        }
        return lines;
    }

    /** {@code /models/gpt-4.5/input_per_mtok} as {@code models."gpt-4.5".input_per_mtok}. */
    private static String path(String pointer) {
        String[] parts = pointer.substring(1).split("/");
        StringBuilder s = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].replace("~1", "/").replace("~0", "~");
            s.append('.').append(i == 1 && parts[0].equals("models") ? '"' + part + '"' : part);
        }
        return s.toString();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** 1.0 as "1", 0.25 as "0.25": scales read as people write them. */
    static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
