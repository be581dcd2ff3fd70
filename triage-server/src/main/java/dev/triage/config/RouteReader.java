package dev.triage.config;

import dev.triage.analysis.TaskType;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.learn.LearnedModel;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * Reads {@code routes:} into the routing engine's {@link RouteSpec}s, checking every model against the
 * effective catalog (bundled plus {@code models:}), every tier, stage, floor and scorer, that a
 * {@code logprob} scorer only scores models whose provider returns log-probabilities, and that learned
 * routes and scorers have a usable model file that knows their models.
 */
final class RouteReader {

    private static final String TASK = "task";
    private static final String TIERED = "tiered";
    private static final String CASCADE = "cascade";
    private static final String LEARNED = "learned";
    private static final List<String> POLICIES = List.of(TASK, TIERED, CASCADE, LEARNED);
    private static final Map<String, List<String>> KEYS = Map.of(
            TASK, List.of("policy", "scorer", "task_types", "default", "quality_floor"),
            TIERED, List.of("policy", "time_zone", "tiers", "quality_floor"),
            CASCADE, List.of("policy", "scorer", "stages", "quality_floor"),
            LEARNED, List.of("policy", "model_file", "candidates", "tolerance", "quality_floor"));
    private static final List<String> RULE_KEYS = List.of("model", "threshold", "fallback", "max_input_tokens",
            "max_latency_ms", "thinking");
    private static final List<String> TIER_KEYS = List.of("models", "daily_budget_usd");
    private static final List<String> STAGE_KEYS = List.of("model", "accept_confidence");
    private static final List<String> FLOOR_KEYS = List.of("tier", "model");
    private static final List<String> SCORER_KEYS = List.of("kind", "judge_model", "samples", "model_file");
    private static final List<String> SCORER_KINDS = List.of("heuristic", "logprob", "verifier", "consistency", "learned");
    private static final int DEFAULT_SAMPLES = 3;
    /** A learned route's default: a cheaper model may be predicted up to this much worse than the best. */
    static final double DEFAULT_TOLERANCE = 0.05;

    /**
     * A scorer as read, with where its kind was written (a {@code logprob} mismatch is reported there)
     * and, for the learned scorer, the model file as written.
     */
    private record ReadScorer(ScorerSpec spec, Node at, String path, String modelFile) {
        static final ReadScorer DEFAULT = new ReadScorer(ScorerSpec.HEURISTIC, null, "", null);
    }

    /** A model whose answers a route's scorer judges, with the mapping whose {@code model} key names it. */
    private record Scored(String model, Mapping at) {
    }

    /** A model file as written in the config, and the model read from it. */
    private record Loaded(String written, LearnedModel model) {
    }

    private final Mapping section;
    private final ReadContext ctx;
    private final Set<String> knownModels = new LinkedHashSet<>();
    private final Map<String, String> providerOfModel = new LinkedHashMap<>();
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
                    originals.put(name, switch (policy) {
                        case TASK -> task(name, r);
                        case TIERED -> tiered(name, r);
                        case LEARNED -> learned(name, r);
                        default -> cascade(name, r);
                    });
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
        return out;
    }

    private Optional<String> policy(Mapping r, boolean required) {
        if (!r.has("policy")) {
            if (r.keyNode("policy") != null) {
                r.error("policy", "expected one of " + String.join(", ", POLICIES));
            } else if (required) {
                r.missing("policy", "one of " + String.join(", ", POLICIES));
            }
            return Optional.empty();
        }
        return r.text("policy").map(String::strip).filter(p -> {
            if (!POLICIES.contains(p)) {
                r.error("policy", "unknown policy '" + p + "' (expected one of " + String.join(", ", POLICIES) + ")"
                        + DidYouMean.hint(p, POLICIES));
                return false;
            }
            return true;
        });
    }

    /** Keys of another policy get a message saying where they belong; other strangers, a "did you mean". */
    private void allowKeys(Mapping r, String policy) {
        List<String> allowed = KEYS.get(policy);
        for (String key : r.keys()) {
            if (allowed.contains(key)) {
                continue;
            }
            List<String> owners = POLICIES.stream().filter(p -> KEYS.get(p).contains(key)).toList();
            if (!owners.isEmpty()) {
                boolean scorerFile = key.equals("model_file") && KEYS.get(policy).contains("scorer");
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

    private TaskRouteSpec task(String name, Mapping r) {
        allowKeys(r, TASK);
        ReadScorer scorer = scorer(r);
        Mapping types = r.mapping("task_types");
        if (r.keyNode("task_types") == null) {
            r.missing("task_types", "a rule per task type, e.g. task_types: {chat: {model: gpt-4.1-mini}}");
        } else if (!types.wrongType() && types.keys().isEmpty()) {
            r.error("task_types", "a task route needs at least one task type");
        }
        Map<TaskType, TaskRouteSpec.Rule> rules = new LinkedHashMap<>();
        List<Scored> scored = new ArrayList<>();
        for (String type : types.keys()) {
            Optional<TaskType> taskType = taskType(type, types.keyNode(type), types.pathOf(type));
            Mapping rule = types.mapping(type);
            if (rule.wrongType()) {
                continue;
            }
            TaskRouteSpec.Rule read = rule(rule);
            taskType.ifPresent(t -> rules.put(t, read));
            // the router scores a rule's answer only when a threshold and a fallback are both given
            if (read.model() != null && read.threshold() != null && read.fallback() != null) {
                scored.add(new Scored(read.model(), rule));
            }
        }
        TaskType defaultTask = defaultTask(r, types.keys(), rules);
        QualityFloor floor = floor(r, null);
        checkLogprobs(scorer, rules.values().stream().map(TaskRouteSpec.Rule::model).toList());
        checkJudged(scorer, scored);
        return new TaskRouteSpec(name, rules, defaultTask, scorer.spec(), floor);
    }

    private Optional<TaskType> taskType(String written, Node at, String path) {
        try {
            TaskType type = new TaskType(written);
            if (!type.name().equals(written)) {
                ctx.error(at, path, "task types are written in lower case: '" + type.name() + "'");
                return Optional.empty();
            }
            return Optional.of(type);
        } catch (IllegalArgumentException e) {
            ctx.error(at, path, "'" + written + "' is not a task type name (a lower-case word of letters, digits and"
                    + " '_', e.g. " + String.join(", ", TaskType.BUILT_IN.stream().map(TaskType::name).toList()) + ")");
            return Optional.empty();
        }
    }

    private TaskRouteSpec.Rule rule(Mapping m) {
        m.allowOnly(RULE_KEYS);
        String model = model(m, "model", true);
        Double threshold = m.fraction("threshold").orElse(null);
        String fallback = model(m, "fallback", false);
        Integer maxInputTokens = m.integer("max_input_tokens", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(null);
        Duration maxLatency = m.millis("max_latency_ms", 1).orElse(null);
        boolean thinking = m.bool("thinking").orElse(false);
        return new TaskRouteSpec.Rule(model, threshold, fallback, maxInputTokens, maxLatency, thinking);
    }

    /** The {@code default:} type, or the first rule's type when left out. */
    private TaskType defaultTask(Mapping r, Set<String> written, Map<TaskType, TaskRouteSpec.Rule> rules) {
        Optional<String> given = r.text("default").map(String::strip);
        if (given.isEmpty()) {
            return rules.keySet().stream().findFirst().orElse(null);
        }
        String d = given.get();
        if (!written.contains(d)) {
            r.error("default", "task type '" + d + "' has no rule under task_types"
                    + (written.isEmpty() ? "" : " (rules: " + String.join(", ", written) + ")") + DidYouMean.hint(d, written));
            return null;
        }
        return rules.keySet().stream().filter(t -> t.name().equals(d)).findFirst().orElse(null);
    }

    private TieredRouteSpec tiered(String name, Mapping r) {
        allowKeys(r, TIERED);
        Mapping tiers = r.mapping("tiers");
        if (r.keyNode("tiers") == null) {
            r.missing("tiers", "from the most to the least expensive, e.g. tiers: {high: {models: [gpt-4.1]},"
                    + " low: {models: [gpt-4.1-mini]}}");
        } else if (!tiers.wrongType() && tiers.keys().isEmpty()) {
            r.error("tiers", "a tiered route needs at least one tier");
        }
        List<TieredRouteSpec.Tier> read = new ArrayList<>();
        for (String tier : tiers.keys()) {
            if (!Mapping.isName(tier)) {
                ctx.error(tiers.keyNode(tier), tiers.pathOf(tier),
                        "a tier name uses letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
            Mapping t = tiers.mapping(tier);
            if (!t.wrongType()) {
                read.add(tier(tier, t));
            }
        }
        ZoneId zone = r.text("time_zone").map(String::strip).flatMap(z -> zone(r, z)).orElse(ZoneOffset.UTC);
        QualityFloor floor = floor(r, tiers.keys());
        return new TieredRouteSpec(name, read, zone, floor);
    }

    private TieredRouteSpec.Tier tier(String name, Mapping t) {
        t.allowOnly(TIER_KEYS);
        List<String> models = new ArrayList<>();
        Optional<List<Mapping.Item>> items = t.items("models");
        if (t.keyNode("models") == null) {
            t.missing("models", "a tier needs at least one model");
        } else if (items.isPresent() && items.get().isEmpty() || !t.has("models")) {
            t.error("models", "a tier needs at least one model");
        }
        for (Mapping.Item item : items.orElse(List.of())) {
            String id = item.text().strip();
            if (!knownModels.contains(id)) {
                ctx.error(item.node(), item.path(), unknownModel(id));
            } else if (models.contains(id)) {
                ctx.error(item.node(), item.path(), "'" + id + "' is already in this tier");
            } else {
                models.add(id);
            }
        }
        Money budget = t.budget("daily_budget_usd").orElse(null);
        return new TieredRouteSpec.Tier(name, models, budget);
    }

    private Optional<ZoneId> zone(Mapping r, String written) {
        try {
            // normalized(): "UTC" and the default are the same value, ZoneOffset.UTC.
            return Optional.of(ZoneId.of(written).normalized());
        } catch (DateTimeException e) {
            String hint = DidYouMean.hint(written, ZoneId.getAvailableZoneIds());
            r.error("time_zone", "unknown time zone '" + written + "'" + (hint.isEmpty()
                    ? " (expected an IANA zone id such as UTC or Europe/Paris)" : hint));
            return Optional.empty();
        }
    }

    private CascadeRouteSpec cascade(String name, Mapping r) {
        allowKeys(r, CASCADE);
        ReadScorer scorer = scorer(r);
        List<CascadeRouteSpec.Stage> stages = new ArrayList<>();
        Optional<List<Node>> nodes = r.sequence("stages");
        if (r.keyNode("stages") == null) {
            r.missing("stages", "from the cheapest model up, e.g. stages: [{model: gpt-4.1-mini, accept_confidence: 0.8},"
                    + " {model: gpt-4.1}]");
        } else if (nodes.isPresent() && nodes.get().isEmpty() || !r.has("stages")) {
            r.error("stages", "a cascade needs at least one stage");
        }
        List<Node> list = nodes.orElse(List.of());
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Mapping stage = Mapping.of(list.get(i), list.get(i), r.pathOf("stages") + "[" + i + "]", ctx);
            if (!stage.wrongType()) {
                CascadeRouteSpec.Stage read = stage(stage, i == list.size() - 1);
                stages.add(read);
                // the last stage always answers: its answers are never scored
                if (read.model() != null && i < list.size() - 1) {
                    scored.add(new Scored(read.model(), stage));
                }
            }
        }
        QualityFloor floor = floor(r, null);
        checkLogprobs(scorer, stages.stream().map(CascadeRouteSpec.Stage::model).toList());
        checkJudged(scorer, scored);
        return new CascadeRouteSpec(name, stages, scorer.spec(), floor);
    }

    private CascadeRouteSpec.Stage stage(Mapping s, boolean last) {
        s.allowOnly(STAGE_KEYS);
        String model = model(s, "model", true);
        Double accept = s.fraction("accept_confidence").orElse(null);
        if (last && s.keyNode("accept_confidence") != null) {
            s.error("accept_confidence", "the last stage always answers; remove accept_confidence");
            accept = null;
        } else if (!last && s.keyNode("accept_confidence") == null) {
            s.missing("accept_confidence", "every stage but the last needs one: its answer is returned when the"
                    + " scorer's confidence reaches it");
        }
        return new CascadeRouteSpec.Stage(model, accept);
    }

    /** {@code scorer: KIND} or {@code scorer: {kind: KIND, judge_model: ID, samples: N}}; heuristic when left out. */
    private ReadScorer scorer(Mapping r) {
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
                return new ReadScorer(new ScorerSpec(kind, null, kind.equals("consistency") ? DEFAULT_SAMPLES : 0),
                        value, r.pathOf("scorer"), null);
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
            samples = s.integer("samples", 2, Integer.MAX_VALUE).map(Long::intValue).orElse(DEFAULT_SAMPLES);
        } else if (s.keyNode("samples") != null) {
            s.error("samples", "'samples' applies only to the consistency scorer");
        }
        if (kind.get().equals("learned")) {
            return modelFile(s, "the learned scorer")
                    .map(f -> new ReadScorer(ScorerSpec.learned(f.model()), s.valueNode("kind"), s.pathOf("kind"), f.written()))
                    .orElse(ReadScorer.DEFAULT);
        } else if (s.keyNode("model_file") != null) {
            s.error("model_file", "'model_file' applies only to the learned scorer");
        }
        return new ReadScorer(new ScorerSpec(kind.get(), judge, samples), s.valueNode("kind"), s.pathOf("kind"), null);
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
    private void checkLogprobs(ReadScorer scorer, List<String> models) {
        if (!scorer.spec().kind().equals("logprob")) {
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
    private void checkJudged(ReadScorer scorer, List<Scored> scored) {
        LearnedModel model = scorer.spec().learned();
        if (model == null) {
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

    /**
     * {@code policy: learned}: the model file (required), the candidates (default: the models in the file
     * this config serves), the tolerance (default {@value #DEFAULT_TOLERANCE}) and a model floor.
     */
    private LearnedRouteSpec learned(String name, Mapping r) {
        allowKeys(r, LEARNED);
        Optional<Loaded> file = modelFile(r, "policy learned");
        List<String> candidates = candidates(r, file.orElse(null));
        double tolerance = r.between("tolerance", -1, 1).orElse(DEFAULT_TOLERANCE);
        QualityFloor floor = floor(r, null);
        if (file.isEmpty() || candidates.isEmpty()) {
            return null;
        }
        return new LearnedRouteSpec(name, file.get().model(), file.get().written(), candidates, tolerance, floor);
    }

    /** {@code model_file:} of a learned route or scorer, read (once per file per config) with the embedder. */
    private Optional<Loaded> modelFile(Mapping m, String user) {
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

    /** The candidates given, each known to the file and served here; when left out, every model of the file that is served. */
    private List<String> candidates(Mapping r, Loaded file) {
        if (r.keyNode("candidates") == null) {
            if (file == null) {
                return List.of();
            }
            List<String> served = file.model().models().stream().filter(this::served).toList();
            if (served.isEmpty()) {
                r.error("model_file", "none of the models in " + file.written() + " (" + String.join(", ", file.model().models())
                        + ") is served by this config; add them under models: with a provider");
            }
            return served;
        }
        Optional<List<Mapping.Item>> items = r.items("candidates");
        if (items.isPresent() && items.get().isEmpty() || !r.has("candidates")) {
            r.error("candidates", "a learned route needs at least one candidate; leave the key out for every model of the"
                    + " file that this config serves");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Mapping.Item item : items.orElse(List.of())) {
            String id = item.text().strip();
            if (!knownModels.contains(id)) {
                ctx.error(item.node(), item.path(), unknownModel(id));
            } else if (file != null && !file.model().models().contains(id)) {
                ctx.error(item.node(), item.path(), "'" + id + "' is not in model file " + file.written() + " (it knows "
                        + String.join(", ", file.model().models()) + ")" + DidYouMean.hint(id, file.model().models()));
            } else if (!served(id)) {
                ctx.error(item.node(), item.path(), "'" + id + "' is not served: its provider '" + providerOfModel.get(id)
                        + "' is not under providers:");
            } else if (out.contains(id)) {
                ctx.error(item.node(), item.path(), "'" + id + "' is already a candidate");
            } else {
                out.add(id);
            }
        }
        return file == null ? List.of() : out;
    }

    /** Whether a model is in the catalog and its provider configured (a disabled provider counts: its key may come later). */
    private boolean served(String model) {
        return knownModels.contains(model) && providers.containsKey(providerOfModel.get(model));
    }

    /**
     * {@code quality_floor: {tier: NAME}} or {@code {model: ID}}.
     *
     * @param tiers the route's tier names, or null for a route without tiers
     */
    private QualityFloor floor(Mapping r, Set<String> tiers) {
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
        return new QualityFloor(tier, model);
    }

    /** A model id under {@code key}, reported when not in the catalog; null when absent (reported when required). */
    private String model(Mapping m, String key, boolean required) {
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
            return true;
        }).orElse(null);
    }

    private String unknownModel(String id) {
        return "unknown model '" + id + "' (not in the bundled catalog nor under models:)" + DidYouMean.hint(id, knownModels);
    }

    /** {@code NAME: {from: OTHER}}: route OTHER under a new name. Only originals can be copied (no chains, no cycles). */
    private Optional<RouteSpec> copy(String name, Mapping r, Map<String, Mapping> bodies, Map<String, String> policies,
                                     Map<String, RouteSpec> originals) {
        for (String key : r.keys()) {
            if (key.equals("from") || key.equals("policy")) {
                continue;
            }
            if (POLICIES.stream().anyMatch(p -> KEYS.get(p).contains(key))) {
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
        return Optional.ofNullable(originals.get(source)).map(spec -> renamed(spec, name));
    }

    private static RouteSpec renamed(RouteSpec spec, String name) {
        return switch (spec) {
            case TaskRouteSpec t -> new TaskRouteSpec(name, t.rules(), t.defaultTask(), t.scorer(), t.floor());
            case TieredRouteSpec t -> new TieredRouteSpec(name, t.tiers(), t.zone(), t.floor());
            case CascadeRouteSpec c -> new CascadeRouteSpec(name, c.stages(), c.scorer(), c.floor());
            case LearnedRouteSpec l -> new LearnedRouteSpec(name, l.model(), l.modelFile(),
                    l.candidates(), l.tolerance(), l.floor());
        };
    }
}
