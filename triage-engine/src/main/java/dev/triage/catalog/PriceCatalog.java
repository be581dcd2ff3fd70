package dev.triage.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models Triage knows: the bundled catalog ({@code models.json} beside this class), plus and
 * overridden by the config's {@code models:} section.
 */
public final class PriceCatalog {

    private static final String BUNDLED = "models.json";
    private final Map<String, ModelInfo> models;

    public PriceCatalog(Collection<ModelInfo> models) {
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : models) {
            byId.put(m.id(), m);
        }
        this.models = Collections.unmodifiableMap(byId);
    }

    /** The catalog bundled with Triage. */
    public static PriceCatalog builtIn() {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled price catalog " + BUNDLED + " is missing from the classpath");
            }
            ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            return new PriceCatalog(parse(json.readTree(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled price catalog", e);
        }
    }

    static List<ModelInfo> parse(JsonNode root) {
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode m : root.path("models")) {
            String id = m.path("id").asText();
            try {
                out.add(new ModelInfo(
                        id,
                        m.path("provider").asText(),
                        m.path("upstream_model").asText(id),
                        price(m).withLongContext(longContext(m.get("long_context"))),
                        m.path("context_window").asInt(),
                        m.path("max_output_tokens").asInt(),
                        m.path("max_image_tokens").asInt(),
                        date(m, "price_date"),
                        m.path("price_source").asText(null),
                        List.of(),
                        status(m)));
            } catch (RuntimeException e) {
                throw new IllegalStateException("bundled price catalog, model '" + id + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Price price(JsonNode m) {
        return new Price(decimal(m, "input_per_mtok"), decimal(m, "output_per_mtok"), decimal(m, "cached_input_per_mtok"),
                decimal(m, "cache_write_per_mtok"), decimal(m, "cache_storage_per_mtok_hour"));
    }

    // A tier has no storage price of its own: an explicit cache's storage is billed at the model's (base) price.
    private static Price.LongContext longContext(JsonNode tier) {
        if (tier == null || tier.isNull()) {
            return null;
        }
        if (!tier.path("above_input_tokens").canConvertToLong()) {
            throw new IllegalArgumentException("long_context needs above_input_tokens");
        }
        return new Price.LongContext(tier.get("above_input_tokens").asLong(), price(tier));
    }

    // "status": "current" | "deprecated" (with "retires": DATE) | "retired" (with "retired": DATE); absent means current.
    private static ModelStatus status(JsonNode m) {
        String label = m.path("status").asText("current");
        return switch (label) {
            case "deprecated" -> ModelStatus.of(label, required(m, "retires"));
            case "retired" -> ModelStatus.of(label, required(m, "retired"));
            default -> ModelStatus.of(label, null);
        };
    }

    private static LocalDate required(JsonNode m, String field) {
        LocalDate date = date(m, field);
        if (date == null) {
            throw new IllegalArgumentException("status " + m.path("status").asText() + " needs the date '" + field + "'");
        }
        return date;
    }

    private static LocalDate date(JsonNode m, String field) {
        return m.hasNonNull(field) ? LocalDate.parse(m.get(field).asText()) : null;
    }

    private static BigDecimal decimal(JsonNode m, String field) {
        JsonNode n = m.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
    }

    public Optional<ModelInfo> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public boolean contains(String id) {
        return models.containsKey(id);
    }

    public Collection<ModelInfo> all() {
        return models.values();
    }

    /** A new catalog with {@code overrides} added or replacing entries of the same id. */
    public PriceCatalog with(Collection<ModelInfo> overrides) {
        Map<String, ModelInfo> merged = new LinkedHashMap<>(models);
        for (ModelInfo m : overrides) {
            merged.put(m.id(), m);
        }
        return new PriceCatalog(merged.values());
    }

    /** A new catalog holding only the models accepted by {@code keep}. */
    public PriceCatalog filter(java.util.function.Predicate<ModelInfo> keep) {
        return new PriceCatalog(models.values().stream().filter(keep).toList());
    }
}
