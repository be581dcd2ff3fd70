package dev.triage.config;

import dev.triage.catalog.PriceCatalog;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code models:} and checks it against the providers and the bundled catalog, fallback chains included. */
final class ModelReader {

    private static final List<String> KEYS = List.of("provider", "upstream_model", "input_per_mtok", "output_per_mtok",
            "cached_input_per_mtok", "cache_write_per_mtok", "context_window", "max_output_tokens", "price_date",
            "price_source", "fallback");

    private final Mapping section;
    private final Set<String> providerNames;
    private final PriceCatalog bundled;
    private final ReadContext ctx;
    private final Map<String, List<Mapping.Item>> fallbackItems = new LinkedHashMap<>();
    private final Map<String, Mapping> entries = new HashMap<>();

    private ModelReader(Mapping section, Set<String> providerNames, PriceCatalog bundled, ReadContext ctx) {
        this.section = section;
        this.providerNames = providerNames;
        this.bundled = bundled;
        this.ctx = ctx;
    }

    /**
     * @param providerNames every name under {@code providers:}, valid or not, so one bad provider
     *                      does not also make each of its models an error
     */
    static Map<String, ModelConfig> read(Mapping section, Set<String> providerNames, PriceCatalog bundled, ReadContext ctx) {
        return new ModelReader(section, providerNames, bundled, ctx).read();
    }

    private Map<String, ModelConfig> read() {
        Map<String, ModelConfig> out = new LinkedHashMap<>();
        for (String id : section.keys()) {
            if (id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
                ctx.error(section.keyNode(id), section.pathOf(id), "a model id cannot be empty or contain spaces");
                continue;
            }
            Mapping m = section.mapping(id);
            if (m.wrongType()) {
                continue;
            }
            entries.put(id, m);
            out.put(id, readOne(id, m));
        }
        checkFallbacks(out);
        return out;
    }

    private ModelConfig readOne(String id, Mapping m) {
        m.allowOnly(KEYS);
        String provider = m.text("provider").orElse(null);
        if (provider != null && !providerNames.contains(provider)) {
            m.error("provider", "provider '" + provider + "' is not defined under providers"
                    + (providerNames.isEmpty() ? "" : " (defined: " + String.join(", ", providerNames) + ")")
                    + DidYouMean.hint(provider, providerNames));
        }
        var input = m.price("input_per_mtok").orElse(null);
        var output = m.price("output_per_mtok").orElse(null);
        if (!bundled.contains(id)) {
            List<String> missing = new ArrayList<>();
            for (String key : List.of("provider", "input_per_mtok", "output_per_mtok")) {
                if (m.keyNode(key) == null) {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                ctx.error(m.owner(), m.path(), "a model not in the bundled catalog needs provider, input_per_mtok and"
                        + " output_per_mtok (missing: " + String.join(", ", missing) + ")"
                        + DidYouMean.closest(id, bundled.all().stream().map(info -> info.id()).toList())
                        .map(c -> "; or did you mean the bundled '" + c + "'?").orElse(""));
            }
        }
        List<Mapping.Item> fallback = m.items("fallback").orElse(null);
        if (fallback != null) {
            fallbackItems.put(id, fallback);
        }
        return new ModelConfig(id, provider, m.text("upstream_model").orElse(null), input, output,
                m.price("cached_input_per_mtok").orElse(null), m.price("cache_write_per_mtok").orElse(null),
                m.integer("context_window", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(null),
                m.integer("max_output_tokens", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(null),
                date(m), m.text("price_source").orElse(null),
                fallback == null ? null : fallback.stream().map(Mapping.Item::text).toList());
    }

    private static LocalDate date(Mapping m) {
        return m.text("price_date").flatMap(t -> {
            try {
                return Optional.of(LocalDate.parse(t.strip()));
            } catch (DateTimeParseException e) {
                m.error("price_date", "expected a date as YYYY-MM-DD, got '" + t + "'");
                return Optional.<LocalDate>empty();
            }
        }).orElse(null);
    }

    private void checkFallbacks(Map<String, ModelConfig> models) {
        Set<String> known = new LinkedHashSet<>(models.keySet());
        bundled.all().forEach(info -> known.add(info.id()));
        // Only edges to known models take part in the cycle search; unknown ones are reported here.
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (var e : fallbackItems.entrySet()) {
            String id = e.getKey();
            List<String> targets = new ArrayList<>();
            for (Mapping.Item item : e.getValue()) {
                if (!known.contains(item.text())) {
                    ctx.error(item.node(), item.path(), "unknown model '" + item.text() + "'" + DidYouMean.hint(item.text(), known));
                } else if (targets.contains(item.text())) {
                    ctx.error(item.node(), item.path(), "'" + item.text() + "' is already in this fallback list");
                } else {
                    targets.add(item.text());
                }
            }
            edges.put(id, targets);
        }
        new CycleSearch(edges).cycles().forEach(cycle -> {
            String first = cycle.get(0);
            Mapping m = entries.get(first);
            ctx.error(m.valueNode("fallback"), m.pathOf("fallback"), "fallback cycle: " + String.join(" -> ", cycle));
        });
    }

    /** Depth-first search that reports each cycle once, as the path from where it was entered back to there. */
    private static final class CycleSearch {
        private final Map<String, List<String>> edges;
        private final Set<String> done = new HashSet<>();
        private final List<String> stack = new ArrayList<>();
        private final List<List<String>> cycles = new ArrayList<>();

        CycleSearch(Map<String, List<String>> edges) {
            this.edges = edges;
        }

        List<List<String>> cycles() {
            for (String id : edges.keySet()) {
                if (!done.contains(id)) {
                    visit(id);
                }
            }
            return cycles;
        }

        private void visit(String id) {
            stack.add(id);
            for (String next : edges.getOrDefault(id, List.of())) {
                int onStack = stack.indexOf(next);
                if (onStack >= 0) {
                    List<String> cycle = new ArrayList<>(stack.subList(onStack, stack.size()));
                    cycle.add(next);
                    cycles.add(cycle);
                } else if (!done.contains(next)) {
                    visit(next);
                }
            }
            stack.remove(stack.size() - 1);
            done.add(id);
        }
    }
}
