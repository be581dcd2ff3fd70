package dev.triage.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A JSON value valid against a JSON Schema, made up the way a model answering under that schema would
 * write one: the same seed gives the same value, free-text strings take the names the prompt mentions
 * (see {@link #names}) before falling back to words of the simulated answer.
 *
 * <p>Understood: {@code type} (one type, or a list: the first that is not {@code null}), {@code const},
 * {@code enum}, {@code default}; objects ({@code properties}, {@code required}, {@code additionalProperties},
 * {@code minProperties}/{@code maxProperties}, {@code dependentRequired}); arrays ({@code items},
 * {@code prefixItems} and draft-7 tuple {@code items}, {@code minItems}/{@code maxItems}, {@code uniqueItems},
 * {@code contains}); numbers and integers ({@code minimum}/{@code maximum}, {@code exclusiveMinimum}/
 * {@code exclusiveMaximum} in both the numeric and the draft-4 boolean form, {@code multipleOf}); strings
 * ({@code minLength}/{@code maxLength}, the common {@code format}s: date, date-time, time, email, uri,
 * uuid, hostname, ipv4, ipv6, duration; a {@code pattern} made of literals, classes, groups, alternatives
 * and quantifiers); {@code $ref} to {@code #}, {@code #/$defs/…} or {@code #/definitions/…} (recursion
 * stops at optional properties and empty arrays); {@code allOf} (merged), {@code anyOf}/{@code oneOf}
 * (the first branch that is not only {@code null}). {@code not}, {@code if}/{@code then}/{@code else} and
 * remote references are not followed.
 */
final class SchemaSampler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Below this depth optional properties are filled in and arrays get an item or two; deeper, only what is required. */
    private static final int FULL_DEPTH = 4;
    /** A schema that requires itself forever gets a null this deep rather than a stack overflow. */
    private static final int MAX_DEPTH = 32;
    /** How many $ref, allOf, anyOf and oneOf steps one schema may take before it is taken as it stands. */
    private static final int MAX_RESOLUTIONS = 64;
    private static final Pattern LONG_TEXT_KEY = Pattern.compile(
            "(?i).*(description|summary|reason|explanation|text|content|answer|comment|note|message|body|details|rationale).*");
    private static final LocalDate EPOCH = LocalDate.of(2024, 1, 1);

    private final JsonNode root;
    private final SplittableRandom random;
    private final List<String> names;
    private final int rotation;
    private final String[] words;
    private int freeStrings;
    /** How deep the value being made is: deep down, a nullable value is null (a recursive type ends). */
    private int depth;

    /**
     * @param root     the schema
     * @param seed     the value's seed
     * @param names    names from the prompt, for free-text strings
     * @param rotation which name the first free-text string takes (the choice index: choices differ)
     * @param words    the vocabulary of free text when the prompt has no name left
     */
    SchemaSampler(JsonNode root, long seed, List<String> names, int rotation, String[] words) {
        this.root = root;
        this.random = new SplittableRandom(seed);
        this.names = names;
        this.rotation = rotation;
        this.words = words;
    }

    /** A value valid against the schema. */
    JsonNode sample() {
        return value(root, 0, "");
    }

    private JsonNode value(JsonNode schema, int depth, String key) {
        if (depth > MAX_DEPTH) {
            return NODES.nullNode();
        }
        this.depth = depth;
        ObjectNode s = resolve(schema);
        if (s.has("const")) {
            return s.get("const").deepCopy();
        }
        JsonNode options = s.path("enum");
        if (options.isArray() && !options.isEmpty()) {
            return options.get(random.nextInt(options.size())).deepCopy();
        }
        if (s.has("default") && !s.get("default").isNull()) {
            return s.get("default").deepCopy();
        }
        return switch (type(s)) {
            case "object" -> object(s, depth);
            case "array" -> array(s, depth, key);
            case "integer" -> integer(s);
            case "number" -> number(s);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(string(s, key));
        };
    }

    // ---- $ref, allOf, anyOf, oneOf ----

    /** The schema with its references followed and its combinations merged into one plain object schema. */
    private ObjectNode resolve(JsonNode schema) {
        ObjectNode s = schema != null && schema.isObject() ? (ObjectNode) schema : NODES.objectNode();
        for (int step = 0; step < MAX_RESOLUTIONS; step++) {
            if (s.has("$ref")) {
                JsonNode target = pointer(s.get("$ref").asText(""));
                ObjectNode rest = without(s, "$ref");
                s = target == null ? rest : merge(target.isObject() ? (ObjectNode) target : NODES.objectNode(), rest);
            } else if (s.path("allOf").isArray()) {
                ObjectNode merged = without(s, "allOf");
                for (JsonNode part : s.get("allOf")) {
                    merged = merge(merged, resolve(part));
                }
                s = merged;
            } else if (s.path("anyOf").isArray() && !s.get("anyOf").isEmpty()) {
                s = merge(without(s, "anyOf"), resolve(branch(s.get("anyOf"))));
            } else if (s.path("oneOf").isArray() && !s.get("oneOf").isEmpty()) {
                s = merge(without(s, "oneOf"), resolve(branch(s.get("oneOf"))));
            } else {
                return s;
            }
        }
        return without(s, "$ref", "allOf", "anyOf", "oneOf");
    }

    /**
     * The first alternative that allows something besides null (a nullable field gets a value), else the first;
     * deep down, the null one if there is one (a recursive type ends).
     */
    private JsonNode branch(JsonNode alternatives) {
        for (JsonNode alternative : alternatives) {
            boolean onlyNull = isOnlyNull(alternative);
            if (depth >= FULL_DEPTH ? onlyNull : !onlyNull) {
                return alternative;
            }
        }
        return depth >= FULL_DEPTH ? branchWithValue(alternatives) : alternatives.get(0);
    }

    private JsonNode branchWithValue(JsonNode alternatives) {
        for (JsonNode alternative : alternatives) {
            if (!isOnlyNull(alternative)) {
                return alternative;
            }
        }
        return alternatives.get(0);
    }

    private static boolean isOnlyNull(JsonNode schema) {
        return "null".equals(schema.path("type").asText("")) || (schema.has("const") && schema.get("const").isNull());
    }

    /** A local reference: {@code #} or a JSON pointer into the root schema; null for anything else. */
    private JsonNode pointer(String ref) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode target = root;
        for (String part : ref.substring(2).split("/", -1)) {
            String step = java.net.URLDecoder.decode(part.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("~1", "/").replace("~0", "~");
            target = target.isArray() && step.chars().allMatch(Character::isDigit) && !step.isEmpty()
                    ? target.path(Integer.parseInt(step)) : target.path(step);
            if (target.isMissingNode()) {
                return null;
            }
        }
        return target;
    }

    private static ObjectNode without(ObjectNode s, String... keys) {
        ObjectNode copy = s.deepCopy();
        copy.remove(List.of(keys));
        return copy;
    }

    /** Both schemas at once, as far as a sampler needs: bounds narrowed, properties and required joined. */
    private static ObjectNode merge(ObjectNode a, ObjectNode b) {
        ObjectNode out = a.deepCopy();
        for (Map.Entry<String, JsonNode> field : b.properties()) {
            String k = field.getKey();
            JsonNode v = field.getValue();
            JsonNode mine = out.get(k);
            if (mine == null) {
                out.set(k, v.deepCopy());
                continue;
            }
            switch (k) {
                case "properties" -> {
                    if (mine.isObject() && v.isObject()) {
                        ObjectNode props = (ObjectNode) mine;
                        for (Map.Entry<String, JsonNode> p : v.properties()) {
                            JsonNode existing = props.get(p.getKey());
                            if (existing == null) {
                                props.set(p.getKey(), p.getValue().deepCopy());
                            } else {
                                ObjectNode both = NODES.objectNode();
                                both.putArray("allOf").add(existing).add(p.getValue().deepCopy());
                                props.set(p.getKey(), both);
                            }
                        }
                    }
                }
                case "required" -> {
                    Set<String> all = new LinkedHashSet<>();
                    mine.forEach(n -> all.add(n.asText()));
                    v.forEach(n -> all.add(n.asText()));
                    ArrayNode required = NODES.arrayNode();
                    all.forEach(required::add);
                    out.set(k, required);
                }
                case "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties" -> {
                    if (v.isNumber() && mine.isNumber() && v.decimalValue().compareTo(mine.decimalValue()) > 0) {
                        out.set(k, v);
                    }
                }
                case "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties" -> {
                    if (v.isNumber() && mine.isNumber() && v.decimalValue().compareTo(mine.decimalValue()) < 0) {
                        out.set(k, v);
                    }
                }
                case "type" -> out.set(k, commonType(mine, v));
                default -> {
                    // the first schema's word stands
                }
            }
        }
        return out;
    }

    private static JsonNode commonType(JsonNode a, JsonNode b) {
        Set<String> left = types(a);
        Set<String> right = types(b);
        for (String t : left) {
            if (right.contains(t) || (t.equals("integer") && right.contains("number"))) {
                return NODES.textNode(t);
            }
        }
        for (String t : right) {
            if (t.equals("integer") && left.contains("number")) {
                return NODES.textNode(t);
            }
        }
        return a;
    }

    private static Set<String> types(JsonNode type) {
        Set<String> out = new LinkedHashSet<>();
        if (type.isTextual()) {
            out.add(type.asText());
        }
        type.forEach(t -> out.add(t.asText()));
        return out;
    }

    /** The schema's type: the first listed that is not null, else what its keywords imply, else string. */
    private static String type(JsonNode s) {
        JsonNode type = s.path("type");
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray() && !type.isEmpty()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (s.has("properties") || s.has("required") || s.has("additionalProperties") || s.has("minProperties")
                || s.has("patternProperties")) {
            return "object";
        }
        if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems") || s.has("contains")) {
            return "array";
        }
        if (s.has("minimum") || s.has("maximum") || s.has("exclusiveMinimum") || s.has("exclusiveMaximum") || s.has("multipleOf")) {
            return "number";
        }
        return "string";
    }

    // ---- objects and arrays ----

    private ObjectNode object(ObjectNode s, int depth) {
        ObjectNode out = NODES.objectNode();
        JsonNode props = s.path("properties").isObject() ? s.get("properties") : NODES.objectNode();
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(n -> required.add(n.asText()));
        long maxProps = s.path("maxProperties").canConvertToLong() ? s.get("maxProperties").asLong() : Long.MAX_VALUE;
        long minProps = s.path("minProperties").asLong(0);

        Set<String> chosen = new LinkedHashSet<>(required);
        if (depth < FULL_DEPTH) {
            for (Iterator<String> it = props.fieldNames(); it.hasNext() && chosen.size() < maxProps; ) {
                chosen.add(it.next());
            }
        }
        for (Iterator<String> it = props.fieldNames(); it.hasNext() && chosen.size() < minProps; ) {
            chosen.add(it.next());
        }
        addDependencies(s, chosen, props);

        // in the schema's own order, then required names it does not describe
        List<String> order = new ArrayList<>();
        props.fieldNames().forEachRemaining(name -> {
            if (chosen.contains(name)) {
                order.add(name);
            }
        });
        chosen.stream().filter(name -> !props.has(name)).forEach(order::add);
        for (String name : order) {
            out.set(name, value(props.has(name) ? props.get(name) : extra(s), depth + 1, name));
        }
        JsonNode additional = s.path("additionalProperties");
        for (int i = 1; out.size() < minProps && !(additional.isBoolean() && !additional.asBoolean()) && i < 1000; i++) {
            String name = "field_" + i;
            if (!out.has(name)) {
                out.set(name, value(extra(s), depth + 1, name));
            }
        }
        return out;
    }

    /** The schema of a property the object's {@code properties} do not describe. */
    private static JsonNode extra(JsonNode s) {
        JsonNode additional = s.path("additionalProperties");
        return additional.isObject() ? additional : NODES.objectNode().put("type", "string");
    }

    /** {@code dependentRequired} and draft-7 {@code dependencies} (name lists): a present property brings its dependents. */
    private static void addDependencies(JsonNode s, Set<String> chosen, JsonNode props) {
        for (String keyword : List.of("dependentRequired", "dependencies")) {
            JsonNode deps = s.path(keyword);
            boolean grew = true;
            while (deps.isObject() && grew) {
                grew = false;
                for (Map.Entry<String, JsonNode> dep : deps.properties()) {
                    if (chosen.contains(dep.getKey()) && dep.getValue().isArray()) {
                        for (JsonNode name : dep.getValue()) {
                            grew |= chosen.add(name.asText());
                        }
                    }
                }
            }
        }
    }

    private ArrayNode array(ObjectNode s, int depth, String key) {
        List<JsonNode> prefix = new ArrayList<>();
        JsonNode items = s.path("items");
        JsonNode rest;
        if (s.path("prefixItems").isArray()) {
            s.get("prefixItems").forEach(prefix::add);
            rest = items;
        } else if (items.isArray()) {
            items.forEach(prefix::add);
            rest = s.path("additionalItems");
        } else {
            rest = items;
        }
        boolean closed = rest.isBoolean() && !rest.asBoolean();
        long min = s.path("minItems").asLong(0);
        long max = s.path("maxItems").canConvertToLong() ? s.get("maxItems").asLong() : Long.MAX_VALUE;
        if (closed) {
            max = Math.min(max, prefix.size());
        }
        long count = depth < FULL_DEPTH ? (prefix.isEmpty() ? 1 + random.nextInt(2) : prefix.size()) : 0;
        count = Math.min(Math.max(count, min), Math.min(max, 1000));
        if (s.has("contains") && count == 0 && max > 0) {
            count = 1;
        }
        boolean unique = s.path("uniqueItems").asBoolean(false);
        ArrayNode out = NODES.arrayNode();
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonNode itemSchema = i < prefix.size() ? prefix.get(i) : (rest.isMissingNode() || rest.isBoolean() ? NODES.objectNode() : rest);
            if (i == prefix.size() && s.has("contains")) {
                itemSchema = s.get("contains");
            }
            JsonNode item = value(itemSchema, depth + 1, key);
            for (int attempt = 0; unique && seen.contains(item) && attempt < 64; attempt++) {
                item = value(itemSchema, depth + 1, key);
            }
            if (unique && !seen.add(item)) {
                break; // no other value to give: fewer items rather than a duplicate
            }
            out.add(item);
        }
        return out;
    }

    // ---- numbers ----

    private JsonNode integer(ObjectNode s) {
        Bounds b = bounds(s);
        BigInteger lo = b.lo == null ? null : (b.loExclusive ? floor(b.lo).add(BigInteger.ONE) : ceil(b.lo));
        BigInteger hi = b.hi == null ? null : (b.hiExclusive ? ceil(b.hi).subtract(BigInteger.ONE) : floor(b.hi));
        if (lo == null && hi == null) {
            lo = BigInteger.ONE;
            hi = BigInteger.valueOf(100);
        } else if (lo == null) {
            lo = hi.subtract(BigInteger.valueOf(99)).max(hi.min(BigInteger.ZERO));
        } else if (hi == null) {
            hi = lo.add(BigInteger.valueOf(99)).max(BigInteger.valueOf(100).min(lo.add(BigInteger.valueOf(1000))));
        }
        BigDecimal step = s.path("multipleOf").isNumber() && s.get("multipleOf").decimalValue().signum() > 0
                ? s.get("multipleOf").decimalValue() : null;
        if (step != null) {
            // the multiples of step that are whole numbers are the multiples of step's smallest whole multiple
            BigDecimal whole = step;
            for (int k = 2; whole.stripTrailingZeros().scale() > 0 && k < 1_000_000; k++) {
                whole = step.multiply(BigDecimal.valueOf(k));
            }
            BigDecimal value = multipleWithin(new BigDecimal(lo), new BigDecimal(hi), false, false, whole);
            return NODES.numberNode(value == null ? lo : value.toBigInteger());
        }
        if (hi.compareTo(lo) < 0) {
            return NODES.numberNode(lo);
        }
        BigInteger span = hi.subtract(lo).min(BigInteger.valueOf(1_000_000));
        BigInteger value = lo.add(BigInteger.valueOf(random.nextLong(span.longValue() + 1)));
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private JsonNode number(ObjectNode s) {
        Bounds b = bounds(s);
        BigDecimal lo = b.lo;
        BigDecimal hi = b.hi;
        if (lo == null && hi == null) {
            lo = BigDecimal.ZERO;
            hi = BigDecimal.valueOf(100);
        } else if (lo == null) {
            lo = hi.subtract(BigDecimal.valueOf(100));
        } else if (hi == null) {
            hi = lo.add(BigDecimal.valueOf(100));
        }
        BigDecimal step = s.path("multipleOf").isNumber() && s.get("multipleOf").decimalValue().signum() > 0
                ? s.get("multipleOf").decimalValue() : null;
        BigDecimal value;
        if (step != null) {
            value = multipleWithin(lo, hi, b.loExclusive, b.hiExclusive, step);
            if (value == null) {
                value = lo;
            }
        } else {
            BigDecimal span = hi.subtract(lo);
            value = lo.add(span.multiply(BigDecimal.valueOf(random.nextDouble()))).setScale(2, RoundingMode.HALF_EVEN);
            if (!within(value, lo, hi, b.loExclusive, b.hiExclusive)) {
                value = lo.add(hi).divide(BigDecimal.valueOf(2));
            }
        }
        return decimal(value);
    }

    /** A multiple of {@code step} within the bounds, or null if there is none. */
    private BigDecimal multipleWithin(BigDecimal lo, BigDecimal hi, boolean loEx, boolean hiEx, BigDecimal step) {
        BigInteger first = ceil(lo.divide(step, 30, RoundingMode.CEILING));
        BigInteger last = floor(hi.divide(step, 30, RoundingMode.FLOOR));
        if (loEx && within(new BigDecimal(first).multiply(step), lo, lo, false, false)) {
            first = first.add(BigInteger.ONE);
        }
        if (hiEx && within(new BigDecimal(last).multiply(step), hi, hi, false, false)) {
            last = last.subtract(BigInteger.ONE);
        }
        if (last.compareTo(first) < 0) {
            return null;
        }
        BigInteger span = last.subtract(first).min(BigInteger.valueOf(1_000_000));
        BigInteger k = first.add(BigInteger.valueOf(random.nextLong(span.longValue() + 1)));
        return new BigDecimal(k).multiply(step);
    }

    private static boolean within(BigDecimal v, BigDecimal lo, BigDecimal hi, boolean loEx, boolean hiEx) {
        int l = v.compareTo(lo);
        int h = v.compareTo(hi);
        return (loEx ? l > 0 : l >= 0) && (hiEx ? h < 0 : h <= 0);
    }

    private static JsonNode decimal(BigDecimal v) {
        BigDecimal plain = v.stripTrailingZeros();
        if (plain.scale() <= 0) {
            BigInteger whole = plain.toBigIntegerExact();
            return whole.bitLength() < 64 ? NODES.numberNode(whole.longValue()) : NODES.numberNode(whole);
        }
        return NODES.numberNode(plain);
    }

    private static BigInteger ceil(BigDecimal v) {
        return v.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    private static BigInteger floor(BigDecimal v) {
        return v.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    private record Bounds(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {
    }

    /** The numeric bounds, with {@code exclusiveMinimum} as a number (draft 6 on) or as a flag on {@code minimum} (draft 4). */
    private static Bounds bounds(JsonNode s) {
        BigDecimal lo = s.path("minimum").isNumber() ? s.get("minimum").decimalValue() : null;
        boolean loEx = s.path("exclusiveMinimum").asBoolean(false) && s.get("exclusiveMinimum").isBoolean();
        if (s.path("exclusiveMinimum").isNumber()) {
            BigDecimal ex = s.get("exclusiveMinimum").decimalValue();
            if (lo == null || ex.compareTo(lo) >= 0) {
                lo = ex;
                loEx = true;
            }
        }
        BigDecimal hi = s.path("maximum").isNumber() ? s.get("maximum").decimalValue() : null;
        boolean hiEx = s.path("exclusiveMaximum").asBoolean(false) && s.get("exclusiveMaximum").isBoolean();
        if (s.path("exclusiveMaximum").isNumber()) {
            BigDecimal ex = s.get("exclusiveMaximum").decimalValue();
            if (hi == null || ex.compareTo(hi) <= 0) {
                hi = ex;
                hiEx = true;
            }
        }
        return new Bounds(lo, loEx && lo != null, hi, hiEx && hi != null);
    }

    // ---- strings ----

    private String string(ObjectNode s, String key) {
        String format = s.path("format").asText("");
        String formatted = formatted(format);
        if (formatted != null) {
            return formatted;
        }
        String text = fitLength(freeText(key), s);
        String pattern = s.path("pattern").asText(null);
        if (pattern != null && !matches(pattern, text)) {
            String made = new PatternSampler(pattern, random).sample();
            if (made != null && matches(pattern, made)) {
                return made;
            }
        }
        return text;
    }

    private String formatted(String format) {
        LocalDate day = EPOCH.plusDays(random.nextInt(3 * 365));
        String time = String.format(Locale.ROOT, "%02d:%02d:00", 8 + random.nextInt(10), 5 * random.nextInt(12));
        String word = words[random.nextInt(words.length)];
        return switch (format) {
            case "date" -> day.toString();
            case "date-time" -> day + "T" + time + "Z";
            case "time" -> time + "Z";
            case "email", "idn-email" -> word + "@example.com";
            case "uri", "url", "iri" -> "https://example.com/" + word;
            case "uri-reference", "iri-reference" -> "/" + word;
            case "uuid" -> new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (1L << 63)).toString();
            case "hostname", "idn-hostname" -> word + ".example.com";
            case "ipv4" -> "192.0.2." + (1 + random.nextInt(254));
            case "ipv6" -> "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfffe));
            case "duration" -> "PT" + (1 + random.nextInt(59)) + "M";
            case "json-pointer" -> "/" + word;
            case "regex" -> "^" + word + "$";
            default -> null;
        };
    }

    /** A name from the prompt while it has some left, else a few words; longer for keys that name a text. */
    private String freeText(String key) {
        if (LONG_TEXT_KEY.matcher(key).matches()) {
            return phrase(6 + random.nextInt(5));
        }
        int n = freeStrings++;
        if (n < names.size()) {
            return names.get((n + rotation) % names.size());
        }
        return phrase(2 + random.nextInt(2));
    }

    private String phrase(int length) {
        int start = random.nextInt(words.length);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(i == 0 ? "" : " ").append(words[(start + i) % words.length]);
        }
        return out.toString();
    }

    /** {@code text} lengthened with words or cut to the schema's {@code minLength}/{@code maxLength} (in code points). */
    private String fitLength(String text, JsonNode s) {
        long min = s.path("minLength").asLong(0);
        long max = s.path("maxLength").canConvertToLong() ? s.get("maxLength").asLong() : Long.MAX_VALUE;
        StringBuilder out = new StringBuilder(text);
        int next = random.nextInt(words.length);
        while (out.codePointCount(0, out.length()) < min) {
            out.append(' ').append(words[next++ % words.length]);
        }
        if (out.codePointCount(0, out.length()) > max) {
            out.setLength(out.offsetByCodePoints(0, (int) Math.min(max, Integer.MAX_VALUE)));
            if (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
                out.setCharAt(out.length() - 1, '.');
            }
        }
        return out.toString();
    }

    private static boolean matches(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return true; // a pattern Java cannot read is not one to hold the answer to
        }
    }

    // ---- names in the prompt ----

    private static final Pattern QUOTED = Pattern.compile(
            "\"([^\"\\n]{2,60})\"|“([^”\\n]{2,60})”|(?<![\\p{L}\\p{N}])'([^'\\n]{2,60})'(?![\\p{L}\\p{N}])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’.-]*");

    /** Words that open a request in capitals without being a name ("Compare Berlin and Rome" names Berlin). */
    private static final Set<String> OPENERS = Set.of("what", "what's", "which", "who", "where", "when", "why", "how", "is", "are",
            "can", "could", "would", "should", "will", "do", "does", "please", "find", "get", "show", "tell", "give", "list",
            "book", "compare", "extract", "search", "summarize", "summarise", "translate", "write", "explain", "describe", "make",
            "create", "send", "check", "call", "then", "and", "but", "so", "the", "a", "an", "in", "on", "at", "for", "from", "to",
            "my", "our", "this", "that", "hi", "hello", "hey", "dear", "weather", "name", "use");

    /**
     * What a model would copy from the prompt into a free-text argument: quoted phrases, then runs of capitalised
     * words, in order, once each. A capitalised word that opens a sentence counts only with a capitalised word after
     * it, and not at all when it is a common opener: "Weather in Paris?" names Paris, "Extract: Ada Lovelace, London"
     * Ada Lovelace and London, "Compare Berlin and Rome" Berlin and Rome.
     */
    static List<String> names(String prompt) {
        Set<String> out = new LinkedHashSet<>();
        Matcher quoted = QUOTED.matcher(prompt);
        while (quoted.find()) {
            for (int g = 1; g <= quoted.groupCount(); g++) {
                if (quoted.group(g) != null) {
                    out.add(quoted.group(g).strip());
                }
            }
        }
        Matcher word = WORD.matcher(prompt);
        StringBuilder run = new StringBuilder();
        boolean tentative = false; // the run is one word that opened a sentence
        int runEnd = -1;
        while (word.find()) {
            String w = word.group().replaceAll("[.'’-]+$", "");
            boolean capitalised = !w.isEmpty() && Character.isUpperCase(w.codePointAt(0)) && !w.equals("I");
            if (capitalised && !run.isEmpty() && prompt.substring(runEnd, word.start()).equals(" ")) {
                if (tentative && OPENERS.contains(run.toString().toLowerCase(Locale.ROOT))) {
                    run.setLength(0);
                }
                run.append(run.isEmpty() ? "" : " ").append(w);
                runEnd = word.start() + w.length();
                tentative = false;
                continue;
            }
            if (!run.isEmpty() && !tentative) {
                out.add(run.toString());
            }
            run.setLength(0);
            if (capitalised) {
                run.append(w);
                runEnd = word.start() + w.length();
                tentative = opensSentence(prompt, word.start());
            }
        }
        if (!run.isEmpty() && !tentative) {
            out.add(run.toString());
        }
        return List.copyOf(out);
    }

    private static boolean opensSentence(String text, int at) {
        for (int i = at - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '"' && c != '\'' && c != '(' && c != '“') {
                return c == '.' || c == '!' || c == '?' || c == ':' || c == '\n';
            }
            if (c == '\n') {
                return true;
            }
        }
        return true;
    }

    /** Text matching a regular expression of literals, classes, groups, alternatives and quantifiers. */
    static final class PatternSampler {
        private final String p;
        private final SplittableRandom random;
        private int i;

        PatternSampler(String pattern, SplittableRandom random) {
            this.p = pattern;
            this.random = random;
        }

        /** A match, or null when the pattern uses something this sampler does not know. */
        String sample() {
            try {
                StringBuilder out = new StringBuilder();
                alternatives(out);
                return i == p.length() ? out.toString() : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void alternatives(StringBuilder out) {
            sequence(out);
            while (i < p.length() && p.charAt(i) == '|') {
                i++;
                sequence(new StringBuilder()); // the first alternative stands; the others are read past
            }
        }

        private void sequence(StringBuilder out) {
            while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
                int atStart = i;
                StringBuilder atom = new StringBuilder();
                atom(atom);
                int[] range = quantifier();
                int times = range[0] + (range[1] > range[0] ? random.nextInt(Math.min(range[1], range[0] + 2) - range[0] + 1) : 0);
                if (times > 0) {
                    out.append(atom);
                    for (int t = 1; t < times; t++) {
                        int save = i;
                        i = atStart;
                        StringBuilder again = new StringBuilder();
                        atom(again);
                        i = save;
                        out.append(again);
                    }
                }
            }
        }

        private int[] quantifier() {
            if (i >= p.length()) {
                return new int[] {1, 1};
            }
            char c = p.charAt(i);
            int[] range;
            if (c == '?') {
                range = new int[] {0, 1};
                i++;
            } else if (c == '*') {
                range = new int[] {0, 2};
                i++;
            } else if (c == '+') {
                range = new int[] {1, 2};
                i++;
            } else if (c == '{' && p.indexOf('}', i) > i && p.substring(i + 1, p.indexOf('}', i)).matches("\\d+(,\\d*)?")) {
                String[] parts = p.substring(i + 1, p.indexOf('}', i)).split(",", -1);
                int lo = Integer.parseInt(parts[0]);
                int hi = parts.length == 1 ? lo : parts[1].isEmpty() ? lo + 2 : Integer.parseInt(parts[1]);
                range = new int[] {lo, hi};
                i = p.indexOf('}', i) + 1;
            } else {
                return new int[] {1, 1};
            }
            if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
                i++; // lazy or possessive: the same strings match
            }
            return range;
        }

        private void atom(StringBuilder out) {
            char c = p.charAt(i++);
            switch (c) {
                case '^', '$' -> {
                }
                case '.' -> out.append((char) ('a' + random.nextInt(26)));
                case '(' -> {
                    if (p.startsWith("?:", i)) {
                        i += 2;
                    } else if (p.startsWith("?<", i) && !p.startsWith("?<=", i) && !p.startsWith("?<!", i)) {
                        i = p.indexOf('>', i) + 1;
                    } else if (i < p.length() && p.charAt(i) == '?') {
                        throw new IllegalStateException("lookaround");
                    }
                    alternatives(out);
                    if (i >= p.length() || p.charAt(i) != ')') {
                        throw new IllegalStateException("unclosed group");
                    }
                    i++;
                }
                case '[' -> out.appendCodePoint(charClass());
                case '\\' -> escape(out);
                default -> out.append(c);
            }
        }

        private void escape(StringBuilder out) {
            char e = p.charAt(i++);
            switch (e) {
                case 'd' -> out.append((char) ('0' + random.nextInt(10)));
                case 'w' -> out.append((char) ('a' + random.nextInt(26)));
                case 's' -> out.append(' ');
                case 'b', 'B', 'A', 'z', 'Z' -> {
                }
                case 'D', 'W', 'S' -> out.append(e == 'D' ? 'x' : e == 'W' ? '-' : 'x');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(p.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> {
                    if (Character.isLetterOrDigit(e)) {
                        throw new IllegalStateException("unknown escape");
                    }
                    out.append(e);
                }
            }
        }

        /** One character a bracket expression allows. */
        private int charClass() {
            boolean negated = i < p.length() && p.charAt(i) == '^';
            if (negated) {
                i++;
            }
            List<int[]> ranges = new ArrayList<>();
            boolean first = true;
            while (i < p.length() && (p.charAt(i) != ']' || first)) {
                first = false;
                int lo = classChar(ranges);
                if (lo < 0) {
                    continue;
                }
                if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                    i++;
                    int hi = classChar(ranges);
                    ranges.add(new int[] {lo, hi});
                } else {
                    ranges.add(new int[] {lo, lo});
                }
            }
            i++; // ]
            if (!negated) {
                int[] r = ranges.get(random.nextInt(ranges.size()));
                return r[0] + random.nextInt(r[1] - r[0] + 1);
            }
            for (int tries = 0; tries < 200; tries++) {
                int candidate = tries < 100 ? 'a' + random.nextInt(26) : 0x20 + random.nextInt(0x5f);
                if (ranges.stream().noneMatch(r -> candidate >= r[0] && candidate <= r[1])) {
                    return candidate;
                }
            }
            throw new IllegalStateException("no character outside the class");
        }

        /** A class member; -1 when it was a shorthand class ({@code \d}, {@code \w}, {@code \s}) added to {@code ranges}. */
        private int classChar(List<int[]> ranges) {
            char c = p.charAt(i++);
            if (c != '\\') {
                return c;
            }
            char e = p.charAt(i++);
            switch (e) {
                case 'd' -> ranges.add(new int[] {'0', '9'});
                case 'w' -> {
                    ranges.add(new int[] {'a', 'z'});
                    ranges.add(new int[] {'0', '9'});
                }
                case 's' -> ranges.add(new int[] {' ', ' '});
                case 'n' -> {
                    return '\n';
                }
                case 't' -> {
                    return '\t';
                }
                default -> {
                    if (Character.isLetterOrDigit(e)) {
                        throw new IllegalStateException("unknown escape in a class");
                    }
                    return e;
                }
            }
            return -1;
        }
    }
}
