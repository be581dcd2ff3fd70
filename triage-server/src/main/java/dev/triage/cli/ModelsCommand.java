package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.ModelStatus;
import dev.triage.catalog.Price;
import dev.triage.config.ProviderConfig;
import dev.triage.config.TriageConfig;
import dev.triage.provider.simulated.SimulatedFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code triage models}: the catalog as a config sees it (bundled plus {@code models:}), with prices, context, life-cycle
 * status and dates, and whether each model's provider is configured.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model catalog: prices per 1M tokens, context, status and dates, and whether the provider is configured.")
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--provider", description = "only the models of this provider (as the catalog or config names it)")
    String provider;

    @Option(names = "--all", description = "include models their vendors have retired (hidden by default)")
    boolean all;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) {
            System.err.println("triage models: --format is table or json, not '" + format + "'");
            return 2;
        }
        TriageConfig cfg;
        try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
            cfg = config.loadOrReport(System.getenv(), System.err, embedder);
        }
        if (cfg == null) {
            return 2;
        }
        List<ModelInfo> catalog = List.copyOf(cfg.catalog().all());
        if (provider != null && catalog.stream().noneMatch(m -> m.provider().equals(provider))) {
            TreeSet<String> known = new TreeSet<>();
            catalog.forEach(m -> known.add(m.provider()));
            System.err.println("triage models: no model is served by provider '" + provider + "' (providers in the catalog: "
                    + String.join(", ", known) + ")");
            return 2;
        }
        List<ModelInfo> shown = new ArrayList<>();
        int hidden = 0;
        for (ModelInfo m : catalog) {
            if (provider != null && !m.provider().equals(provider)) {
                continue;
            }
            if (m.retired() && !all) {
                hidden++;
                continue;
            }
            shown.add(m);
        }
        System.out.print(format.equals("json") ? json(cfg, shown) : table(cfg, shown, hidden));
        return 0;
    }

    /** Whether the model's provider is configured and enabled, and if not, why; "simulated" when it answers offline. */
    private static String providerState(TriageConfig cfg, ModelInfo m) {
        ProviderConfig p = cfg.providers().get(m.provider());
        if (p == null) {
            return "no: provider '" + m.provider() + "' is not configured";
        }
        if (!p.enabled()) {
            return "no: " + p.disabledReason();
        }
        return p.kind() instanceof SimulatedFactory ? "simulated" : "yes";
    }

    private static String table(TriageConfig cfg, List<ModelInfo> models, int hidden) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"MODEL", "PROVIDER", "STATUS", "INPUT", "OUTPUT", "CACHED", "CACHE WRITE", "LONG CONTEXT",
                "CONTEXT", "PRICE DATE", "CONFIGURED"});
        for (ModelInfo m : models) {
            Price p = m.price();
            rows.add(new String[]{m.id(), m.provider(), status(m), usd(p.inputPerMtok()), usd(p.outputPerMtok()),
                    cachePrice(p.cachedInputPerMtok(), p), cachePrice(p.cacheWritePerMtok(), p), longContext(p),
                    m.contextWindow() > 0 ? String.format(Locale.ROOT, "%,d", m.contextWindow()) : "?",
                    m.priceDate() == null ? "-" : m.priceDate().toString(), providerState(cfg, m)});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i >= 3 && i <= 8 && i != 7;
                String cell = number ? " ".repeat(widths[i] - row[i].length()) + row[i] : row[i] + " ".repeat(widths[i] - row[i].length());
                line.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n').append(models.size()).append(models.size() == 1 ? " model" : " models");
        if (hidden > 0) {
            out.append("; ").append(hidden).append(" retired not shown (--all shows them)");
        }
        out.append(". Prices in USD per 1M tokens; CACHED is a prompt-cache read, LONG CONTEXT the prices of a call whose"
                + " prompt is longer than the threshold (the whole call). Sources: --format json.\n");
        return out.toString();
    }

    private static String status(ModelInfo m) {
        return switch (m.status()) {
            case ModelStatus.Current c -> "current";
            case ModelStatus.Deprecated d -> "deprecated, retires " + d.retires();
            case ModelStatus.Retired r -> "retired " + r.since();
        };
    }

    // A cache price equal to the input price means the provider has none: shown as "-" rather than as a discount of zero.
    private static String cachePrice(BigDecimal price, Price p) {
        return price.compareTo(p.inputPerMtok()) == 0 ? "-" : usd(price);
    }

    private static String longContext(Price p) {
        if (p.longContext() == null) {
            return "-";
        }
        Price tier = p.longContext().price();
        return ">" + tokens(p.longContext().aboveInputTokens()) + ": " + usd(tier.inputPerMtok()) + " / " + usd(tier.outputPerMtok());
    }

    private static String tokens(long n) {
        return n % 1000 == 0 ? n / 1000 + "K" : String.format(Locale.ROOT, "%,d", n);
    }

    /** A price with at least two decimals and no trailing zeros beyond them: 3.00, 0.075, 0.3125. */
    static String usd(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString();
    }

    private static String json(TriageConfig cfg, List<ModelInfo> models) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode out = mapper.createArrayNode();
        for (ModelInfo m : models) {
            ObjectNode o = out.addObject();
            o.put("id", m.id());
            o.put("provider", m.provider());
            o.put("upstream_model", m.upstreamModel());
            o.put("status", m.status().label());
            o.put("retirement_date", m.status().retirementDate() == null ? null : m.status().retirementDate().toString());
            prices(o, m.price());
            if (m.price().pricesCacheStorage()) {
                o.put("cache_storage_per_mtok_hour", usd(m.price().cacheStoragePerMtokHour()));
            }
            if (m.price().longContext() != null) {
                ObjectNode tier = o.putObject("long_context");
                tier.put("above_input_tokens", m.price().longContext().aboveInputTokens());
                prices(tier, m.price().longContext().price());
            }
            o.put("context_window", m.contextWindow());
            o.put("max_output_tokens", m.maxOutputTokens());
            o.put("price_date", m.priceDate() == null ? null : m.priceDate().toString());
            o.put("price_source", m.priceSource());
            o.put("configured", cfg.isAvailable(m));
            o.put("provider_state", providerState(cfg, m));
        }
        try {
            return mapper.writeValueAsString(out) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Prices as decimal strings, never binary floating point: 0.075 stays 0.075.
    private static void prices(ObjectNode o, Price p) {
        o.put("input_per_mtok", usd(p.inputPerMtok()));
        o.put("output_per_mtok", usd(p.outputPerMtok()));
        o.put("cached_input_per_mtok", usd(p.cachedInputPerMtok()));
        o.put("cache_write_per_mtok", usd(p.cacheWritePerMtok()));
    }
}
