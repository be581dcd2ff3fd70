package dev.triage.config;

import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML mapping being read, with typed access to its keys. Every problem is recorded in the
 * {@link ReadContext} with the offending node's position and key path, and reading goes on, so
 * one pass finds every error.
 */
final class Mapping {

    /** One element of a list value, with where it is. */
    record Item(String text, Node node, String path) {
    }

    // Money holds up to Long.MAX_VALUE picodollars, about 9.22 million USD.
    private static final long LARGEST_BUDGET_USD = 9_223_372L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    private final ReadContext ctx;
    private final Node owner;
    private final String path;
    private final Map<String, NodeTuple> entries;
    private final boolean wrongType;

    private Mapping(ReadContext ctx, Node owner, String path, Map<String, NodeTuple> entries, boolean wrongType) {
        this.ctx = ctx;
        this.owner = owner;
        this.path = path;
        this.entries = entries;
        this.wrongType = wrongType;
    }

    /** Whether a provider or route name is usable: letters, digits, '_', '.', '-', not starting with punctuation. */
    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Reads {@code value} as a mapping. Absent or YAML null reads as empty; anything else that is
     * not a mapping is an error. {@code owner} (the key naming it) is where "missing" errors point.
     */
    static Mapping of(Node owner, Node value, String path, ReadContext ctx) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        boolean wrongType = false;
        if (value != null && !ReadContext.isNull(value)) {
            if (value instanceof MappingNode mapping) {
                for (NodeTuple t : mapping.getValue()) {
                    addEntry(t, path, entries, ctx);
                }
            } else {
                ctx.error(value, path, "expected a mapping, got " + ReadContext.describe(value));
                wrongType = true;
            }
        }
        return new Mapping(ctx, owner, path, Collections.unmodifiableMap(entries), wrongType);
    }

    private static void addEntry(NodeTuple t, String path, Map<String, NodeTuple> entries, ReadContext ctx) {
        if (!(t.getKeyNode() instanceof ScalarNode key) || ReadContext.isNull(t.getKeyNode())) {
            ctx.error(t.getKeyNode(), path, "keys must be plain names, got " + ReadContext.describe(t.getKeyNode()));
            return;
        }
        String name = key.getValue();
        if (name.equals("<<")) {
            ctx.error(key, path, "merge keys (<<) are not supported; write the keys out");
            return;
        }
        NodeTuple first = entries.get(name);
        if (first != null) {
            int line = first.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
            ctx.error(key, child(path, name), "duplicate key (first given on line " + line + ")");
            return;
        }
        entries.put(name, t);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** True when the value was something other than a mapping (already reported): check nothing further. */
    boolean wrongType() {
        return wrongType;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return child(path, key);
    }

    Node owner() {
        return owner;
    }

    Set<String> keys() {
        return entries.keySet();
    }

    /** True when the key is present with a non-null value. */
    boolean has(String key) {
        Node v = valueNode(key);
        return v != null && !ReadContext.isNull(v);
    }

    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getKeyNode();
    }

    Node valueNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** Records an error for every key not in {@code known}, suggesting the closest known one. */
    void allowOnly(Collection<String> known) {
        for (String key : entries.keySet()) {
            if (!known.contains(key)) {
                String hint = DidYouMean.hint(key, known);
                ctx.error(keyNode(key), pathOf(key), "unknown key" + (hint.isEmpty()
                        ? "; expected one of: " + String.join(", ", known)
                        : hint));
            }
        }
    }

    /** Records an error at this mapping's key: a required key is absent. */
    void missing(String key, String why) {
        ctx.error(owner, path, "missing key '" + key + "'" + (why.isEmpty() ? "" : " (" + why + ")"));
    }

    void error(String key, String message) {
        ctx.error(valueNode(key), pathOf(key), message);
    }

    Mapping mapping(String key) {
        return of(keyNode(key), valueNode(key), pathOf(key), ctx);
    }

    Optional<String> text(String key) {
        return ctx.text(valueNode(key), pathOf(key), "text");
    }

    Optional<Long> integer(String key, long min, long max) {
        return ctx.text(valueNode(key), pathOf(key), "an integer").flatMap(t -> {
            long n;
            try {
                n = Long.parseLong(t.strip());
            } catch (NumberFormatException e) {
                error(key, "expected an integer, got '" + t + "'");
                return Optional.empty();
            }
            if (n < min || n > max) {
                // Limits that only guard against overflow are not worth stating as a range.
                boolean unbounded = max >= Integer.MAX_VALUE;
                String rule = !unbounded ? "must be between " + min + " and " + max
                        : n < min ? "must be at least " + min : "must be at most " + max;
                error(key, rule + ", got " + n);
                return Optional.empty();
            }
            return Optional.of(n);
        });
    }

    Optional<Duration> millis(String key, long min) {
        return integer(key, min, Long.MAX_VALUE).map(Duration::ofMillis);
    }

    Optional<BigDecimal> decimal(String key) {
        return ctx.text(valueNode(key), pathOf(key), "a number").flatMap(t -> {
            try {
                return Optional.of(new BigDecimal(t.strip()));
            } catch (NumberFormatException e) {
                error(key, "expected a number, got '" + t + "'");
                return Optional.empty();
            }
        });
    }

    /** A price in USD per 1M tokens: not negative, at most 6 decimal places (exact picodollars per token). */
    Optional<BigDecimal> price(String key) {
        return usd(key, "a price");
    }

    /** An amount of USD such as a daily budget: not negative, at most 6 decimal places, small enough for {@link Money}. */
    Optional<Money> budget(String key) {
        return usd(key, "a budget").flatMap(usd -> {
            try {
                return Optional.of(Money.ofUsd(usd));
            } catch (ArithmeticException e) {
                error(key, "a budget cannot exceed " + LARGEST_BUDGET_USD + " USD, got " + usd.toPlainString());
                return Optional.empty();
            }
        });
    }

    private Optional<BigDecimal> usd(String key, String what) {
        return decimal(key).filter(p -> {
            if (p.signum() < 0) {
                error(key, what + " cannot be negative, got " + p.toPlainString());
                return false;
            }
            if (p.stripTrailingZeros().scale() > 6) {
                error(key, what + " may have at most 6 decimal places, got " + p.toPlainString());
                return false;
            }
            return true;
        });
    }

    /** A number from 0 to 1, such as a confidence threshold or a failure rate. */
    Optional<Double> fraction(String key) {
        return between(key, 0, 1);
    }

    /** A number from {@code min} to {@code max}, both included. */
    Optional<Double> between(String key, long min, long max) {
        return decimal(key).filter(d -> {
            if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
                error(key, "must be between " + min + " and " + max + ", got " + d.toPlainString());
                return false;
            }
            return true;
        }).map(BigDecimal::doubleValue);
    }

    Optional<Boolean> bool(String key) {
        return ctx.text(valueNode(key), pathOf(key), "true or false").flatMap(t -> switch (t.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                error(key, "expected true or false, got '" + t + "'");
                yield Optional.empty();
            }
        });
    }

    /** A list value's elements; absent or YAML null reads as empty, anything but a list is an error. */
    Optional<List<Node>> sequence(String key) {
        Node value = valueNode(key);
        if (value == null || ReadContext.isNull(value)) {
            return Optional.empty();
        }
        if (!(value instanceof SequenceNode seq)) {
            ctx.error(value, pathOf(key), "expected a list, got " + ReadContext.describe(value));
            return Optional.empty();
        }
        return Optional.of(seq.getValue());
    }

    /** A list of text values; a single scalar reads as a list of one. */
    Optional<List<Item>> items(String key) {
        Node value = valueNode(key);
        if (value == null || ReadContext.isNull(value)) {
            return Optional.empty();
        }
        if (value instanceof MappingNode) {
            ctx.error(value, pathOf(key), "expected a list, got a mapping");
            return Optional.empty();
        }
        List<Node> nodes = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        boolean single = !(value instanceof SequenceNode);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String itemPath = single ? pathOf(key) : pathOf(key) + "[" + i + "]";
            if (ReadContext.isNull(n)) {
                ctx.error(n, itemPath, "expected text, got an empty item");
                continue;
            }
            ctx.text(n, itemPath, "text").ifPresent(t -> items.add(new Item(t, n, itemPath)));
        }
        return Optional.of(items);
    }
}
