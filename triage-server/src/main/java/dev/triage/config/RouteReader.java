package dev.triage.config;

import dev.triage.catalog.ModelStatus;
import dev.triage.catalog.PriceCatalog;
import dev.triage.learn.LearnedModel;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.scoring.ScorerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code routes:} into the routing engine's {@link RouteSpec}s: names, policies and copies
 * ({@code from:}) here, each route's own keys by its policy's {@link RoutePolicyReader}. What the policies
 * share is here too: every model checked against the effective catalog (bundled plus {@code models:}),
 * floors, scorers (a {@code logprob} scorer only for providers that return log-probabilities, a learned
 * one only for models its file can judge) and model files.
 */
final class RouteReader {

    private static final List<String> FLOOR_KEYS = List.of("tier", "model");
    private static final List<String> SCORER_KEYS = List.of("kind", "judge_model", "samples", "model_file");
    private static final List<String> SCORER_KINDS = ScorerSpec.KINDS;

    /**
     * A scorer as read, with where its kind was written (a {@code logprob} mismatch is reported there)
     * and, for the learned scorer, the model file as written.
     */
    record ReadScorer(ScorerSpec spec, Node at, String path, String modelFile) {
        static final ReadScorer DEFAULT = new ReadScorer(ScorerSpec.HEURISTIC, null, "", null);
    }

    /** A model whose answers a route's scorer judges, with the mapping whose {@code model} key names it. */
    record Scored(String model, Mapping at) {
    }

    /** A model file as written in the config, and the model read from it. */
    record Loaded(String written, LearnedModel model) {
    }

    private final Mapping section;
    private final ReadContext ctx;
    private final Set<String> knownModels = new LinkedHashSet<>();
    private final Map<String, String> providerOfModel = new LinkedHashMap<>();
    private final Map<String, ModelStatus> statusOfModel = new LinkedHashMap<>();
    // Where each retired or deprecated model is named, in reading order: one warning per model, at its first place.
    private final Map<String, List<Named>> sunsetModelsNamed = new LinkedHashMap<>();
    private final Map<String, ProviderConfig> providers;
    private final ModelFiles modelFiles;

    private RouteReader(Mapping section, Map<String, ModelConfig> models, PriceCatalog bundled,
                        Map<String, ProviderConfig> providers, ModelFiles modelFiles, ReadContext ctx) {
        this.section = section;
        this.ctx = ctx;
        this.providers = providers;
        this.modelFiles = modelFiles;
        bundled.all().forEach(m -> {
            knownModels.add(m.id());
            providerOfModel.put(m.id(), m.provider());
            statusOfModel.put(m.id(), m.status());
        });
        // Every id under models: counts as known, even one with its own errors, so it is reported once.
        models.values().forEach(m -> {
            knownModels.add(m.id());
            if (m.provider() != null) {
                providerOfModel.put(m.id(), m.provider());
            }
        });
    }

    /**
     * @param models    {@code models:} as read; with {@code bundled}, the catalog route models must be in
     *                  (a model of a disabled provider is known: the route is valid, the model unavailable)
     * @param providers  by name, for the protocol behind each model
     * @param modelFiles where learned routes and scorers read their trained models
     */
    static Map<String, RouteSpec> read(Mapping section, Map<String, ModelConfig> models, PriceCatalog bundled,
                                       Map<String, ProviderConfig> providers, ModelFiles modelFiles, ReadContext ctx) {
        return new RouteReader(section, models, bundled, providers, modelFiles, ctx).read();
    }

    private Map<String, RouteSpec> read() {
        Map<String, Mapping> bodies = new LinkedHashMap<>();
        Map<String, String> policies = new LinkedHashMap<>();
        Map<String, RouteSpec> originals = new LinkedHashMap<>();
        for (String name : section.keys()) {
            if (!Mapping.isName(name)) {
                ctx.error(section.keyNode(name), section.pathOf(name),
                        "a route name uses letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
            Node body = section.valueNode(name);
            if (!(body instanceof MappingNode)) {
                ctx.error(body, section.pathOf(name), "a route is a mapping (e.g. {policy: cascade, ...}), got "
                        + (ReadContext.isNull(body) ? "nothing" : ReadContext.describe(body)));
                continue;
            }
            Mapping r = section.mapping(name);
            bodies.put(name, r);
            boolean copy = r.keyNode("from") != null;
            policy(r, !copy).ifPresent(policy -> {
                policies.put(name, policy);
                if (!copy) {
                    RoutePolicyReader reader = RoutePolicies.find(policy).orElseThrow();
                    allowKeys(r, reader);
                    originals.put(name, reader.read(name, r, this));
                }
            });
        }
        // Copies are resolved after every original is read, so a copy may come before its source.
        Map<String, RouteSpec> out = new LinkedHashMap<>();
        for (var e : bodies.entrySet()) {
            String name = e.getKey();
            Mapping r = e.getValue();
            if (r.keyNode("from") == null) {
                Optional.ofNullable(originals.get(name)).ifPresent(spec -> out.put(name, spec));
            } else {
                copy(name, r, bodies, policies, originals).ifPresent(spec -> out.put(name, spec));
            }
        }
        warnAboutSunsetModels();
        return out;
    }

    private record Named(Node at, String path) {
    }

    /** Remembers where a model is named, for the warning a retired or deprecated one gets. */
    private void named(String model, Node at, String path) {
        if (!(statusOfModel.getOrDefault(model, ModelStatus.CURRENT) instanceof ModelStatus.Current)) {
            sunsetModelsNamed.computeIfAbsent(model, m -> new ArrayList<>()).add(new Named(at, path));
        }
    }

    // A warning, not an error: the seed's line-up and old configs name retired models on purpose (the simulator, the
    // offline demo, priced history), and a team may still be migrating off a deprecated one.
    private void warnAboutSunsetModels() {
        sunsetModelsNamed.forEach((model, places) -> {
            String why = switch (statusOfModel.get(model)) {
                case ModelStatus.Retired r -> "model '" + model + "' was retired by its vendor on " + r.since()
                        + ": calls to it fail upstream (it stays in the catalog so old ledgers and simulations price exactly)";
                case ModelStatus.Deprecated d -> "model '" + model + "' is deprecated: its vendor retires it on " + d.retires();
                case ModelStatus.Current c -> throw new IllegalStateException("a current model is not warned about");
            };
            // Policies read their keys in their own order; the warning goes to the place nearest the file's top.
            List<Named> inFileOrder = places.stream().sorted(java.util.Comparator.comparingInt((Named n) -> ReadContext.line(n.at()))
                    .thenComparingInt(n -> ReadContext.column(n.at()))).toList();
            Named first = inFileOrder.getFirst();
            String elsewhere = inFileOrder.stream().skip(1).map(n -> ReadContext.line(n.at()))
                    .filter(line -> line != ReadContext.line(first.at())).distinct().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", "));
            ctx.warn(first.at(), first.path(), why + "; see `triage models` for current ones"
                    + (elsewhere.isEmpty() ? "" : " (also named on line" + (elsewhere.contains(",") ? "s " : " ") + elsewhere + ")"));
        });
    }

    private Optional<String> policy(Mapping r, boolean required) {
        List<String> policies = RoutePolicies.names();
        if (!r.has("policy")) {
            if (r.keyNode("policy") != null) {
                r.error("policy", "expected one of " + String.join(", ", policies));
            } else if (required) {
                r.missing("policy", "one of " + String.join(", ", policies));
            }
            return Optional.empty();
        }
        return r.text("policy").map(String::strip).filter(p -> {
            if (!policies.contains(p)) {
                r.error("policy", "unknown policy '" + p + "' (expected one of " + String.join(", ", policies) + ")"
                        + DidYouMean.hint(p, policies));
                return false;
            }
            return true;
        });
    }

    /** Keys of another policy get a message saying where they belong; other strangers, a "did you mean". */
    /** Every policy takes {@code context:} (shared context across models); {@link ConfigLoader} reads it. */
    static final String CONTEXT_KEY = "context";
    /** Every policy takes {@code cache:} (its own response cache); {@link ResponseCacheReader} reads it. */
    static final String CACHE_KEY = "cache";

    private void allowKeys(Mapping r, RoutePolicyReader reader) {
        String policy = reader.policy();
        List<String> allowed = reader.keys();
        for (String key : r.keys()) {
            if (allowed.contains(key) || key.equals(CONTEXT_KEY) || key.equals(CACHE_KEY)) {
                continue;
            }
            List<String> owners = RoutePolicies.taking(key);
            if (!owners.isEmpty()) {
                boolean scorerFile = key.equals("model_file") && allowed.contains("scorer");
                ctx.error(r.keyNode(key), r.pathOf(key), "'" + key + "' applies only to " + String.join(" and ", owners)
                        + " routes, not " + policy + " routes" + (scorerFile
                        ? "; a learned scorer takes it inside the scorer: scorer: {kind: learned, model_file: PATH}" : ""));
            } else {
                String hint = DidYouMean.hint(key, allowed);
                ctx.error(r.keyNode(key), r.pathOf(key), "unknown key" + (hint.isEmpty()
                        ? "; a " + policy + " route takes: " + String.join(", ", allowed)
                        : hint));
            }
        }
    }










    /** {@code scorer: KIND} or {@code scorer: {kind: KIND, judge_model: ID, samples: N}}; heuristic when left out. */
    ReadScorer scorer(Mapping r) {
        Node value = r.valueNode("scorer");
        if (value == null || ReadContext.isNull(value)) {
            return ReadScorer.DEFAULT;
        }
        if (value instanceof ScalarNode) {
            return r.text("scorer").map(String::strip).flatMap(kind -> scorerKind(r, "scorer", kind)).map(kind -> {
                if (kind.equals("verifier")) {
                    r.error("scorer", "the verifier scorer needs a judge model: scorer: {kind: verifier, judge_model: ID}");
                }
                if (kind.equals("learned")) {
                    r.error("scorer", "the learned scorer needs a trained model: scorer: {kind: learned, model_file: PATH}");
                    return ReadScorer.DEFAULT;
                }
                return new ReadScorer(spec(kind, null, ScorerSpec.Consistency.DEFAULT_SAMPLES), value, r.pathOf("scorer"), null);
            }).orElse(ReadScorer.DEFAULT);
        }
        Mapping s = r.mapping("scorer");
        if (s.wrongType()) {
            return ReadScorer.DEFAULT;
        }
        s.allowOnly(SCORER_KEYS);
        if (s.keyNode("kind") == null) {
            s.missing("kind", "one of " + String.join(", ", SCORER_KINDS));
        }
        Optional<String> kind = s.text("kind").map(String::strip).flatMap(k -> scorerKind(s, "kind", k));
        if (kind.isEmpty()) {
            // Without a kind, whether judge_model or samples belong cannot be known.
            return ReadScorer.DEFAULT;
        }
        String judge = null;
        if (kind.get().equals("verifier")) {
            judge = model(s, "judge_model", true);
        } else if (s.keyNode("judge_model") != null) {
            s.error("judge_model", "'judge_model' applies only to the verifier scorer");
        }
        int samples = 0;
        if (kind.get().equals("consistency")) {
            samples = s.integer("samples", 2, Integer.MAX_VALUE).map(Long::intValue).orElse(ScorerSpec.Consistency.DEFAULT_SAMPLES);
        } else if (s.keyNode("samples") != null) {
            s.error("samples", "'samples' applies only to the consistency scorer");
        }
        if (kind.get().equals("learned")) {
            return modelFile(s, "the learned scorer")
                    .map(f -> new ReadScorer(new ScorerSpec.Learned(f.model()), s.valueNode("kind"), s.pathOf("kind"), f.written()))
                    .orElse(ReadScorer.DEFAULT);
        } else if (s.keyNode("model_file") != null) {
            s.error("model_file", "'model_file' applies only to the learned scorer");
        }
        return new ReadScorer(spec(kind.get(), judge, samples), s.valueNode("kind"), s.pathOf("kind"), null);
    }

    /** A scorer other than learned; the heuristic stands in for a verifier whose judge was not given (that is reported). */
    private static ScorerSpec spec(String kind, String judge, int samples) {
        return switch (kind) {
            case "logprob" -> new ScorerSpec.Logprob();
            case "verifier" -> judge == null ? ScorerSpec.HEURISTIC : new ScorerSpec.Verifier(judge);
            case "consistency" -> new ScorerSpec.Consistency(samples);
            default -> ScorerSpec.HEURISTIC;
        };
    }

    /** The reading's context, for a policy that reads nested mappings itself ({@link Mapping#of}). */
    ReadContext context() {
        return ctx;
    }

    void error(Node at, String path, String message) {
        ctx.error(at, path, message);
    }

    /** Whether a model id is in the catalog (bundled or under {@code models:}). */
    boolean knows(String model) {
        return knownModels.contains(model);
    }

    /** The provider a known model is served by, as configured (it may be disabled or absent). */
    String providerOf(String model) {
        return providerOfModel.get(model);
    }

    private Optional<String> scorerKind(Mapping m, String key, String kind) {
        if (SCORER_KINDS.contains(kind)) {
            return Optional.of(kind);
        }
        m.error(key, "unknown scorer '" + kind + "' (expected one of " + String.join(", ", SCORER_KINDS) + ")"
                + DidYouMean.hint(kind, SCORER_KINDS));
        return Optional.empty();
    }

    /** A logprob scorer scores every model named; each provider that cannot return logprobs is reported once. */
    void checkLogprobs(ReadScorer scorer, List<String> models) {
        if (!(scorer.spec() instanceof ScorerSpec.Logprob)) {
            return;
        }
        Set<String> reported = new LinkedHashSet<>();
        for (String model : models) {
            ProviderConfig p = model == null ? null : providers.get(providerOfModel.get(model));
            if (p != null && !p.kind().returnsLogprobs() && reported.add(p.name())) {
                ctx.error(scorer.at(), scorer.path(), "scorer logprob needs token logprobs, which provider '" + p.name()
                        + "' (" + p.kind().configName() + ") does not return; use heuristic, verifier or consistency");
            }
        }
    }

    /** A learned scorer judges every scored model's answers: each needs an acceptance head in the model file. */
    void checkJudged(ReadScorer scorer, List<Scored> scored) {
        if (!(scorer.spec() instanceof ScorerSpec.Learned(LearnedModel model))) {
            return;
        }
        for (Scored s : scored) {
            if (!model.judges(s.model())) {
                List<String> judged = model.judgedModels();
                s.at().error("model", "the learned scorer cannot judge answers of '" + s.model() + "': model file "
                        + scorer.modelFile() + " has no acceptance model for it (it judges " + (judged.isEmpty() ? "no model"
                        : String.join(", ", judged)) + "; training learns one from at least "
                        + model.provenance().settings().minAnswers() + " recorded answers of the model, good and bad)");
            }
        }
    }

    /** {@code model_file:} of a learned route or scorer, read (once per file per config) with the embedder. */
    Optional<Loaded> modelFile(Mapping m, String user) {
        if (m.keyNode("model_file") == null) {
            m.missing("model_file", "the trained model, a file `triage train` writes; relative paths start at the config's directory");
            return Optional.empty();
        }
        if (!m.has("model_file")) {
            m.error("model_file", "expected the path of a model file");
            return Optional.empty();
        }
        Optional<String> written = m.text("model_file").map(String::strip);
        if (written.isEmpty()) {
            return Optional.empty();
        }
        if (written.get().isEmpty()) {
            m.error("model_file", "cannot be empty");
            return Optional.empty();
        }
        ModelFiles.Read read = modelFiles.read(written.get(), user);
        if (read.problem() != null) {
            m.error("model_file", read.problem());
            return Optional.empty();
        }
        return Optional.of(new Loaded(written.get(), read.model()));
    }


    /** Whether a model is in the catalog and its provider configured (a disabled provider counts: its key may come later). */
    boolean served(String model) {
        return knownModels.contains(model) && providers.containsKey(providerOfModel.get(model));
    }

    /**
     * {@code quality_floor: {tier: NAME}} or {@code {model: ID}}.
     *
     * @param tiers the route's tier names, or null for a route without tiers
     */
    QualityFloor floor(Mapping r, Set<String> tiers) {
        if (!r.has("quality_floor")) {
            return QualityFloor.NONE;
        }
        Mapping f = r.mapping("quality_floor");
        if (f.wrongType()) {
            return QualityFloor.NONE;
        }
        f.allowOnly(FLOOR_KEYS);
        String tier = f.text("tier").map(String::strip).orElse(null);
        String model = model(f, "model", false);
        if (f.keyNode("tier") != null && f.keyNode("model") != null) {
            r.error("quality_floor", "give either tier or model, not both");
        } else if (f.keyNode("tier") == null && f.keyNode("model") == null) {
            r.error("quality_floor", tiers == null ? "expected {model: ID}" : "expected {tier: NAME} or {model: ID}");
        }
        if (tier != null) {
            if (tiers == null) {
                f.error("tier", "a tier floor applies only to tiered routes; use {model: ID}");
                tier = null;
            } else if (!tiers.contains(tier)) {
                f.error("tier", "unknown tier '" + tier + "'" + (tiers.isEmpty() ? "" : " (tiers: " + String.join(", ", tiers) + ")")
                        + DidYouMean.hint(tier, tiers));
                tier = null;
            }
        }
        if (tier != null) {
            return new QualityFloor.Tier(tier);
        }
        return model == null ? QualityFloor.NONE : new QualityFloor.Model(model);
    }

    /** A model id under {@code key}, reported when not in the catalog; null when absent (reported when required). */
    String model(Mapping m, String key, boolean required) {
        if (m.keyNode(key) == null) {
            if (required) {
                m.missing(key, "");
            }
            return null;
        }
        if (!m.has(key)) {
            m.error(key, "expected a model id");
            return null;
        }
        return m.text(key).map(String::strip).filter(id -> {
            if (!knownModels.contains(id)) {
                m.error(key, unknownModel(id));
                return false;
            }
            named(id, m.valueNode(key), m.pathOf(key));
            return true;
        }).orElse(null);
    }

    /**
     * A non-empty list of model ids under {@code key}, each in the catalog and listed once; what is wrong
     * is reported and left out.
     *
     * @param need  what the list is for, said when it is missing or empty ("a tier needs at least one model")
     * @param where the list's holder, for repeats ("this tier")
     */
    List<String> models(Mapping m, String key, String need, String where) {
        List<String> models = new ArrayList<>();
        Optional<List<Mapping.Item>> items = m.items(key);
        if (m.keyNode(key) == null) {
            m.missing(key, need);
        } else if (items.isPresent() && items.get().isEmpty() || !m.has(key)) {
            m.error(key, need);
        }
        for (Mapping.Item item : items.orElse(List.of())) {
            String id = item.text().strip();
            if (!knows(id)) {
                error(item.node(), item.path(), unknownModel(id));
            } else if (models.contains(id)) {
                error(item.node(), item.path(), "'" + id + "' is already in " + where);
            } else {
                named(id, item.node(), item.path());
                models.add(id);
            }
        }
        return models;
    }

    String unknownModel(String id) {
        return "unknown model '" + id + "' (not in the bundled catalog nor under models:)" + DidYouMean.hint(id, knownModels);
    }

    /** {@code NAME: {from: OTHER}}: route OTHER under a new name. Only originals can be copied (no chains, no cycles). */
    private Optional<RouteSpec> copy(String name, Mapping r, Map<String, Mapping> bodies, Map<String, String> policies,
                                     Map<String, RouteSpec> originals) {
        for (String key : r.keys()) {
            if (key.equals("from") || key.equals("policy")) {
                continue;
            }
            if (!RoutePolicies.taking(key).isEmpty()) {
                ctx.error(r.keyNode(key), r.pathOf(key), "'" + key + "' cannot be combined with 'from': a copy takes"
                        + " every setting from the route it names");
            } else {
                String hint = DidYouMean.hint(key, List.of("policy", "from"));
                ctx.error(r.keyNode(key), r.pathOf(key), "unknown key" + (hint.isEmpty() ? "; a copy takes: policy, from" : hint));
            }
        }
        if (!r.has("from")) {
            r.error("from", "expected a route name");
            return Optional.empty();
        }
        Optional<String> from = r.text("from").map(String::strip);
        if (from.isEmpty()) {
            return Optional.empty();
        }
        String source = from.get();
        Mapping sourceBody = bodies.get(source);
        if (source.equals(name)) {
            r.error("from", "a route cannot be a copy of itself");
            return Optional.empty();
        }
        if (!section.keys().contains(source)) {
            List<String> others = section.keys().stream().filter(n -> !n.equals(name)).toList();
            r.error("from", "unknown route '" + source + "'" + (others.isEmpty() ? "" : " (routes: " + String.join(", ", others) + ")")
                    + DidYouMean.hint(source, others));
            return Optional.empty();
        }
        if (sourceBody != null && sourceBody.keyNode("from") != null) {
            String next = sourceBody.text("from").map(String::strip).orElse("?");
            r.error("from", "route '" + source + "' is itself a copy (of '" + next + "'); copies cannot be chained,"
                    + " name the original route");
            return Optional.empty();
        }
        String copiedPolicy = policies.get(name);
        String sourcePolicy = policies.get(source);
        if (copiedPolicy != null && sourcePolicy != null && !copiedPolicy.equals(sourcePolicy)) {
            r.error("policy", "route '" + source + "' is a " + sourcePolicy + " route, not " + copiedPolicy
                    + "; a copy keeps its source's policy");
            return Optional.empty();
        }
        return Optional.ofNullable(originals.get(source)).map(spec -> spec.named(name));
    }
}
