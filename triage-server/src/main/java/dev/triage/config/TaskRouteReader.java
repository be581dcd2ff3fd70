package dev.triage.config;

import dev.triage.analysis.TaskType;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.TaskRouteSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code policy: task} routes: a rule per task type ({@code task_types}), the {@code default} type, a scorer and a model floor. */
public final class TaskRouteReader implements RoutePolicyReader {

    private static final List<String> RULE_KEYS = List.of("model", "threshold", "fallback", "max_input_tokens",
            "max_latency_ms", "thinking");

    @Override
    public Form form() {
        return Form.of(TaskRouteSpec.POLICY, "scorer", "task_types", "default", "quality_floor");
    }

    @Override
    public TaskRouteSpec read(String name, Mapping r, RouteReader routes) {
        RouteReader.ReadScorer scorer = routes.scorer(r);
        Mapping types = r.mapping("task_types");
        if (r.keyNode("task_types") == null) {
            r.missing("task_types", "a rule per task type, e.g. task_types: {chat: {model: gpt-4.1-mini}}");
        } else if (!types.wrongType() && types.keys().isEmpty()) {
            r.error("task_types", "a task route needs at least one task type");
        }
        Map<TaskType, TaskRouteSpec.Rule> rules = new LinkedHashMap<>();
        List<RouteReader.Scored> scored = new ArrayList<>();
        for (String type : types.keys()) {
            Optional<TaskType> taskType = taskType(type, types.keyNode(type), types.pathOf(type), routes);
            Mapping rule = types.mapping(type);
            if (rule.wrongType()) {
                continue;
            }
            TaskRouteSpec.Rule read = rule(rule, routes);
            taskType.ifPresent(t -> rules.put(t, read));
            // the router scores a rule's answer only when a threshold and a fallback are both given
            if (read.model() != null && read.threshold() != null && read.fallback() != null) {
                scored.add(new RouteReader.Scored(read.model(), rule));
            }
        }
        TaskType defaultTask = defaultTask(r, types.keys(), rules, routes);
        QualityFloor floor = routes.floor(r, null);
        routes.checkLogprobs(scorer, rules.values().stream().map(TaskRouteSpec.Rule::model).toList());
        routes.checkJudged(scorer, scored);
        return new TaskRouteSpec(name, rules, defaultTask, scorer.spec(), floor);
    }

    private static Optional<TaskType> taskType(String written, Node at, String path, RouteReader routes) {
        try {
            TaskType type = new TaskType(written);
            if (!type.name().equals(written)) {
                routes.error(at, path, "task types are written in lower case: '" + type.name() + "'");
                return Optional.empty();
            }
            return Optional.of(type);
        } catch (IllegalArgumentException e) {
            routes.error(at, path, "'" + written + "' is not a task type name (a lower-case word of letters, digits and"
                    + " '_', e.g. " + String.join(", ", TaskType.BUILT_IN.stream().map(TaskType::name).toList()) + ")");
            return Optional.empty();
        }
    }

    private static TaskRouteSpec.Rule rule(Mapping m, RouteReader routes) {
        m.allowOnly(RULE_KEYS);
        String model = routes.model(m, "model", true);
        Double threshold = m.fraction("threshold").orElse(null);
        String fallback = routes.model(m, "fallback", false);
        Integer maxInputTokens = m.integer("max_input_tokens", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(null);
        Duration maxLatency = m.millis("max_latency_ms", 1).orElse(null);
        boolean thinking = m.bool("thinking").orElse(false);
        return new TaskRouteSpec.Rule(model, threshold, fallback, maxInputTokens, maxLatency, thinking);
    }

    /** The {@code default:} type, or the first rule's type when left out. */
    private static TaskType defaultTask(Mapping r, Set<String> written, Map<TaskType, TaskRouteSpec.Rule> rules, RouteReader routes) {
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
}
