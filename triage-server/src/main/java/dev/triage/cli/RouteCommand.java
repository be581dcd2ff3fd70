package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskProfile;
import dev.triage.analysis.TaskType;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.app.TriageApp;
import dev.triage.budget.redis.RedisLink;
import dev.triage.budget.redis.RedisSessionStore;
import dev.triage.caching.SessionState;
import dev.triage.caching.SessionStore;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.config.TriageConfig;
import dev.triage.routing.Decision;
import dev.triage.routing.Router;
import dev.triage.routing.RoutingException;
import dev.triage.routing.Step;
import dev.triage.tokens.TokenEstimator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage route "prompt"}: explains where a request would go, without calling any model. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Explain the routing decision for a prompt without calling a model.")
final class RouteCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--route", defaultValue = "auto", description = "route (or model) to ask for (default: ${DEFAULT-VALUE})")
    String route;

    @Option(names = "--task", description = "task type hint, as x-triage-task")
    String task;

    @Option(names = "--quality", description = "quality hint: low, standard or high")
    String quality;

    @Option(names = "--max-latency-ms", description = "latency hint in milliseconds")
    Long maxLatencyMs;

    @Option(names = "--system", description = "a system prompt to include")
    String system;

    @Option(names = "--max-tokens", description = "the request's max_tokens")
    Integer maxTokens;

    @Option(names = "--session", description = "the conversation, as x-triage-session: with --warm, or with storage.redis"
            + " (the gateway's shared record of which model holds its cache), the decision is cache-aware")
    String session;

    @Option(names = "--warm", description = "MODEL[:TOKENS]: take the session's cache as warm on MODEL with TOKENS of"
            + " prompt (default: all of this prompt), as if MODEL had just answered its last turn")
    String warm;

    @Option(names = "--json", description = "print the decision as JSON")
    boolean asJson;

    @Parameters(index = "0", description = "the user prompt")
    String prompt;

    @Override
    public Integer call() throws Exception {
        try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
            return route(embedder);
        }
    }

    private int route(OnDemandEmbedder embedder) throws Exception {
        Map<String, String> env = System.getenv();
        TriageConfig cfg = config.loadOrReport(env, System.err, embedder);
        if (cfg == null) {
            return 2;
        }
        Hints hints;
        try {
            hints = new Hints(task == null ? null : new TaskType(task), quality == null ? null : QualityRequirement.parse(quality),
                    maxLatencyMs == null ? null : Duration.ofMillis(maxLatencyMs));
        } catch (IllegalArgumentException e) {
            System.err.println("triage route: " + e.getMessage());
            return 2;
        }
        PriceCatalog catalog = cfg.catalog();
        if (warm != null && session == null) {
            System.err.println("triage route: --warm needs --session");
            return 2;
        }
        try (Sessions sessions = Sessions.of(cfg, session, warm, catalog)) {
            return route(cfg, catalog, hints, sessions.store());
        } catch (IllegalArgumentException e) {
            System.err.println("triage route: " + e.getMessage());
            return 2;
        }
    }

    /** Where the router looks up the session: what --warm says, else the gateway's Redis record, else nowhere. */
    private record Sessions(SessionStore store, RedisLink redis) implements AutoCloseable {

        static Sessions of(TriageConfig cfg, String session, String warm, PriceCatalog catalog) {
            if (session == null) {
                return new Sessions(SessionStore.NONE, null);
            }
            if (warm == null) {
                if (cfg.storage().redis() == null) {
                    return new Sessions(SessionStore.NONE, null);
                }
                RedisLink redis = new RedisLink(cfg.storage().redis(), cfg.storage().redisTimeout());
                return new Sessions(new RedisSessionStore(redis, "triage:session:"), redis);
            }
            String[] parts = warm.split(":", 2);
            if (catalog.find(parts[0]).isEmpty()) {
                throw new IllegalArgumentException("--warm: '" + parts[0] + "' is not a known model");
            }
            long tokens = Long.MAX_VALUE;
            if (parts.length == 2) {
                try {
                    tokens = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    tokens = -1;
                }
                if (tokens < 0) {
                    throw new IllegalArgumentException("--warm: expected MODEL or MODEL:TOKENS with a whole number, got '" + warm + "'");
                }
            }
            return new Sessions(new WarmSession(parts[0], tokens), null);
        }

        @Override
        public void close() {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Every session warm on one model, warmed just now. */
    private record WarmSession(String model, long tokens) implements SessionStore {
        @Override
        public java.util.Optional<SessionState> get(String id) {
            return java.util.Optional.of(new SessionState(model, java.time.Instant.now(), tokens));
        }

        @Override
        public void put(String id, SessionState state) {
        }
    }

    private int route(TriageConfig cfg, PriceCatalog catalog, Hints hints, SessionStore sessions) throws Exception {
        Router router = TriageApp.router(cfg, catalog, id -> catalog.find(id).map(cfg::isAvailable).orElse(false),
                new TokenEstimator(), sessions, Clock.systemUTC());
        if (router.route(route).isEmpty() && catalog.find(route).isEmpty()) {
            System.err.println("triage route: '" + route + "' is neither a route (" + String.join(", ", router.routes().keySet())
                    + ") nor a known model");
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        body.put("model", route);
        var messages = body.putArray("messages");
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        messages.addObject().put("role", "user").put("content", prompt);
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        Decision d;
        try {
            ChatRequest request = new ChatRequest(body);
            if (session != null) {
                request = request.withCache(cfg.promptCache().choose(request, null, session));
            }
            d = router.decide(route, request, hints);
        } catch (RoutingException e) {
            System.out.println("refused (" + e.status() + " " + e.code() + "): " + e.getMessage());
            return 1;
        }
        System.out.println(asJson ? json.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(json, d)) : text(d));
        return 0;
    }

    private static String text(Decision d) {
        TaskProfile p = d.profile();
        StringBuilder b = new StringBuilder();
        b.append("route      ").append(d.route()).append(" (policy ").append(d.policy()).append(")\n");
        b.append("task       ").append(p.taskType()).append(p.taskHinted() ? " (from the hint)" : String.format(" (confidence %.2f)", p.confidence())).append('\n');
        b.append("complexity ").append(p.complexity().name().toLowerCase()).append('\n');
        b.append("quality    ").append(p.quality().wireName()).append('\n');
        b.append("input      ").append(p.inputTokens()).append(" tokens (estimate)\n");
        if (p.latencyLimit() != null) {
            b.append("latency    ").append(p.latencyLimit().toMillis()).append(" ms limit\n");
        }
        if (d.tier() != null) {
            b.append("tier       ").append(d.tier()).append(d.downgraded() ? " (downgraded: a higher tier's budget is spent)" : "").append('\n');
        }
        b.append("plan\n");
        for (int i = 0; i < d.steps().size(); i++) {
            Step s = d.steps().get(i);
            b.append("  ").append(i + 1).append(". ").append(String.join(" -> ", s.models()));
            if (s.acceptConfidence() != null) {
                b.append("  (accept if ").append(d.scorer().kind()).append(" confidence >= ").append(s.acceptConfidence()).append(", else next)");
            }
            if (s.latencyBudget() != null) {
                b.append("  (latency budget ").append(s.latencyBudget().toMillis()).append(" ms)");
            }
            if (s.thinking()) {
                b.append("  (reasoning mode)");
            }
            b.append('\n');
        }
        b.append("why\n");
        d.reasons().forEach(r -> b.append("  - ").append(r).append('\n'));
        return b.toString().stripTrailing();
    }

    private static ObjectNode toJson(ObjectMapper json, Decision d) {
        ObjectNode o = json.createObjectNode();
        o.put("route", d.route());
        o.put("policy", d.policy());
        ObjectNode p = o.putObject("profile");
        p.put("task", d.profile().taskType().name());
        p.put("task_hinted", d.profile().taskHinted());
        p.put("confidence", d.profile().confidence());
        p.put("complexity", d.profile().complexity().name().toLowerCase());
        p.put("quality", d.profile().quality().wireName());
        p.put("input_tokens", d.profile().inputTokens());
        o.put("tier", d.tier());
        o.put("downgraded", d.downgraded());
        var steps = o.putArray("steps");
        for (Step s : d.steps()) {
            ObjectNode st = steps.addObject();
            st.put("label", s.label());
            s.models().forEach(st.putArray("models")::add);
            st.put("accept_confidence", s.acceptConfidence());
            st.put("latency_budget_ms", s.latencyBudget() == null ? null : s.latencyBudget().toMillis());
            st.put("thinking", s.thinking());
        }
        o.put("scorer", d.scorer().kind());
        if (!d.predicted().isEmpty()) {
            ObjectNode q = o.putObject("predicted_quality");
            d.predicted().forEach(q::put);
        }
        d.reasons().forEach(o.putArray("reasons")::add);
        o.put("summary", d.summary());
        return o;
    }
}
