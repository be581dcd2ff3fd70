package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.analysis.TaskType;
import dev.triage.chat.Money;
import dev.triage.provider.simulated.SimulatedFactory;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.CascadeRouteSpec.Stage;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TaskRouteSpec.Rule;
import dev.triage.routing.TieredRouteSpec;
import dev.triage.routing.TieredRouteSpec.Tier;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code routes:} is read into the routing engine's specs; every mistake names file, line, column and key. */
class ConfigRoutesTest {

    /** The routes of docs/design.md section 4 with every refinement: scorer, floors, time zone. */
    static final String DESIGN_ROUTES = """
            providers:
              openai:    {kind: openai,    api_key: "${OPENAI_API_KEY}"}
              anthropic: {kind: anthropic, api_key: "${ANTHROPIC_API_KEY}"}
              google:    {kind: gemini,    api_key: "${GEMINI_API_KEY}"}
            routes:
              task:
                policy: task
                scorer: heuristic
                task_types:
                  classification:  {model: gemini-2.0-flash,  threshold: 0.85, fallback: claude-3.5-sonnet}
                  summarization:   {model: claude-3.5-sonnet, max_input_tokens: 5000, fallback: gpt-4.1}
                  code_generation: {model: claude-3.7-sonnet, fallback: gpt-4.5}
                  reasoning:       {model: gpt-4.5, thinking: true, fallback: claude-3.7-sonnet}
                  fast_response:   {model: gemini-2.0-flash, max_latency_ms: 1000}
                default: summarization
                quality_floor: {model: gemini-2.0-flash}
              tiered:
                policy: tiered
                time_zone: UTC
                tiers:
                  high:   {models: [claude-3.7-sonnet, gpt-4.5],      daily_budget_usd: 500}
                  medium: {models: [claude-3.5-sonnet, gpt-4.1],      daily_budget_usd: 1000}
                  low:    {models: [gemini-2.0-flash, gpt-4.1-mini],  daily_budget_usd: 10000}
                quality_floor: {tier: medium}
              cascade:
                policy: cascade
                scorer: {kind: verifier, judge_model: gpt-4.1-mini}
                stages:
                  - {model: gemini-2.0-flash,  accept_confidence: 0.9}
                  - {model: claude-3.5-sonnet, accept_confidence: 0.7}
                  - {model: gpt-4.5}
              auto: {policy: cascade, from: cascade}
            """;

    static final Map<String, String> KEYS = Map.of("OPENAI_API_KEY", "k1", "ANTHROPIC_API_KEY", "k2", "GEMINI_API_KEY", "k3");

    static final List<Stage> DESIGN_STAGES = List.of(new Stage("gemini-2.0-flash", 0.9), new Stage("claude-3.5-sonnet", 0.7),
            new Stage("gpt-4.5", null));

    private static Map<String, RouteSpec> routes(String yaml) {
        return ConfigLoader.parse(yaml, "triage.yaml", KEYS).routes();
    }

    private static String errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "triage.yaml", KEYS)).getMessage();
    }

    @Test
    void theDesignRoutesParseIntoTheEngineSpecs() {
        Map<String, RouteSpec> routes = routes(DESIGN_ROUTES);

        assertThat(routes.keySet()).containsExactly("task", "tiered", "cascade", "auto");
        assertThat(routes.get("task")).isEqualTo(new TaskRouteSpec("task", Map.of(
                TaskType.CLASSIFICATION, new Rule("gemini-2.0-flash", 0.85, "claude-3.5-sonnet", null, null, false),
                TaskType.SUMMARIZATION, new Rule("claude-3.5-sonnet", null, "gpt-4.1", 5000, null, false),
                TaskType.CODE_GENERATION, new Rule("claude-3.7-sonnet", null, "gpt-4.5", null, null, false),
                TaskType.REASONING, new Rule("gpt-4.5", null, "claude-3.7-sonnet", null, null, true),
                TaskType.FAST_RESPONSE, new Rule("gemini-2.0-flash", null, null, null, Duration.ofMillis(1000), false)),
                TaskType.SUMMARIZATION, ScorerSpec.HEURISTIC, new QualityFloor.Model("gemini-2.0-flash")));
        assertThat(routes.get("tiered")).isEqualTo(new TieredRouteSpec("tiered", List.of(
                new Tier("high", List.of("claude-3.7-sonnet", "gpt-4.5"), Money.ofUsd("500")),
                new Tier("medium", List.of("claude-3.5-sonnet", "gpt-4.1"), Money.ofUsd("1000")),
                new Tier("low", List.of("gemini-2.0-flash", "gpt-4.1-mini"), Money.ofUsd("10000"))),
                ZoneOffset.UTC, new QualityFloor.Tier("medium")));
        assertThat(routes.get("cascade")).isEqualTo(new CascadeRouteSpec("cascade", DESIGN_STAGES,
                new ScorerSpec.Verifier("gpt-4.1-mini"), QualityFloor.NONE));
        assertThat(routes.get("auto")).isEqualTo(new CascadeRouteSpec("auto", DESIGN_STAGES,
                new ScorerSpec.Verifier("gpt-4.1-mini"), QualityFloor.NONE));
    }

    @Test
    void leftOutSettingsTakeTheirDefaults() {
        Map<String, RouteSpec> routes = routes("""
                routes:
                  t: {policy: task, task_types: {chat: {model: gpt-4.1-mini}, reasoning: {model: o3}}}
                  b: {policy: tiered, tiers: {only: {models: gpt-4.1}}}
                  c: {policy: cascade, stages: [{model: gpt-4.1}]}
                """);

        // no default: the first rule; no scorer: heuristic; no floor: none; no zone: UTC; no budget: unlimited
        assertThat(routes.get("t")).isEqualTo(new TaskRouteSpec("t", Map.of(
                TaskType.CHAT, new Rule("gpt-4.1-mini", null, null, null, null, false),
                TaskType.REASONING, new Rule("o3", null, null, null, null, false)),
                TaskType.CHAT, ScorerSpec.HEURISTIC, QualityFloor.NONE));
        assertThat(routes.get("b")).isEqualTo(new TieredRouteSpec("b", List.of(new Tier("only", List.of("gpt-4.1"), null)),
                ZoneOffset.UTC, QualityFloor.NONE));
        assertThat(routes.get("c")).isEqualTo(new CascadeRouteSpec("c", List.of(new Stage("gpt-4.1", null)),
                ScorerSpec.HEURISTIC, QualityFloor.NONE));
    }

    @Test
    void tiersKeepTheFileOrderAndBudgetsAreExact() {
        TieredRouteSpec route = (TieredRouteSpec) routes("""
                routes:
                  r:
                    policy: tiered
                    time_zone: America/New_York
                    tiers:
                      zeta:  {models: [gpt-4.5], daily_budget_usd: 0.000001}
                      alpha: {models: [gpt-4.1], daily_budget_usd: 12.5}
                      mid:   {models: [gpt-4.1-mini], daily_budget_usd: 0}
                """).get("r");

        assertThat(route.tiers()).extracting(Tier::name).containsExactly("zeta", "alpha", "mid");
        assertThat(route.tiers()).extracting(Tier::dailyBudget)
                .containsExactly(new Money(1_000_000L), new Money(12_500_000_000_000L), Money.ZERO);
        assertThat(route.zone()).isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void scorersAreAKindOrAMapping() {
        Map<String, RouteSpec> routes = routes("""
                routes:
                  a: {policy: cascade, scorer: consistency, stages: [{model: gpt-4.1}]}
                  b: {policy: cascade, scorer: {kind: consistency, samples: 5}, stages: [{model: gpt-4.1}]}
                  c: {policy: cascade, scorer: {kind: logprob}, stages: [{model: gpt-4.1-mini, accept_confidence: 0.8}, {model: gpt-4.1}]}
                  d: {policy: task, scorer: {kind: heuristic}, task_types: {chat: {model: gpt-4.1}}}
                """);

        assertThat(((CascadeRouteSpec) routes.get("a")).scorer()).isEqualTo(new ScorerSpec.Consistency(3));
        assertThat(((CascadeRouteSpec) routes.get("b")).scorer()).isEqualTo(new ScorerSpec.Consistency(5));
        assertThat(((CascadeRouteSpec) routes.get("c")).scorer()).isEqualTo(new ScorerSpec.Logprob());
        assertThat(((TaskRouteSpec) routes.get("d")).scorer()).isEqualTo(ScorerSpec.HEURISTIC);
    }

    @Test
    void aCopyIsItsSourceUnderANewNameWhereverItIsWritten() {
        Map<String, RouteSpec> routes = routes("""
                routes:
                  fast: {from: tiers}
                  tiers: {policy: tiered, tiers: {high: {models: [gpt-4.5]}, low: {models: [gpt-4.1-mini]}}}
                  smart: {policy: tiered, from: tiers}
                """);

        assertThat(routes.keySet()).containsExactly("fast", "tiers", "smart");
        TieredRouteSpec source = (TieredRouteSpec) routes.get("tiers");
        assertThat(routes.get("fast")).isEqualTo(new TieredRouteSpec("fast", source.tiers(), source.zone(), source.floor()));
        assertThat(routes.get("smart")).isEqualTo(new TieredRouteSpec("smart", source.tiers(), source.zone(), source.floor()));
    }

    @Test
    void modelsOfADisabledProviderAreStillKnown() {
        Map<String, RouteSpec> routes = ConfigLoader.parse("""
                providers:
                  google: {kind: gemini, api_key: "${GEMINI_API_KEY}"}
                routes:
                  r: {policy: cascade, stages: [{model: gemini-2.0-flash}]}
                """, "triage.yaml", Map.of()).routes();

        assertThat(routes.get("r")).isEqualTo(new CascadeRouteSpec("r", List.of(new Stage("gemini-2.0-flash", null)),
                ScorerSpec.HEURISTIC, QualityFloor.NONE));
    }

    @Test
    void routesMayUseModelsAddedUnderModels() {
        Map<String, RouteSpec> routes = routes("""
                providers:
                  local: {kind: openai, base_url: "http://127.0.0.1:11434/v1"}
                models:
                  llama3: {provider: local, input_per_mtok: 0, output_per_mtok: 0}
                routes:
                  r: {policy: cascade, scorer: logprob, stages: [{model: llama3, accept_confidence: 0.5}, {model: gpt-4.1}]}
                """);

        assertThat(((CascadeRouteSpec) routes.get("r")).stages()).extracting(Stage::model).containsExactly("llama3", "gpt-4.1");
    }

    // ---- errors ----

    @Test
    void aPolicyIsRequiredAndMustBeKnown() {
        assertThat(errors("""
                routes:
                  a: {policy: cascad, stages: [{model: gpt-4.1}]}
                  b: {stages: [{model: gpt-4.1}]}
                  c: {policy: }
                """)).isEqualTo("""
                triage.yaml:2:15: routes.a.policy: unknown policy 'cascad' (expected one of task, tiered, cascade, learned, cheapest); did you mean 'cascade'?
                triage.yaml:3:3: routes.b: missing key 'policy' (one of task, tiered, cascade, learned, cheapest)
                triage.yaml:4:14: routes.c.policy: expected one of task, tiered, cascade, learned, cheapest""");
    }

    @Test
    void eachPolicyTakesOnlyItsOwnKeys() {
        assertThat(errors("""
                routes:
                  t: {policy: tiered, scorer: logprob, tiers: {high: {models: [gpt-4.5]}}, stage: []}
                  c: {policy: cascade, tiers: {}, stages: [{model: gpt-4.1}], qualty_floor: {model: gpt-4.1}}
                """)).isEqualTo("""
                triage.yaml:2:23: routes.t.scorer: 'scorer' applies only to task and cascade routes, not tiered routes
                triage.yaml:2:76: routes.t.stage: unknown key; a tiered route takes: policy, time_zone, tiers, quality_floor
                triage.yaml:3:24: routes.c.tiers: 'tiers' applies only to tiered routes, not cascade routes
                triage.yaml:3:63: routes.c.qualty_floor: unknown key; did you mean 'quality_floor'?""");
    }

    @Test
    void everyModelMustBeInTheCatalog() {
        assertThat(errors("""
                routes:
                  t:
                    policy: task
                    task_types:
                      chat: {model: gpt-4.2, fallback: claude-3.5-sonet}
                    quality_floor: {model: gemini-2.0-flahs}
                  b: {policy: tiered, tiers: {high: {models: [gpt-4.5, gpt-45]}}}
                  c: {policy: cascade, scorer: {kind: verifier, judge_model: gpt-4.1-mimi}, stages: [{model: nope}]}
                """)).isEqualTo("""
                triage.yaml:5:21: routes.t.task_types.chat.model: unknown model 'gpt-4.2' (not in the bundled catalog nor under models:); did you mean 'gpt-4.1'?
                triage.yaml:5:40: routes.t.task_types.chat.fallback: unknown model 'claude-3.5-sonet' (not in the bundled catalog nor under models:); did you mean 'claude-3.5-sonnet'?
                triage.yaml:6:28: routes.t.quality_floor.model: unknown model 'gemini-2.0-flahs' (not in the bundled catalog nor under models:); did you mean 'gemini-2.0-flash'?
                triage.yaml:7:56: routes.b.tiers.high.models[1]: unknown model 'gpt-45' (not in the bundled catalog nor under models:); did you mean 'gpt-4.5'?
                triage.yaml:8:62: routes.c.scorer.judge_model: unknown model 'gpt-4.1-mimi' (not in the bundled catalog nor under models:); did you mean 'gpt-4.1-mini'?
                triage.yaml:8:94: routes.c.stages[0].model: unknown model 'nope' (not in the bundled catalog nor under models:)""");
    }

    @Test
    void aTieredRouteNeedsTiersAndEachTierModels() {
        assertThat(errors("""
                routes:
                  a: {policy: tiered}
                  b: {policy: tiered, tiers: {}}
                  c: {policy: tiered, tiers: {high: {daily_budget_usd: 5}, low: {models: []}, mid: {models: [gpt-4.1, gpt-4.1]}}}
                """)).isEqualTo("""
                triage.yaml:2:3: routes.a: missing key 'tiers' (from the most to the least expensive, e.g. tiers: {high: {models: [gpt-4.1]}, low: {models: [gpt-4.1-mini]}})
                triage.yaml:3:30: routes.b.tiers: a tiered route needs at least one tier
                triage.yaml:4:31: routes.c.tiers.high: missing key 'models' (a tier needs at least one model)
                triage.yaml:4:74: routes.c.tiers.low.models: a tier needs at least one model
                triage.yaml:4:103: routes.c.tiers.mid.models[1]: 'gpt-4.1' is already in this tier""");
    }

    @Test
    void budgetsAreExactNonNegativeDollars() {
        assertThat(errors("""
                routes:
                  r:
                    policy: tiered
                    tiers:
                      a: {models: [gpt-4.5], daily_budget_usd: -1}
                      b: {models: [gpt-4.1], daily_budget_usd: 0.0000001}
                      c: {models: [gpt-4.1], daily_budget_usd: 10000000}
                      d: {models: [gpt-4.1], daily_budget_usd: lots}
                """)).isEqualTo("""
                triage.yaml:5:48: routes.r.tiers.a.daily_budget_usd: a budget cannot be negative, got -1
                triage.yaml:6:48: routes.r.tiers.b.daily_budget_usd: a budget may have at most 6 decimal places, got 0.0000001
                triage.yaml:7:48: routes.r.tiers.c.daily_budget_usd: a budget cannot exceed 9223372 USD, got 10000000
                triage.yaml:8:48: routes.r.tiers.d.daily_budget_usd: expected a number, got 'lots'""");
    }

    @Test
    void confidencesAreBetweenZeroAndOne() {
        assertThat(errors("""
                routes:
                  t: {policy: task, task_types: {chat: {model: gpt-4.1-mini, threshold: 1.5, fallback: gpt-4.1}}}
                  c: {policy: cascade, stages: [{model: gpt-4.1-mini, accept_confidence: -0.1}, {model: gpt-4.1}]}
                """)).isEqualTo("""
                triage.yaml:2:73: routes.t.task_types.chat.threshold: must be between 0 and 1, got 1.5
                triage.yaml:3:74: routes.c.stages[0].accept_confidence: must be between 0 and 1, got -0.1""");
    }

    @Test
    void everyStageButTheLastNeedsAnAcceptConfidenceAndTheLastHasNone() {
        assertThat(errors("""
                routes:
                  c:
                    policy: cascade
                    stages:
                      - {model: gpt-4.1-mini}
                      - {model: gpt-4.1, accept_confidence: 0.8}
                      - {model: gpt-4.5, accept_confidence: 0.5}
                """)).isEqualTo("""
                triage.yaml:5:9: routes.c.stages[0]: missing key 'accept_confidence' (every stage but the last needs one: its answer is returned when the scorer's confidence reaches it)
                triage.yaml:7:45: routes.c.stages[2].accept_confidence: the last stage always answers; remove accept_confidence""");
    }

    @Test
    void aCascadeNeedsAtLeastOneStage() {
        assertThat(errors("""
                routes:
                  a: {policy: cascade, stages: []}
                  b: {policy: cascade}
                  c: {policy: cascade, stages: {model: gpt-4.1}}
                  d: {policy: cascade, stages: [gpt-4.1]}
                """)).isEqualTo("""
                triage.yaml:2:32: routes.a.stages: a cascade needs at least one stage
                triage.yaml:3:3: routes.b: missing key 'stages' (from the cheapest model up, e.g. stages: [{model: gpt-4.1-mini, accept_confidence: 0.8}, {model: gpt-4.1}])
                triage.yaml:4:32: routes.c.stages: expected a list, got a mapping
                triage.yaml:5:33: routes.d.stages[0]: expected a mapping, got 'gpt-4.1'""");
    }

    @Test
    void taskTypesAreValidNamesAndTheDefaultHasARule() {
        assertThat(errors("""
                routes:
                  t:
                    policy: task
                    task_types:
                      Chat: {model: gpt-4.1}
                      code-gen: {model: gpt-4.1}
                      reasoning: {model: o3}
                    default: summarization
                  e: {policy: task, task_types: {}}
                  m: {policy: task}
                """)).isEqualTo("""
                triage.yaml:5:7: routes.t.task_types.Chat: task types are written in lower case: 'chat'
                triage.yaml:6:7: routes.t.task_types.code-gen: 'code-gen' is not a task type name (a lower-case word of letters, digits and '_', e.g. classification, summarization, code_generation, reasoning, fast_response, chat, extraction, translation)
                triage.yaml:8:14: routes.t.default: task type 'summarization' has no rule under task_types (rules: Chat, code-gen, reasoning)
                triage.yaml:9:33: routes.e.task_types: a task route needs at least one task type
                triage.yaml:10:3: routes.m: missing key 'task_types' (a rule per task type, e.g. task_types: {chat: {model: gpt-4.1-mini}})""");
    }

    @Test
    void ruleLimitsArePositiveAndThinkingIsABoolean() {
        assertThat(errors("""
                routes:
                  t:
                    policy: task
                    task_types:
                      chat: {model: gpt-4.1, max_input_tokens: 0, max_latency_ms: 0, thinking: yes, temperature: 0}
                """)).isEqualTo("""
                triage.yaml:5:48: routes.t.task_types.chat.max_input_tokens: must be at least 1, got 0
                triage.yaml:5:67: routes.t.task_types.chat.max_latency_ms: must be at least 1, got 0
                triage.yaml:5:80: routes.t.task_types.chat.thinking: expected true or false, got 'yes'
                triage.yaml:5:85: routes.t.task_types.chat.temperature: unknown key; expected one of: model, threshold, fallback, max_input_tokens, max_latency_ms, thinking""");
    }

    @Test
    void theTimeZoneMustBeAnIanaZone() {
        assertThat(errors("""
                routes:
                  a: {policy: tiered, time_zone: Europe/Pari, tiers: {high: {models: [gpt-4.1]}}}
                  b: {policy: tiered, time_zone: Mars/Olympus, tiers: {high: {models: [gpt-4.1]}}}
                """)).isEqualTo("""
                triage.yaml:2:34: routes.a.time_zone: unknown time zone 'Europe/Pari'; did you mean 'Europe/Paris'?
                triage.yaml:3:34: routes.b.time_zone: unknown time zone 'Mars/Olympus' (expected an IANA zone id such as UTC or Europe/Paris)""");
    }

    @Test
    void aCopyNamesAnOriginalRouteAndNothingElse() {
        assertThat(errors("""
                routes:
                  base: {policy: cascade, stages: [{model: gpt-4.1}]}
                  a: {from: bsae}
                  b: {from: a}
                  c: {from: c}
                  d: {from: base, stages: [{model: gpt-4.5}], frm: x}
                  e: {policy: task, from: base}
                """)).isEqualTo("""
                triage.yaml:3:13: routes.a.from: unknown route 'bsae' (routes: base, b, c, d, e); did you mean 'base'?
                triage.yaml:4:13: routes.b.from: route 'a' is itself a copy (of 'bsae'); copies cannot be chained, name the original route
                triage.yaml:5:13: routes.c.from: a route cannot be a copy of itself
                triage.yaml:6:19: routes.d.stages: 'stages' cannot be combined with 'from': a copy takes every setting from the route it names
                triage.yaml:6:47: routes.d.frm: unknown key; did you mean 'from'?
                triage.yaml:7:15: routes.e.policy: route 'base' is a cascade route, not task; a copy keeps its source's policy""");
    }

    @Test
    void aQualityFloorIsOneKnownTierOrModel() {
        assertThat(errors("""
                routes:
                  a: {policy: tiered, tiers: {high: {models: [gpt-4.5]}, low: {models: [gpt-4.1]}}, quality_floor: {tier: hgih}}
                  b: {policy: tiered, tiers: {high: {models: [gpt-4.5]}}, quality_floor: {tier: high, model: gpt-4.1}}
                  c: {policy: cascade, stages: [{model: gpt-4.1}], quality_floor: {tier: high}}
                  d: {policy: cascade, stages: [{model: gpt-4.1}], quality_floor: {}}
                """)).isEqualTo("""
                triage.yaml:2:107: routes.a.quality_floor.tier: unknown tier 'hgih' (tiers: high, low); did you mean 'high'?
                triage.yaml:3:74: routes.b.quality_floor: give either tier or model, not both
                triage.yaml:4:74: routes.c.quality_floor.tier: a tier floor applies only to tiered routes; use {model: ID}
                triage.yaml:5:67: routes.d.quality_floor: expected {model: ID}""");
    }

    @Test
    void scorersAreKnownAndCompletelyConfigured() {
        assertThat(errors("""
                routes:
                  a: {policy: cascade, scorer: verifer, stages: [{model: gpt-4.1}]}
                  b: {policy: cascade, scorer: verifier, stages: [{model: gpt-4.1}]}
                  c: {policy: cascade, scorer: {kind: verifier}, stages: [{model: gpt-4.1}]}
                  d: {policy: cascade, scorer: {kind: consistency, samples: 1}, stages: [{model: gpt-4.1}]}
                  e: {policy: cascade, scorer: {kind: heuristic, judge_model: gpt-4.1, samples: 3}, stages: [{model: gpt-4.1}]}
                  f: {policy: cascade, scorer: {judge_model: gpt-4.1}, stages: [{model: gpt-4.1}]}
                """)).isEqualTo("""
                triage.yaml:2:32: routes.a.scorer: unknown scorer 'verifer' (expected one of heuristic, logprob, verifier, consistency, learned); did you mean 'verifier'?
                triage.yaml:3:32: routes.b.scorer: the verifier scorer needs a judge model: scorer: {kind: verifier, judge_model: ID}
                triage.yaml:4:24: routes.c.scorer: missing key 'judge_model'
                triage.yaml:5:61: routes.d.scorer.samples: must be at least 2, got 1
                triage.yaml:6:63: routes.e.scorer.judge_model: 'judge_model' applies only to the verifier scorer
                triage.yaml:6:81: routes.e.scorer.samples: 'samples' applies only to the consistency scorer
                triage.yaml:7:24: routes.f.scorer: missing key 'kind' (one of heuristic, logprob, verifier, consistency, learned)""");
    }

    @Test
    void aLogprobScorerNeedsProvidersThatReturnLogprobs() {
        assertThat(errors("""
                providers:
                  openai: {kind: openai, api_key: k}
                  anthropic: {kind: anthropic, api_key: k}
                  google: {kind: gemini, api_key: "${UNSET_KEY}"}
                routes:
                  c:
                    policy: cascade
                    scorer: logprob
                    stages:
                      - {model: gemini-2.0-flash, accept_confidence: 0.9}
                      - {model: gpt-4.1-mini, accept_confidence: 0.8}
                      - {model: claude-3.5-sonnet}
                  t:
                    policy: task
                    scorer: {kind: logprob}
                    task_types: {chat: {model: claude-3.5-sonnet, threshold: 0.5, fallback: gpt-4.1}}
                """)).isEqualTo("""
                triage.yaml:8:13: routes.c.scorer: scorer logprob needs token logprobs, which provider 'anthropic' (anthropic) does not return; use heuristic, verifier or consistency
                triage.yaml:15:20: routes.t.scorer.kind: scorer logprob needs token logprobs, which provider 'anthropic' (anthropic) does not return; use heuristic, verifier or consistency""");
    }

    @Test
    void aLogprobScorerIsFineOverOpenAiGeminiAndSimulatedProviders() {
        Map<String, RouteSpec> routes = ConfigLoader.parse("""
                providers:
                  openai: {kind: openai, api_key: k}
                  google: {kind: simulated}
                routes:
                  c: {policy: cascade, scorer: logprob, stages: [{model: gemini-2.0-flash, accept_confidence: 0.9}, {model: gpt-4.1}]}
                """, "triage.yaml", Map.of()).routes();
        Map<String, RouteSpec> overGemini = ConfigLoader.parse("""
                providers:
                  openai: {kind: openai, api_key: k}
                  google: {kind: gemini, api_key: k}
                routes:
                  c: {policy: cascade, scorer: logprob, stages: [{model: gemini-2.0-flash, accept_confidence: 0.9}, {model: gpt-4.1}]}
                """, "triage.yaml", Map.of()).routes();

        assertThat(((CascadeRouteSpec) routes.get("c")).scorer()).isEqualTo(new ScorerSpec.Logprob());
        assertThat(((CascadeRouteSpec) overGemini.get("c")).scorer()).isEqualTo(new ScorerSpec.Logprob());
    }

    @Test
    void aRecursiveAliasCannotTrapTheReaderInALoop() {
        assertThat(errors("routes:\n  r: &r {policy: tiered, tiers: {high: *r}}\n")).isEqualTo("""
                triage.yaml:2:10: routes.r.tiers.high.policy: unknown key; expected one of: models, daily_budget_usd
                triage.yaml:2:26: routes.r.tiers.high.tiers: unknown key; expected one of: models, daily_budget_usd
                triage.yaml:2:34: routes.r.tiers.high: missing key 'models' (a tier needs at least one model)""");
    }

    // ---- the bundled configs ----

    @Test
    void theBuiltInDefaultHasTheFourDesignRoutesOnCurrentModelsWithHeuristicScorers() {
        Map<String, RouteSpec> routes = ConfigLoader.builtInDefault(KEYS).routes();

        assertThat(routes.keySet()).containsExactly("task", "tiered", "cascade", "auto");
        // The design's routes with each seed model replaced by its current successor (SeedLineupTest.SUCCESSORS).
        Map<String, RouteSpec> design = routes(SeedLineupTest.substitute(DESIGN_ROUTES));
        assertThat(routes.get("task")).isEqualTo(design.get("task"));
        assertThat(routes.get("tiered")).isEqualTo(design.get("tiered"));
        List<Stage> stages = List.of(new Stage("gemini-3.1-flash-lite", 0.9), new Stage("claude-sonnet-4.6", 0.7),
                new Stage("gpt-5.5", null));
        assertThat(routes.get("cascade")).isEqualTo(new CascadeRouteSpec("cascade", stages, ScorerSpec.HEURISTIC, QualityFloor.NONE));
        assertThat(routes.get("auto")).isEqualTo(new CascadeRouteSpec("auto", stages, ScorerSpec.HEURISTIC, QualityFloor.NONE));
    }

    @Test
    void theBuiltInDefaultIsValidWithoutAnyKey() {
        TriageConfig config = ConfigLoader.builtInDefault(Map.of());

        assertThat(config.providers().values()).noneMatch(ProviderConfig::enabled);
        assertThat(config.routes().keySet()).containsExactly("task", "tiered", "cascade", "auto");
    }

    @Test
    void theSimulatedDefaultHasTheSameRoutesServedBySimulatedProviders() {
        SimulatedProvider.Settings sim = new SimulatedProvider.Settings(Duration.ofMillis(150), 64, 200, 0.0);
        TriageConfig demo = ConfigLoader.builtInSimulated(sim);

        assertThat(demo.routes()).isEqualTo(ConfigLoader.builtInDefault(KEYS).routes());
        assertThat(demo.providers().keySet()).containsExactly("openai", "anthropic", "google");
        assertThat(demo.providers().values()).allSatisfy(p -> {
            assertThat(p.kind()).isEqualTo(new SimulatedFactory());
            assertThat(SimulatedFactory.settings(p.options())).isEqualTo(sim);
            assertThat(p.enabled()).isTrue();
        });
    }
}
