package dev.triage.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.report.Report.Line;
import dev.triage.report.Report.QualityLine;
import dev.triage.report.Report.Score;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of a {@link Report} ({@code GET /api/report}, {@code triage report --format json}).
 *
 * <p>Amounts in USD ({@code *_usd}) are JSON numbers written as plain decimals from exact
 * picodollars, never through a binary float: {@code 0.000123}, not {@code 1.23E-4}. A reader that
 * needs them exact parses them as decimals; {@code total_cost_picousd} is also given as an integer.
 */
public final class ReportJson {

    /** What {@code routing_efficiency.definition} says, so the figure explains itself. */
    public static final String EFFICIENCY_DEFINITION = "quality-weighted strong-only cost / actual cost: per route, "
            + "q x C_s / C_a, where C_a is what the route's attempts cost, C_s what its answered requests would have cost "
            + "sent once each to the route's most expensive model (re-priced from the answering attempts' real token counts), "
            + "and q the route's mean feedback score over that model's (1 without enough feedback); overall, "
            + "sum(q x C_s) / sum(C_a). Above 1 routing buys more quality per dollar than sending everything to the strongest model.";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** The report as indented JSON bytes (UTF-8). */
    public static byte[] bytes(Report report) {
        try {
            return JSON.writeValueAsBytes(tree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report always serialises", e);
        }
    }

    public static ObjectNode tree(Report report) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode period = root.putObject("period");
        period.put("from", report.period().from().toString());
        period.put("to", report.period().to().toString());
        root.put("generated_at", report.generatedAt().toString());
        Report.Totals t = report.totals();
        usd(root, "total_cost_usd", t.cost());
        root.put("total_cost_picousd", t.cost().picos());
        root.put("requests", t.requests());
        root.put("attempts", t.attempts());
        root.put("answered", t.answered());
        root.put("errors", t.errors());
        root.put("fallbacks", t.fallbacks());
        root.put("estimated_attempts", t.estimatedAttempts());
        root.put("input_tokens", t.inputTokens());
        root.put("output_tokens", t.outputTokens());
        root.put("avg_cost_per_request_usd", t.avgCostPerRequest());
        root.put("fallback_rate_pct", t.fallbackRatePct());
        root.put("provider_cached_input_pct", t.cachedInputPct());
        DeadLetterRow dead = report.deadLetters();
        ObjectNode deadLetters = root.putObject("dead_letters");
        deadLetters.put("entries", dead.entries());
        usd(deadLetters, "cost_usd", dead.cost());
        deadLetters.put("cost_picousd", dead.cost().picos());
        deadLetters.put("texts", dead.texts());
        lines(root.putArray("by_model"), report.byModel());
        lines(root.putArray("by_route"), report.byRoute());
        lines(root.putArray("by_task"), report.byTask());
        lines(root.putArray("by_tier"), report.byTier());
        lines(root.putArray("by_user"), report.byUser());
        ObjectNode scope = root.putObject("scope");
        scope.put("key", report.scope().key());
        scope.put("team", report.scope().team());
        ArrayNode byKey = root.putArray("by_key");
        for (Report.KeyLine k : report.byKey()) {
            ObjectNode o = byKey.addObject();
            o.put("name", k.name());
            o.put("team", k.team());
            o.put("requests", k.requests());
            o.put("attempts", k.attempts());
            o.put("input_tokens", k.inputTokens());
            o.put("output_tokens", k.outputTokens());
            usd(o, "cost_usd", k.cost());
            o.put("share_pct", k.sharePct());
        }
        lines(root.putArray("by_team"), report.byTeam());
        ArrayNode keyBudgets = root.putArray("key_budgets");
        for (Report.KeyBudget b : report.keyBudgets()) {
            ObjectNode o = keyBudgets.addObject();
            o.put("key", b.key());
            o.put("team", b.team());
            o.put("period", b.period());
            o.put("period_start", b.periodStart().toString());
            usd(o, "spent_usd", b.spent());
            usd(o, "limit_usd", b.limit());
            o.put("used_pct", b.usedPct());
        }
        ArrayNode daily = root.putArray("daily");
        for (Report.Day d : report.daily()) {
            ObjectNode o = daily.addObject();
            o.put("day", d.day().toString());
            o.put("requests", d.requests());
            usd(o, "cost_usd", d.cost());
            ObjectNode byModel = o.putObject("by_model");
            d.costByModel().forEach((model, cost) -> usd(byModel, model, cost));
        }
        ArrayNode budgets = root.putArray("budgets");
        for (Report.Budget b : report.budgets()) {
            ObjectNode o = budgets.addObject();
            o.put("route", b.route());
            o.put("tier", b.tier());
            o.put("day", b.day().toString());
            o.put("zone", b.zone());
            usd(o, "spent_usd", b.spent());
            usd(o, "limit_usd", b.limit());
            o.put("used_pct", b.usedPct());
        }
        ObjectNode quality = root.putObject("quality");
        score(quality.putObject("overall"), report.quality().overall());
        qualityLines(quality.putArray("by_model"), report.quality().byModel());
        qualityLines(quality.putArray("by_route"), report.quality().byRoute());
        qualityLines(quality.putArray("by_task"), report.quality().byTask());
        efficiency(root.putObject("routing_efficiency"), report.routingEfficiency());
        promptCache(root.putObject("prompt_cache"), report.promptCache());
        responseCache(root.putObject("cache"), report.responseCache());
        latency(root.putObject("latency"), report.latency());
        ArrayNode arms = root.putObject("context_experiment").putArray("arms");
        for (Report.ArmLine a : report.contextExperiment().arms()) {
            ObjectNode o = arms.addObject();
            o.put("arm", a.arm());
            o.put("requests", a.requests());
            o.put("answered", a.answered());
            o.put("attempts", a.attempts());
            usd(o, "cost_usd", a.cost());
            o.put("avg_cost_per_request_usd", a.avgCostPerRequest());
            o.put("input_tokens", a.inputTokens());
            o.put("output_tokens", a.outputTokens());
            score(o.putObject("quality"), a.quality());
        }
        ArrayNode recs = root.putArray("recommendations");
        for (Recommendation r : report.recommendations()) {
            ObjectNode o = recs.addObject();
            o.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
            o.put("text", r.text());
            o.put("est_monthly_savings_usd", r.estMonthlySavingsUsd());
            ObjectNode evidence = o.putObject("evidence");
            r.evidence().forEach((k, v) -> value(evidence, k, v));
        }
        return root;
    }

    private static void efficiency(ObjectNode o, RoutingEfficiency e) {
        o.put("definition", EFFICIENCY_DEFINITION);
        RoutingEfficiency.Summary s = e.overall();
        o.put("efficiency", s == null ? null : s.efficiency());
        o.put("rating", s == null ? null : s.rating());
        usd(o, "actual_cost_usd", s == null ? null : s.actualCost());
        usd(o, "strong_only_cost_usd", s == null ? null : s.strongOnlyCost());
        o.put("cost_pct_of_strong", s == null ? null : s.costPctOfStrong());
        ArrayNode routes = o.putArray("routes");
        for (RoutingEfficiency.RouteLine r : e.routes()) {
            ObjectNode l = routes.addObject();
            l.put("route", r.route());
            l.put("strongest_model", r.strongestModel());
            l.put("answered", r.answered());
            usd(l, "actual_cost_usd", r.actualCost());
            usd(l, "strong_only_cost_usd", r.strongOnlyCost());
            l.put("cost_pct_of_strong", r.costPctOfStrong());
            score(l.putObject("quality"), r.quality());
            score(l.putObject("strong_quality"), r.strongQuality());
            l.put("quality_adjusted", r.qualityAdjusted());
            l.put("quality_retained_pct", r.qualityRetainedPct());
            l.put("efficiency", r.efficiency());
            l.put("rating", ReportEngine.rating(r.efficiency()));
        }
    }

    private static void latency(ObjectNode o, Report.Latency l) {
        o.put("sampled_one_in", l.sampledOneIn());
        latencyLines(o.putArray("by_model"), l.byModel());
        latencyLines(o.putArray("by_route"), l.byRoute());
        ArrayNode daily = o.putArray("daily");
        for (Report.LatencyDay d : l.daily()) {
            ObjectNode day = daily.addObject();
            day.put("day", d.day().toString());
            day.put("attempts", d.attempts());
            day.put("errors", d.errors());
            day.put("error_rate_pct", d.errorRatePct());
            day.put("timed", d.timed());
            day.put("p50_ms", d.p50Ms());
            day.put("p95_ms", d.p95Ms());
        }
    }

    private static void latencyLines(ArrayNode array, List<Report.LatencyLine> lines) {
        for (Report.LatencyLine l : lines) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("requests", l.requests());
            o.put("attempts", l.attempts());
            o.put("errors", l.errors());
            o.put("error_rate_pct", l.errorRatePct());
            o.put("timed", l.timed());
            o.put("p50_ms", l.p50Ms());
            o.put("p95_ms", l.p95Ms());
            o.put("ttft_timed", l.ttftTimed());
            o.put("ttft_p50_ms", l.ttftP50Ms());
            o.put("ttft_p95_ms", l.ttftP95Ms());
        }
    }

    private static void promptCache(ObjectNode o, Report.PromptCache c) {
        usd(o, "saved_usd", c.saved());
        o.put("cached_input_tokens", c.cachedInputTokens());
        o.put("cache_write_tokens", c.cacheWriteTokens());
        o.put("input_tokens", c.inputTokens());
        o.put("hit_rate_pct", c.hitRatePct());
        cacheLines(o.putArray("by_model"), c.byModel());
        cacheLines(o.putArray("by_route"), c.byRoute());
    }

    private static void responseCache(ObjectNode o, Report.ResponseCache c) {
        o.put("hits", c.hits());
        o.put("semantic_hits", c.semanticHits());
        o.put("misses", c.misses());
        o.put("hit_rate_pct", c.hitRatePct());
        usd(o, "saved_usd", c.saved());
        responseCacheLines(o.putArray("by_route"), c.byRoute());
        responseCacheLines(o.putArray("by_model"), c.byModel());
    }

    private static void responseCacheLines(ArrayNode array, List<Report.ResponseCacheLine> lines) {
        for (Report.ResponseCacheLine l : lines) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("hits", l.hits());
            o.put("misses", l.misses());
            o.put("hit_rate_pct", l.hitRatePct());
            usd(o, "saved_usd", l.saved());
        }
    }

    private static void cacheLines(ArrayNode array, List<Report.CacheLine> lines) {
        for (Report.CacheLine l : lines) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("input_tokens", l.inputTokens());
            o.put("cached_input_tokens", l.cachedInputTokens());
            o.put("cache_write_tokens", l.cacheWriteTokens());
            o.put("hit_rate_pct", l.hitRatePct());
            usd(o, "saved_usd", l.saved());
        }
    }

    private static void lines(ArrayNode array, List<Line> lines) {
        for (Line l : lines) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("requests", l.requests());
            o.put("attempts", l.attempts());
            usd(o, "cost_usd", l.cost());
            o.put("share_pct", l.sharePct());
        }
    }

    private static void qualityLines(ArrayNode array, List<QualityLine> lines) {
        for (QualityLine l : lines) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("mean", l.score().mean());
            o.put("count", l.score().count());
        }
    }

    private static void score(ObjectNode o, Score s) {
        o.put("mean", s.mean());
        o.put("count", s.count());
    }

    private static void usd(ObjectNode o, String field, Money m) {
        if (m == null) {
            o.putNull(field);
        } else {
            o.put(field, m.usd());
        }
    }

    private static void value(ObjectNode o, String field, Object v) {
        switch (v) {
            case null -> o.putNull(field);
            case BigDecimal d -> o.put(field, d);
            case Long l -> o.put(field, l);
            case Integer i -> o.put(field, i);
            case Boolean b -> o.put(field, b);
            case Money m -> o.put(field, m.usd());
            default -> o.put(field, v.toString());
        }
    }
}
