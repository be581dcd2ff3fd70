package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage cache eval}: precision and recall of the semantic cache on paraphrase pairs. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure the semantic cache on paraphrase pairs in GPTCache's format (a JSON array of {origin, similar}):",
                "cache N origins, query their similar texts (a hit on the right origin is correct, on another wrong) and the",
                "similar texts of the next N pairs (any hit is false)."})
final class CacheEvalCommand implements Callable<Integer> {

    @Option(names = "--pairs", required = true, description = "the pairs file")
    Path pairs;

    @Option(names = "--offset", defaultValue = "0", description = "skip the first K pairs, e.g. to evaluate a held-out half (default: ${DEFAULT-VALUE})")
    int offset;

    @Option(names = "--cache-size", description = "origins to cache (default: half the pairs after --offset)")
    Integer cacheSize;

    @Option(names = "--rule", defaultValue = "default", description = "default (threshold, lead over the runner-up and lexical guards)"
            + " or static (a cosine threshold alone) (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = "--threshold", description = "the rule's cosine threshold (default: the rule's calibrated one, "
            + "default 0.905, static 0.94)")
    Double threshold;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    /** Where embeddings come from; tests replace it. */
    static Supplier<Optional<Embedder>> embedders = Embedders::find;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        if (!format.equals("table") && !format.equals("json")) {
            err.println("triage cache eval: --format must be table or json");
            return 2;
        }
        SemanticSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("triage cache eval: " + e.getMessage());
            return 2;
        }
        List<CachePairs> all;
        try {
            all = CachePairs.read(pairs);
        } catch (CachePairs.Invalid e) {
            err.println("triage cache eval: " + e.getMessage());
            return 2;
        }
        if (offset < 0 || offset >= all.size() - 1) {
            err.println("triage cache eval: --offset must be from 0 to " + (all.size() - 2) + " (" + pairs + " has " + all.size()
                    + " pairs), got " + offset);
            return 2;
        }
        int available = all.size() - offset;
        int n = cacheSize != null ? cacheSize : available / 2;
        if (n < 1 || 2 * n > available) {
            err.println("triage cache eval: --cache-size " + n + " needs " + 2L * n + " pairs after the first " + offset + ", and "
                    + pairs + " has " + available + " (at most --cache-size " + available / 2 + ")");
            return 2;
        }
        Optional<Embedder> found = embedders.get();
        if (found.isEmpty()) {
            err.println("triage cache eval: the semantic cache needs text embeddings, and the triage-embeddings module is not on the class path");
            return 2;
        }
        try (Embedder embedder = found.get()) {
            ProgressBar bar = new ProgressBar(err, "triage cache eval");
            CacheEvaluation evaluation = CacheEvaluation.embed(all, offset, n, embedder,
                    (done, total) -> bar.update("embedding " + done + "/" + total + " texts", (double) done / total));
            bar.clear();
            CacheEvaluation.Result result = evaluation.run(new SemanticMatcher(embedder, settings));
            PrintStream out = System.out;
            if (format.equals("json")) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(json(result, settings, evaluation.entries(), all.size())));
            } else {
                out.print(table(result, settings, evaluation.entries(), all.size()));
            }
            out.flush();
            return 0;
        }
    }

    private SemanticSettings settings() {
        return switch (rule) {
            case "default" -> threshold == null ? SemanticSettings.DEFAULT : SemanticSettings.DEFAULT.withThreshold(threshold);
            case "static" -> threshold == null ? SemanticSettings.STATIC_BASELINE : SemanticSettings.staticThreshold(threshold);
            default -> throw new IllegalArgumentException("--rule must be default or static, got '" + rule + "'");
        };
    }

    private ObjectNode json(CacheEvaluation.Result r, SemanticSettings s, int entries, int filePairs) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("pairs", r.pairs());
        o.put("threshold", s.threshold());
        o.put("correct_hits", r.correctHits());
        o.put("wrong_hits", r.wrongHits());
        o.put("false_hits", r.falseHits());
        o.put("misses", r.misses());
        o.put("precision", round(r.precision()));
        o.put("recall", round(r.recall()));
        o.put("rule", rule);
        o.put("lead", s.lead());
        o.put("guards", s.guards());
        o.put("offset", offset);
        o.put("unrelated_queries", r.pairs());
        o.put("cache_entries", entries);
        o.put("file_pairs", filePairs);
        return o;
    }

    private String table(CacheEvaluation.Result r, SemanticSettings s, int entries, int filePairs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s: pairs %d-%d of %d; %d origins cached (%d distinct), %d related and %d unrelated queries%n",
                pairs, offset, offset + 2 * r.pairs() - 1, filePairs, r.pairs(), entries, r.pairs(), r.pairs()));
        b.append(String.format("rule %s: threshold %.3f, lead %.3f, guards %s%n%n", rule, s.threshold(), s.lead(), s.guards() ? "on" : "off"));
        b.append(String.format("%-14s %6d%n", "correct hits", r.correctHits()));
        b.append(String.format("%-14s %6d%n", "wrong hits", r.wrongHits()));
        b.append(String.format("%-14s %6d%n", "false hits", r.falseHits()));
        b.append(String.format("%-14s %6d%n", "misses", r.misses()));
        b.append(String.format("%-14s %6.3f%n", "precision", r.precision()));
        b.append(String.format("%-14s %6.3f%n", "recall", r.recall()));
        return b.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
