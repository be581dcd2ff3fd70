package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.PromptCache.Ttl;
import dev.triage.simulate.trace.CacheRules;
import dev.triage.simulate.trace.StrategyCost;
import dev.triage.simulate.trace.Trace;
import dev.triage.simulate.trace.TraceException;
import dev.triage.simulate.trace.TraceReader;
import dev.triage.simulate.trace.TraceSimulation;
import dev.triage.simulate.trace.TraceStrategy;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code triage simulate --trace}: a request trace replayed through a model's prompt cache, strategy by strategy. */
final class SimulateTrace {

    static final String DEFAULT_MODEL = "claude-sonnet-4.5";

    private final Path file;
    private final String model;
    private final String part;
    private final String ttl;
    private final List<String> strategies;
    private final String format;

    SimulateTrace(Path file, String model, String part, String ttl, List<String> strategies, String format) {
        this.file = file;
        this.model = model == null ? DEFAULT_MODEL : model;
        this.part = part;
        this.ttl = ttl == null ? Ttl.FIVE_MINUTES.wire() : ttl;
        this.strategies = strategies;
        this.format = format;
    }

    int run(PrintStream out, PrintStream err) throws IOException {
        Optional<ModelInfo> info = PriceCatalog.builtIn().find(model);
        if (info.isEmpty()) {
            err.println("triage simulate: --model " + model + " is not in the price catalog (triage models lists it)");
            return 2;
        }
        if (!info.get().provider().equals("anthropic")) {
            err.println("triage simulate: --trace replays Anthropic's prompt cache; " + model + " is served by " + info.get().provider());
            return 2;
        }
        Ttl lifetime;
        try {
            lifetime = Ttl.parse(ttl);
        } catch (IllegalArgumentException e) {
            err.println("triage simulate: --cache-ttl: " + e.getMessage());
            return 2;
        }
        List<TraceStrategy> chosen = new ArrayList<>();
        try {
            for (String s : strategies == null ? TraceStrategy.all().stream().map(TraceStrategy::label).toList() : strategies) {
                chosen.add(TraceStrategy.parse(s));
            }
        } catch (IllegalArgumentException e) {
            err.println("triage simulate: " + e.getMessage());
            return 2;
        }
        Trace trace;
        try {
            trace = TraceReader.read(file);
            if (part != null) {
                String[] kn = part.split("/", -1);
                if (kn.length != 2 || !kn[0].strip().matches("\\d{1,6}") || !kn[1].strip().matches("\\d{1,6}")) {
                    err.println("triage simulate: --part takes K/N, e.g. 2/2 for the second half, not '" + part + "'");
                    return 2;
                }
                trace = trace.part(Integer.parseInt(kn[0].strip()), Integer.parseInt(kn[1].strip()));
            }
        } catch (TraceException e) {
            err.println("triage simulate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("triage simulate: cannot read " + file + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("triage simulate: --part: " + e.getMessage());
            return 2;
        }
        if (trace.requests().isEmpty()) {
            err.println("triage simulate: no requests in " + trace.name());
            return 2;
        }
        CacheRules rules = CacheRules.anthropic(info.get());
        TraceSimulation simulation = new TraceSimulation(trace, rules, lifetime);
        List<StrategyCost> costs = simulation.run(chosen);
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(trace, rules, costs)));
        } else {
            StrategyCost oracle = costs.stream().filter(c -> c.strategy() == TraceStrategy.ORACLE).findFirst()
                    .orElseGet(() -> simulation.run(TraceStrategy.ORACLE));
            out.print(table(trace, rules, lifetime, costs, oracle));
        }
        return 0;
    }

    private static ObjectNode json(Trace trace, CacheRules rules, List<StrategyCost> costs) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("requests", trace.requests().size());
        root.put("model", rules.model());
        ArrayNode list = root.putArray("strategies");
        for (StrategyCost c : costs) {
            ObjectNode o = list.addObject();
            o.put("name", c.strategy().label());
            o.put("cost_usd", usd(c.cost()));
            o.put("input_cost_usd", usd(c.inputCost()));
            o.put("cached_read_tokens", c.cachedReadTokens());
            o.put("cache_write_tokens", c.cacheWriteTokens());
        }
        return root;
    }

    private static BigDecimal usd(Money m) {
        return new BigDecimal(m.toUsdString());
    }

    /** Fits {@link Columns#WIDTH}: the figures in the table, what each strategy does below it. */
    private static String table(Trace trace, CacheRules rules, Ttl ttl, List<StrategyCost> costs, StrategyCost oracle) {
        StringBuilder b = new StringBuilder();
        b.append(Columns.wrap("", "  ", String.format("%s: %,d requests over %.1f min; %s: input $%s, cache write $%s (5 min) / $%s (1 h), "
                        + "cache read $%s, output $%s per MTok; prefixes under %,d tokens not cached; naive and triage write %s entries",
                trace.name(), trace.requests().size(), trace.spanMs() / 60_000.0, rules.model(), perMtok(rules.input()),
                perMtok(rules.write5m()), perMtok(rules.write1h()), perMtok(rules.read()), perMtok(rules.output()),
                rules.minimumTokens(), ttl.wire()))).append('\n');
        String head = String.format("%-10s %11s %11s %14s %14s %9s%n", "strategy", "cost", "input cost",
                "cached read", "cache write", "÷ oracle");
        b.append(head).append("-".repeat(head.length() - 1)).append('\n');
        for (StrategyCost c : costs) {
            b.append(String.format("%-10s %11s %11s %,14d %,14d %9s%n", c.strategy().label(), dollars(c.cost()),
                    dollars(c.inputCost()), c.cachedReadTokens(), c.cacheWriteTokens(), ratio(c.inputCost(), oracle.inputCost())));
        }
        b.append("\nWhat each strategy does:\n");
        for (StrategyCost c : costs) {
            String label = c.strategy().label();
            b.append(Columns.wrap("  " + label + " ".repeat(Math.max(1, 12 - label.length())), " ".repeat(14), c.strategy().description()));
        }
        b.append('\n').append(Columns.wrap("", "", "cost: input and output; input cost: prompt tokens alone (output is the same in "
                + "every strategy); cached read / cache write: prompt tokens read from / written to the cache; ÷ oracle: input cost "
                + "over the oracle's, a lower bound no placement of breakpoints can beat."));
        return b.toString();
    }

    private static String perMtok(Money perToken) {
        BigDecimal usd = perToken.times(1_000_000).usd();
        return (usd.scale() > 0 && usd.scale() < 2 ? usd.setScale(2, RoundingMode.UNNECESSARY) : usd).toPlainString();
    }

    private static String dollars(Money m) {
        return "$" + m.usd().setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String ratio(Money a, Money b) {
        if (b.picos() == 0) {
            return "n/a";
        }
        return BigDecimal.valueOf(a.picos()).divide(BigDecimal.valueOf(b.picos()), 3, RoundingMode.HALF_EVEN).toPlainString() + "x";
    }
}
