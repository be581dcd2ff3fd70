package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.routing.RouteSpec;
import dev.triage.simulate.Dataset;
import dev.triage.simulate.DatasetException;
import dev.triage.simulate.DatasetLoader;
import dev.triage.simulate.ItemResult;
import dev.triage.simulate.RouteModels;
import dev.triage.simulate.Simulation;
import dev.triage.simulate.Simulation.StrategyRun;
import dev.triage.simulate.SingleModels;
import dev.triage.simulate.Simulator;
import dev.triage.simulate.StrategyResult;
import dev.triage.tokens.TokenEstimator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code triage simulate}: the cost calculator. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Replay a dataset's recorded outcomes through the routing engine and compare strategies' cost and quality;",
                "or (--trace) replay a request trace through a model's prompt cache and compare what caching strategies cost."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", description = "a routing-benchmark file (NAME.jsonl with NAME.json beside it)")
    Path dataset;

    @Option(names = "--trace", description = "a request trace in Mooncake's format (one JSON object per line: timestamp, input_length,"
            + " output_length, hash_ids), instead of --dataset")
    Path trace;

    @Option(names = "--model", description = "with --trace: the catalog model whose cache rules and prices apply (default: "
            + SimulateTrace.DEFAULT_MODEL + ")")
    String model;

    @Option(names = "--part", description = "with --trace: replay only part K of N equal stretches of time, e.g. 2/2 for the second half")
    String part;

    @Option(names = "--cache-ttl", description = "with --trace: the lifetime the naive and triage strategies write, 5m or 1h (default: 5m,"
            + " as the gateway's prompt_cache.ttl)")
    String cacheTtl;

    @Option(names = "--config", description = "a config whose routes become strategies")
    Path config;

    @Option(names = "--strategies", split = ",", description = "strategies to run: config routes, cascade, task, tiered, "
            + "always-strong, always-weak, random, oracle (default: all references and policies), and with --cv or --router-model"
            + " learned, learned-priced, learned-cascade; with --trace: no-cache, naive,"
            + " triage, hindsight, oracle (default: all)")
    List<String> strategies;

    @Option(names = "--map", split = ",", description = "map a route's model to a dataset model, e.g. gemini-2.0-flash=mixtral-8x7b-instruct")
    List<String> mappings;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--decisions", description = "write one JSON line per item and operating point to this file")
    Path decisions;

    @Option(names = "--plot", description = "write the cost-quality plot (SVG) to this file")
    Path plot;

    @Option(names = "--seeds", defaultValue = "20", description = "seeds the random reference is averaged over (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--cv", description = "train the learned strategies by K-fold cross-validation on the dataset: each item is"
            + " routed by a model trained on the other folds (e.g. --cv 5)")
    Integer cvFolds;

    @Option(names = "--cv-group", paramLabel = "FIELD", description = "with --cv: keep each group of items with the same FIELD"
            + " (category, or another top-level field of the lines) in one fold, so every item is routed by a model that never saw its group")
    String cvGroup;

    @Option(names = "--cv-labelled", paramLabel = "N", defaultValue = "0", description = "with --cv-group: also train each fold's"
            + " model on N items of each group it holds out (drawn by --cv-seed, at most half a group), as a team that labelled N"
            + " requests of a new topic would; never on the item it routes (default: ${DEFAULT-VALUE})")
    int cvLabelled;

    @Option(names = "--cv-seed", defaultValue = "42", description = "the shuffle that deals items into folds (default: ${DEFAULT-VALUE})")
    long cvSeed;

    @Option(names = "--router-model", description = "evaluate this trained model file (triage train) for the learned strategies"
            + " instead of cross-validating")
    Path routerModel;

    @picocli.CommandLine.Mixin
    TrainingSettingsOptions training;

    /** Where embeddings come from; tests replace it. */
    static java.util.function.Supplier<java.util.Optional<dev.triage.embed.Embedder>> embedders = dev.triage.embed.Embedders::find;

    @Override
    public Integer call() throws IOException {
        // one embedder for the config's learned routes and the learned strategies, found only if either needs it
        try (dev.triage.app.OnDemandEmbedder embedder = new dev.triage.app.OnDemandEmbedder(embedders)) {
            return simulate(embedder);
        }
    }

    private int simulate(dev.triage.app.OnDemandEmbedder found) throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            System.err.println("triage simulate: --format must be table or json");
            return 2;
        }
        if ((dataset == null) == (trace == null)) {
            System.err.println("triage simulate: give either --dataset FILE (a routing benchmark) or --trace FILE (a request trace)");
            return 2;
        }
        if (trace != null) {
            for (String option : List.of("--config", "--map", "--decisions", "--plot", "--seeds", "--cv", "--cv-seed", "--cv-group",
                    "--router-model", "--neighbours", "--l2")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    System.err.println("triage simulate: " + option + " applies to --dataset, not to --trace");
                    return 2;
                }
            }
            return new SimulateTrace(trace, model, part, cacheTtl, strategies, format).run(System.out, System.err);
        }
        for (String option : List.of("--model", "--part", "--cache-ttl")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                System.err.println("triage simulate: " + option + " applies to --trace, not to --dataset");
                return 2;
            }
        }
        Map<String, RouteSpec> routes = new LinkedHashMap<>();
        if (config != null) {
            try {
                TriageConfig cfg = ConfigLoader.load(config, System.getenv(), found);
                routes.putAll(cfg.routes());
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        Dataset data;
        try {
            data = DatasetLoader.load(dataset);
        } catch (DatasetException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Map<String, String> map = new LinkedHashMap<>();
        if (mappings != null) {
            for (String m : mappings) {
                int eq = m.indexOf('=');
                if (eq <= 0 || eq == m.length() - 1) {
                    System.err.println("triage simulate: --map takes ROUTE_MODEL=DATASET_MODEL, not '" + m + "'");
                    return 2;
                }
                map.put(m.substring(0, eq).trim(), m.substring(eq + 1).trim());
            }
        }
        if (cvFolds != null && routerModel != null) {
            System.err.println("triage simulate: --cv trains models on the dataset and --router-model reads one; give one of them");
            return 2;
        }
        if (cvFolds != null && (cvFolds < 2 || cvFolds > data.items().size())) {
            System.err.println("triage simulate: --cv must be between 2 and the number of items (" + data.items().size() + "), got " + cvFolds);
            return 2;
        }
        if (cvGroup != null && cvFolds == null) {
            System.err.println("triage simulate: --cv-group groups the folds of --cv; add --cv K");
            return 2;
        }
        if (cvLabelled != 0 && (cvGroup == null || cvLabelled < 0)) {
            System.err.println(cvLabelled < 0 ? "triage simulate: --cv-labelled must be >= 0, got " + cvLabelled
                    : "triage simulate: --cv-labelled adds labelled items of held-out groups; add --cv K --cv-group FIELD");
            return 2;
        }
        if (training.given() && cvFolds == null) {
            System.err.println("triage simulate: --neighbours and --l2 set how --cv trains its models"
                    + (routerModel != null ? " (a --router-model file keeps the settings it was trained with)" : "; add --cv K"));
            return 2;
        }
        List<String> names = strategies != null ? strategies : Simulation.defaultStrategies(routes.keySet());
        boolean wantsLearned = names.stream().anyMatch(dev.triage.simulate.LearnedStrategies.NAMES::contains);
        if (!wantsLearned && (cvFolds != null || routerModel != null)) {
            System.err.println("triage simulate: --cv and --router-model apply to the learned strategies; add them with"
                    + " --strategies " + String.join(",", dev.triage.simulate.LearnedStrategies.NAMES));
            return 2;
        }
        ProgressBar progress = new ProgressBar(System.err, "triage simulate");
        Simulator simulator;
        try {
            simulator = new Simulator(data, new TokenEstimator());
        } catch (IllegalArgumentException e) {
            System.err.println("triage simulate: " + e.getMessage());
            return 2;
        }
        dev.triage.simulate.LearnedStrategies learned = null;
        if (wantsLearned && (cvFolds != null || routerModel != null)) {
            java.util.Optional<dev.triage.embed.Embedder> embedder = found.get();
            if (embedder.isEmpty()) {
                System.err.println("triage simulate: the learned strategies need text embeddings, and the triage-embeddings module"
                        + " is not on the class path");
                return 2;
            }
            learned = new dev.triage.simulate.LearnedStrategies(simulator, new dev.triage.simulate.LearnedStrategies.Options(
                    embedder.get(), cvFolds == null ? 0 : cvFolds, cvSeed, routerModel, cvGroup, cvLabelled, training.settings()),
                    progress::update);
        }
        Simulation simulation = new Simulation(simulator, seeds, learned);
        List<StrategyRun> runs;
        try {
            Map<String, RouteSpec> mapped = new LinkedHashMap<>();
            for (Map.Entry<String, RouteSpec> e : routes.entrySet()) {
                if (names.contains(e.getKey())) {
                    mapped.put(e.getKey(), RouteModels.map(e.getValue(), map, data.manifest().prices().keySet()));
                }
            }
            runs = simulation.run(names, mapped, progress::update);
        } catch (IllegalArgumentException | dev.triage.learn.ModelFileException e) {
            progress.clear();
            System.err.println("triage simulate: " + e.getMessage());
            return 2;
        }
        progress.clear();
        if (decisions != null) {
            writeDecisions(runs);
        }
        if (plot != null) {
            Files.writeString(plot, simulation.plot(runs), StandardCharsets.UTF_8);
        }
        PrintStream out = System.out;
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(data, runs, simulation)));
        } else {
            out.print(table(data, runs, simulation));
        }
        return 0;
    }

    private ObjectNode json(Dataset data, List<StrategyRun> runs, Simulation simulation) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("dataset", data.manifest().name());
        root.put("items", data.items().size());
        root.put("strong_model", simulation.strongModel());
        root.put("weak_model", simulation.weakModel());
        SingleModels singles = simulation.singleModels();
        root.put("best_model", singles.best().id());
        ArrayNode models = root.putArray("models");
        for (SingleModels.Model sm : singles.models()) {
            ObjectNode o = models.addObject();
            o.put("id", sm.id());
            o.put("cost_per_request_usd", simulation.single(sm.id()).costPerRequestUsd());
            o.put("quality", round(sm.quality(), 4));
            o.put("pareto", sm.pareto());
            o.put("frontier", sm.onFrontier());
        }
        ArrayNode list = root.putArray("strategies");
        for (StrategyRun run : runs) {
            for (StrategyResult r : run.points()) {
                ObjectNode o = list.addObject();
                o.put("name", r.name());
                if (r.point() != null) {
                    o.put("point", r.point());
                }
                o.put("description", r.description());
                o.put("quality", round(r.quality(), 4));
                o.put("quality_pct_of_strong", round(100 * r.quality() / simulation.strongQuality(), 2));
                o.put("cost_per_request_usd", r.costPerRequestUsd());
                o.put("cost_reduction_vs_strong_pct", round(simulation.costReductionPct(r), 2));
                o.put("strong_call_pct", round(100 * r.strongShare(), 2));
                if (run.swept()) {
                    o.put("apgr", round(run.apgr(), 4));
                    putPct(o, "cpt50", run.cpt(0.5));
                    putPct(o, "cpt80", run.cpt(0.8));
                    SingleModels.Comparison v = run.versus();
                    putPct(o, "cost_to_match_best_pct", v.costToMatchBest());
                    putRounded(o, "quality_at_10pct_cost", v.qualityAt10Pct());
                    putRounded(o, "quality_at_25pct_cost", v.qualityAt25Pct());
                    putRounded(o, "area_vs_frontier", v.areaVsFrontier());
                }
            }
        }
        return root;
    }

    private static void putPct(ObjectNode o, String key, double value) {
        if (Double.isNaN(value)) {
            o.putNull(key);
        } else {
            o.put(key, round(100 * value, 2));
        }
    }

    private static void putPct(ObjectNode o, String key, java.util.OptionalDouble value) {
        putPct(o, key, value.orElse(Double.NaN));
    }

    private static void putRounded(ObjectNode o, String key, java.util.OptionalDouble value) {
        if (value.isEmpty()) {
            o.putNull(key);
        } else {
            o.put(key, round(value.getAsDouble(), 4));
        }
    }

    private static double round(double v, int places) {
        return Double.isNaN(v) ? v : BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Fits {@link Columns#WIDTH}: the figures in the table, what each strategy does below it. */
    private String table(Dataset data, List<StrategyRun> runs, Simulation simulation) {
        StringBuilder b = new StringBuilder();
        b.append(Columns.wrap("", "  ", String.format("%s: %,d items, %d models; strong %s, weak %s (%s)", data.manifest().name(),
                data.items().size(), simulation.singleModels().models().size(), simulation.strongModel(), simulation.weakModel(),
                simulation.pairPicked() ? "picked: the best on average and the cheapest, as the manifest names none" : "named by the manifest")))
                .append('\n');
        String head = String.format("%-14s %-9s %12s %7s %8s %8s %7s %6s %6s %6s%n", "strategy", "point",
                "cost/request", "quality", "% strong", "cost -%", "strong%", "APGR", "CPT50", "CPT80");
        b.append(head);
        b.append("-".repeat(head.length() - 1)).append('\n');
        Map<String, String> whatItDoes = new LinkedHashMap<>();
        for (StrategyRun run : runs) {
            for (StrategyResult r : run.points()) {
                b.append(String.format("%-14s %-9s %12s %7.3f %7.1f%% %7.1f%% %6.1f%% %6s %6s %6s",
                        r.name(), r.point() == null ? "" : r.point(), "$" + r.costPerRequestUsd().setScale(6, RoundingMode.HALF_EVEN).toPlainString(),
                        r.quality(), 100 * r.quality() / simulation.strongQuality(), simulation.costReductionPct(r), 100 * r.strongShare(),
                        run.swept() ? String.format("%.3f", run.apgr()) : "", run.swept() ? pct(run.cpt(0.5)) : "", run.swept() ? pct(run.cpt(0.8)) : "").stripTrailing()).append('\n');
                // A strategy's points share one description unless a point changes what it does.
                String key = whatItDoes.containsKey(r.name()) && !whatItDoes.get(r.name()).equals(r.description())
                        ? r.name() + " " + r.point() : r.name();
                whatItDoes.putIfAbsent(key, r.description());
            }
        }
        b.append("\nWhat each strategy does:\n");
        int labelWidth = Math.max(14, whatItDoes.keySet().stream().mapToInt(String::length).max().orElse(0));
        String indent = " ".repeat(2 + labelWidth + 2);
        whatItDoes.forEach((name, description) -> b.append(Columns.wrap("  " + name + " ".repeat(labelWidth - name.length() + 2),
                indent, description)));
        b.append('\n').append(Columns.wrap("", "", "quality: mean score; % strong: quality as a share of always-strong's; cost -%: "
                + "cost reduction versus always-strong; strong%: share of requests that called the strong model; APGR and CPT(x%) "
                + "as in RouteLLM (arXiv 2406.18665), over each strategy's sweep."));
        b.append(singleModelsTable(runs, simulation));
        return b.toString();
    }

    private static String singleModelsTable(List<StrategyRun> runs, Simulation simulation) {
        SingleModels singles = simulation.singleModels();
        StringBuilder b = new StringBuilder("\n");
        String head = String.format("%-36s %14s %8s  %s%n", "single model", "cost/request", "quality", "");
        b.append(head).append("-".repeat(head.length() - 3)).append('\n');
        List<SingleModels.Model> byCost = new ArrayList<>(singles.models());
        byCost.sort(java.util.Comparator.comparingDouble(SingleModels.Model::cost));
        for (SingleModels.Model m : byCost) {
            b.append(String.format("%-36s %14s %8.3f  %s%n", m.id(), usd(simulation.single(m.id()).costPerRequestUsd()), m.quality(),
                    m.onFrontier() ? "frontier" : m.pareto() ? "pareto" : ""));
        }
        List<StrategyRun> swept = runs.stream().filter(StrategyRun::swept).toList();
        if (!swept.isEmpty()) {
            SingleModels.Model best = singles.best();
            b.append('\n').append(Columns.wrap("", "  ", String.format("against the best single model, %s (%s, quality %.3f):", best.id(),
                    usd(simulation.single(best.id()).costPerRequestUsd()), best.quality())));
            String h = String.format("%-16s %15s %15s %15s %12s%n", "strategy", "cost to match", "q at 10% cost", "q at 25% cost",
                    "vs frontier");
            b.append(h).append("-".repeat(h.length() - 1)).append('\n');
            for (StrategyRun run : swept) {
                SingleModels.Comparison v = run.versus();
                b.append(String.format("%-16s %15s %15s %15s %12s%n", run.name(), pct(v.costToMatchBest().orElse(Double.NaN)),
                        fixed(v.qualityAt10Pct(), "%.3f"), fixed(v.qualityAt25Pct(), "%.3f"), fixed(v.areaVsFrontier(), "%+.4f")));
            }
            b.append(Columns.wrap("", "", "cost to match: least cost per request at which the sweep reaches the best model's quality,"
                    + " as a share of its cost; q at x% cost: the sweep's quality at that budget per request; vs frontier: mean quality"
                    + " above the single-model frontier (random mixes of single models) over the costs up to the best model's"
                    + " (see README, Evaluating routers)."));
        }
        return b.toString();
    }

    private static String fixed(java.util.OptionalDouble v, String format) {
        return v.isEmpty() ? "n/a" : String.format(format, v.getAsDouble());
    }

    private static String usd(BigDecimal v) {
        return "$" + v.setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f%%", 100 * v);
    }

    private void writeDecisions(List<StrategyRun> runs) throws IOException {
        ObjectMapper m = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(decisions, StandardCharsets.UTF_8)) {
            for (StrategyRun run : runs) {
                for (StrategyResult r : run.points()) {
                    for (ItemResult item : r.items()) {
                        ObjectNode o = m.createObjectNode();
                        o.put("strategy", r.name());
                        if (r.point() == null) {
                            o.putNull("point");
                        } else {
                            o.put("point", r.point());
                        }
                        o.put("id", item.id());
                        ArrayNode calls = o.putArray("calls");
                        item.calls().forEach(calls::add);
                        o.put("final_model", item.finalModel());
                        w.write(m.writeValueAsString(o));
                        w.write('\n');
                    }
                }
            }
        }
    }
}
