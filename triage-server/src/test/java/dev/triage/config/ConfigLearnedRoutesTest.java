package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.scoring.ScorerSpec;
import dev.triage.embed.Embedder;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SyntheticOutcomes;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy: learned} and the {@code learned} scorer: model files are read relative to the config,
 * once each, with the injected embedder; every way a model file or its models can be wrong is a
 * file:line:col error.
 */
class ConfigLearnedRoutesTest {

    /** fast and steady are served (by primary); lonely is served but not in the model file. */
    static final String MODELS = """
            providers:
              primary: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: k}
            models:
              fast:   {provider: primary, input_per_mtok: 1, output_per_mtok: 2}
              steady: {provider: primary, input_per_mtok: 3, output_per_mtok: 4}
              lonely: {provider: primary, input_per_mtok: 1, output_per_mtok: 2}
            """;

    @TempDir
    Path dir;

    private final AtomicInteger asked = new AtomicInteger();
    private final HashingEmbedder embedder = new HashingEmbedder();
    private final Supplier<Optional<Embedder>> embedders = () -> {
        asked.incrementAndGet();
        return Optional.of(embedder);
    };

    @BeforeEach
    void trainRouter() {
        SyntheticOutcomes.writeModelFile(dir.resolve("router.bin"), "fast", "steady");
    }

    private TriageConfig load(String routes) throws IOException {
        return load(routes, embedders);
    }

    private TriageConfig load(String routes, Supplier<Optional<Embedder>> with) throws IOException {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, MODELS + routes);
        return ConfigLoader.load(file, Map.of(), with);
    }

    private String errors(String routes) {
        return errors(routes, embedders);
    }

    private String errors(String routes, Supplier<Optional<Embedder>> with) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(routes, with));
        assertThat(e).as("the config should be refused").isNotNull();
        // paths of model files are absolute: shown relative to the test's directory
        return e.getMessage().replace(dir.toString(), "DIR");
    }

    @Test
    void aLearnedRouteTakesEveryServedModelOfItsFileWithTheDefaultTolerance() throws IOException {
        LearnedRouteSpec smart = (LearnedRouteSpec) load("""
                routes:
                  smart: {policy: learned, model_file: router.bin}
                """).routes().get("smart");

        assertThat(smart.modelFile()).isEqualTo("router.bin");
        assertThat(smart.model().models()).containsExactly("fast", "steady");
        assertThat(smart.candidates()).containsExactly("fast", "steady");
        assertThat(smart.rule()).isEqualTo(new LearnedRouteSpec.Tolerance(0.05));
        assertThat(smart.floor()).isEqualTo(QualityFloor.NONE);
    }

    @Test
    void candidatesToleranceAndFloorAreRead() throws IOException {
        LearnedRouteSpec smart = (LearnedRouteSpec) load("""
                routes:
                  smart:
                    policy: learned
                    model_file: ./router.bin
                    candidates: [steady, fast]
                    tolerance: -0.25
                    quality_floor: {model: fast}
                """).routes().get("smart");

        assertThat(smart.candidates()).containsExactly("steady", "fast");
        assertThat(smart.rule()).isEqualTo(new LearnedRouteSpec.Tolerance(-0.25));
        assertThat(smart.floor()).isEqualTo(new QualityFloor.Model("fast"));
    }

    @Test
    void relativeModelFilesStartAtTheConfigFilesDirectoryAndAbsoluteOnesAreKept() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        SyntheticOutcomes.writeModelFile(sub.resolve("near.bin"), "fast", "steady");
        Path file = sub.resolve("triage.yaml");
        Files.writeString(file, MODELS + """
                routes:
                  near: {policy: learned, model_file: near.bin}
                  up:   {policy: learned, model_file: ../router.bin}
                  abs:  {policy: learned, model_file: "%s"}
                """.formatted(dir.resolve("router.bin")));

        assertThat(ConfigLoader.load(file, Map.of(), embedders).routes()).containsOnlyKeys("near", "up", "abs");
    }

    @Test
    void aModelFileIsReadOnceHoweverManyRoutesAndScorersNameItAndTheEmbedderIsAskedOnce() throws IOException {
        Map<String, RouteSpec> routes = load("""
                routes:
                  a: {policy: learned, model_file: router.bin}
                  b: {policy: learned, model_file: ./router.bin, tolerance: 1}
                  c:
                    policy: cascade
                    scorer: {kind: learned, model_file: "${DIR:-.}/router.bin"}
                    stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]
                """).routes();

        LearnedRouteSpec a = (LearnedRouteSpec) routes.get("a");
        assertThat(((LearnedRouteSpec) routes.get("b")).model()).isSameAs(a.model());
        assertThat(((ScorerSpec.Learned) ((CascadeRouteSpec) routes.get("c")).scorer()).model()).isSameAs(a.model());
        assertThat(asked).hasValue(1);
    }

    @Test
    void aConfigWithoutLearnedRoutesNeverAsksForTheEmbedder() throws IOException {
        load("""
                routes:
                  c: {policy: cascade, stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]}
                """);

        assertThat(asked).hasValue(0);
    }

    @Test
    void copiesOfALearnedRouteShareItsModelAndSettings() throws IOException {
        Map<String, RouteSpec> routes = load("""
                routes:
                  auto: {from: smart}
                  smart: {policy: learned, model_file: router.bin, tolerance: 0.2}
                  also: {policy: learned, from: smart}
                """).routes();

        LearnedRouteSpec smart = (LearnedRouteSpec) routes.get("smart");
        assertThat(routes.get("auto")).isEqualTo(new LearnedRouteSpec("auto", smart.model(), "router.bin", smart.candidates(),
                0.2, QualityFloor.NONE));
        assertThat(routes.get("also")).isEqualTo(new LearnedRouteSpec("also", smart.model(), "router.bin", smart.candidates(),
                0.2, QualityFloor.NONE));
        assertThat(errors("""
                routes:
                  smart: {policy: learned, model_file: router.bin}
                  c: {policy: cascade, from: smart}
                """)).isEqualTo("DIR/triage.yaml:9:15: routes.c.policy: route 'smart' is a learned route, not cascade;"
                + " a copy keeps its source's policy");
    }

    @Test
    void aLearnedScorerJudgesWithTheModelFilesAcceptanceModelsOnCascadeAndTaskRoutes() throws IOException {
        Map<String, RouteSpec> routes = load("""
                routes:
                  c:
                    policy: cascade
                    scorer: {kind: learned, model_file: router.bin}
                    stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]
                  t:
                    policy: task
                    scorer: {kind: learned, model_file: router.bin}
                    task_types:
                      chat: {model: fast, threshold: 0.6, fallback: steady}
                      reasoning: {model: steady}
                """).routes();

        CascadeRouteSpec c = (CascadeRouteSpec) routes.get("c");
        assertThat(c.scorer().kind()).isEqualTo("learned");
        assertThat(((ScorerSpec.Learned) c.scorer()).model().judges("fast")).isTrue();
        // steady is the last stage: never judged, so the file need not judge it
        assertThat(((ScorerSpec.Learned) c.scorer()).model().judges("steady")).isFalse();
        assertThat(((ScorerSpec.Learned) ((TaskRouteSpec) routes.get("t")).scorer()).model()).isSameAs(((ScorerSpec.Learned) c.scorer()).model());
    }

    // ---- errors ----

    @Test
    void aLearnedRouteNeedsAModelFile() {
        assertThat(errors("""
                routes:
                  smart: {policy: learned}
                  blank: {policy: learned, model_file: ""}
                  none: {policy: learned, model_file: }
                """)).isEqualTo("""
                DIR/triage.yaml:8:3: routes.smart: missing key 'model_file' (the trained model, a file `triage train` writes; \
                relative paths start at the config's directory)
                DIR/triage.yaml:9:40: routes.blank.model_file: cannot be empty
                DIR/triage.yaml:10:38: routes.none.model_file: expected the path of a model file""");
    }

    @Test
    void aMissingNonModelWrongVersionOrDamagedFileIsRefusedWithTheReason() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("v2.bin")))) {
            out.write("TRIAGEML".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(2);
        }
        byte[] good = Files.readAllBytes(dir.resolve("router.bin"));
        Files.write(dir.resolve("cut.bin"), Arrays.copyOf(good, good.length / 2));

        assertThat(errors("""
                routes:
                  a: {policy: learned, model_file: missing.bin}
                  b: {policy: learned, model_file: notes.txt}
                  c: {policy: learned, model_file: v2.bin}
                  d: {policy: learned, model_file: cut.bin}
                """)).isEqualTo("""
                DIR/triage.yaml:8:36: routes.a.model_file: model file DIR/missing.bin: no such file
                DIR/triage.yaml:9:36: routes.b.model_file: model file DIR/notes.txt: not a Triage model file (it does not \
                start with TRIAGEML); make one with `triage train`
                DIR/triage.yaml:10:36: routes.c.model_file: model file DIR/v2.bin: model file format version 2, but this \
                Triage reads version 1 only; retrain it with this version's `triage train`
                DIR/triage.yaml:11:36: routes.d.model_file: model file DIR/cut.bin: damaged: it ends too early (truncated?)""");
    }

    @Test
    void aFileTrainedWithOtherEmbeddingsIsRefused() {
        SyntheticOutcomes.writeModelFile(dir.resolve("other.bin"), "fast", "steady", new HashingEmbedder("other-embeddings-384"));

        assertThat(errors("""
                routes:
                  smart: {policy: learned, model_file: other.bin}
                """)).isEqualTo("DIR/triage.yaml:8:40: routes.smart.model_file: model file DIR/other.bin: the model was trained"
                + " with embeddings 'other-embeddings-384' but this Triage embeds with 'test-hashing-384'; retrain it with"
                + " `triage train`");
    }

    @Test
    void withoutTheEmbeddingsModuleLearnedRoutesAndScorersAreRefused() {
        assertThat(errors("""
                routes:
                  smart: {policy: learned, model_file: router.bin}
                  c:
                    policy: cascade
                    scorer: {kind: learned, model_file: router.bin}
                    stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]
                """, ConfigLoader.NO_EMBEDDER)).isEqualTo("""
                DIR/triage.yaml:8:40: routes.smart.model_file: policy learned needs the triage-embeddings module (in-process \
                text embeddings), which is not on the class path
                DIR/triage.yaml:11:41: routes.c.scorer.model_file: the learned scorer needs the triage-embeddings module \
                (in-process text embeddings), which is not on the class path""");
    }

    @Test
    void anEmbedderThatFailsToLoadIsReportedOnce() {
        assertThat(errors("""
                routes:
                  smart: {policy: learned, model_file: router.bin}
                """, () -> {
            throw new IllegalStateException("cannot open model.onnx");
        })).isEqualTo("DIR/triage.yaml:8:40: routes.smart.model_file: the triage-embeddings module failed to load its model:"
                + " cannot open model.onnx");
    }

    @Test
    void candidatesMustBeKnownInTheFileServedAndListedOnce() {
        SyntheticOutcomes.writeModelFile(dir.resolve("vendors.bin"), "fast", "gpt-4.1");

        assertThat(errors("""
                routes:
                  a: {policy: learned, model_file: router.bin, candidates: [fast, lonely, nope, fast]}
                  b: {policy: learned, model_file: vendors.bin, candidates: [gpt-4.1]}
                  c: {policy: learned, model_file: router.bin, candidates: []}
                """)).isEqualTo("""
                DIR/triage.yaml:8:67: routes.a.candidates[1]: 'lonely' is not in model file router.bin (it knows fast, steady)
                DIR/triage.yaml:8:75: routes.a.candidates[2]: unknown model 'nope' (not in the bundled catalog nor under models:)
                DIR/triage.yaml:8:81: routes.a.candidates[3]: 'fast' is already a candidate
                DIR/triage.yaml:9:62: routes.b.candidates[0]: 'gpt-4.1' is not served: its provider 'openai' is not under providers:
                DIR/triage.yaml:10:60: routes.c.candidates: a learned route needs at least one candidate; leave the key out for \
                every model of the file that this config serves""");
    }

    @Test
    void byDefaultOnlyServedModelsOfTheFileAreCandidatesAndThereMustBeOne() throws IOException {
        SyntheticOutcomes.writeModelFile(dir.resolve("vendors.bin"), "fast", "gpt-4.1");
        SyntheticOutcomes.writeModelFile(dir.resolve("strangers.bin"), "cheap", "strong");

        assertThat(((LearnedRouteSpec) load("routes:\n  v: {policy: learned, model_file: vendors.bin}\n").routes().get("v"))
                .candidates()).containsExactly("fast");
        assertThat(errors("""
                routes:
                  s: {policy: learned, model_file: strangers.bin}
                """)).isEqualTo("DIR/triage.yaml:8:36: routes.s.model_file: none of the models in strangers.bin (cheap, strong)"
                + " is served by this config; add them under models: with a provider");
    }

    @Test
    void theToleranceIsBetweenMinusOneAndOne() {
        assertThat(errors("""
                routes:
                  a: {policy: learned, model_file: router.bin, tolerance: 1.5}
                  b: {policy: learned, model_file: router.bin, tolerance: -2}
                  c: {policy: learned, model_file: router.bin, tolerance: high}
                """)).isEqualTo("""
                DIR/triage.yaml:8:59: routes.a.tolerance: must be between -1 and 1, got 1.5
                DIR/triage.yaml:9:59: routes.b.tolerance: must be between -1 and 1, got -2
                DIR/triage.yaml:10:59: routes.c.tolerance: expected a number, got 'high'""");
    }

    @Test
    void aPriceWeightIsReadInsteadOfATolerance() throws IOException {
        LearnedRouteSpec priced = (LearnedRouteSpec) load("""
                routes:
                  smart: {policy: learned, model_file: ./router.bin, price_weight: 0.2}
                """).routes().get("smart");
        assertThat(priced.rule()).isEqualTo(new LearnedRouteSpec.PriceWeighted(0.2));
        assertThat(errors("""
                routes:
                  a: {policy: learned, model_file: router.bin, price_weight: 101}
                  b: {policy: learned, model_file: router.bin, price_weight: -0.1}
                  c: {policy: learned, model_file: router.bin, tolerance: 0.1, price_weight: 0.1}
                """)).isEqualTo("""
                DIR/triage.yaml:8:62: routes.a.price_weight: must be between 0 and 100, got 101
                DIR/triage.yaml:9:62: routes.b.price_weight: must be between 0 and 100, got -0.1
                DIR/triage.yaml:10:78: routes.c.price_weight: give tolerance (the cheapest model within it of every dearer one)\
                 or price_weight (predicted quality less the weight times the price share), not both""");
    }

    @Test
    void aLearnedScorerMustBeAbleToJudgeEveryStageButTheLast() {
        assertThat(errors("""
                routes:
                  c:
                    policy: cascade
                    scorer: {kind: learned, model_file: router.bin}
                    stages:
                      - {model: steady, accept_confidence: 0.5}
                      - {model: fast, accept_confidence: 0.5}
                      - {model: steady}
                  t:
                    policy: task
                    scorer: {kind: learned, model_file: router.bin}
                    task_types: {chat: {model: steady, threshold: 0.6, fallback: fast}, code_generation: {model: steady}}
                """)).isEqualTo("""
                DIR/triage.yaml:12:17: routes.c.stages[0].model: the learned scorer cannot judge answers of 'steady': model file \
                router.bin has no acceptance model for it (it judges fast; training learns one from at least 10 recorded \
                answers of the model, good and bad)
                DIR/triage.yaml:18:32: routes.t.task_types.chat.model: the learned scorer cannot judge answers of 'steady': model \
                file router.bin has no acceptance model for it (it judges fast; training learns one from at least 10 recorded \
                answers of the model, good and bad)""");
    }

    @Test
    void theLearnedScorerIsWrittenAsAMappingWithItsModelFile() {
        assertThat(errors("""
                routes:
                  a: {policy: cascade, scorer: learned, stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]}
                  b: {policy: cascade, scorer: {kind: learned}, stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]}
                  c: {policy: cascade, model_file: router.bin, stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]}
                  d: {policy: cascade, scorer: {kind: heuristic, model_file: router.bin}, stages: [{model: fast}]}
                  e: {policy: learned, model_file: router.bin, stages: [{model: fast}]}
                """)).isEqualTo("""
                DIR/triage.yaml:8:32: routes.a.scorer: the learned scorer needs a trained model: scorer: {kind: learned, \
                model_file: PATH}
                DIR/triage.yaml:9:24: routes.b.scorer: missing key 'model_file' (the trained model, a file `triage train` \
                writes; relative paths start at the config's directory)
                DIR/triage.yaml:10:24: routes.c.model_file: 'model_file' applies only to learned routes, not cascade routes; \
                a learned scorer takes it inside the scorer: scorer: {kind: learned, model_file: PATH}
                DIR/triage.yaml:11:62: routes.d.scorer.model_file: 'model_file' applies only to the learned scorer
                DIR/triage.yaml:12:48: routes.e.stages: 'stages' applies only to cascade routes, not learned routes""");
    }
}
