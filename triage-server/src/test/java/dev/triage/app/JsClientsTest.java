package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official JavaScript clients (the Vercel AI SDK with {@code @ai-sdk/openai}, openai-node, the Anthropic
 * TypeScript SDK; versions pinned in {@code clients/js/package-lock.json}) against a live gateway on simulated
 * providers: {@code clients/js/run.mjs} drives each and prints what it got as one JSON line. Needs Node.js and
 * {@code npm ci --prefix clients/js} (which {@code .ci/run} does; with {@code TRIAGE_REQUIRE_JS_CLIENTS=1}, as
 * there, a missing install fails instead of skipping).
 */
class JsClientsTest {

    private static final Path CLIENTS = Path.of("..", "clients", "js").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static TriageApp app;

    @BeforeAll
    static void start() throws IOException {
        boolean installed = Files.isDirectory(CLIENTS.resolve("node_modules/ai")) && node() != null;
        if ("1".equals(System.getenv("TRIAGE_REQUIRE_JS_CLIENTS"))) {
            assertThat(installed).as("Node.js and " + CLIENTS + "/node_modules (npm ci --prefix clients/js)").isTrue();
        }
        Assumptions.assumeTrue(installed, "Node.js or clients/js/node_modules missing: run npm ci --prefix clients/js");
        dir = Files.createTempDirectory("triage-js");
        String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(dir) + """
                providers:
                  openai:    {kind: simulated, output_tokens: 40}
                  anthropic: {kind: simulated, output_tokens: 40}
                routes:
                  auto:
                    policy: cascade
                    scorer: heuristic
                    stages:
                      - {model: gpt-4.1-mini, accept_confidence: 0.9}
                      - {model: claude-sonnet-4.5}
                """;
        app = TriageApp.start(ConfigLoader.parse(yaml, "js-clients.yaml", Map.of()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static String node() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, "node"))) {
                return Path.of(d, "node").toString();
            }
        }
        return null;
    }

    /** Runs one check of run.mjs against the gateway and returns the JSON line it printed. */
    private static JsonNode run(String check) throws IOException, InterruptedException {
        return run(check, "auto");
    }

    /** As {@link #run(String)}, asking for {@code model} (a cascade route scores a stage's whole answer before it streams). */
    private static JsonNode run(String check, String model) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(node(), "run.mjs", check).directory(CLIENTS.toFile());
        pb.environment().put("TRIAGE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("TRIAGE_KEY", "unused-by-an-open-gateway");
        pb.environment().put("TRIAGE_MODEL", model);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        String last = text.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    @Test
    void vercelAiSdkGenerateTextThroughTheResponsesApi() throws Exception {
        JsonNode r = run("vercel-generate");
        assertThat(r.get("text").asText()).isNotBlank();
        assertThat(r.get("finishReason").asText()).isEqualTo("stop");
        assertThat(r.get("inputTokens").asInt()).isPositive();
        assertThat(r.get("outputTokens").asInt()).isPositive();
    }

    @Test
    void vercelAiSdkStreamTextThroughTheResponsesApi() throws Exception {
        JsonNode r = run("vercel-stream", "gpt-4.1-mini");
        assertThat(r.get("text").asText()).isNotBlank();
        assertThat(r.get("parts").asInt()).isGreaterThan(1);
        assertThat(r.get("finishReason").asText()).isEqualTo("stop");
        assertThat(r.get("outputTokens").asInt()).isPositive();
    }

    @Test
    void vercelAiSdkGenerateObjectGetsJsonValidAgainstItsSchema() throws Exception {
        JsonNode r = run("vercel-object");
        assertThat(r.at("/object/city").isTextual()).isTrue();
        assertThat(r.at("/object/population").isIntegralNumber()).isTrue();
    }

    @Test
    void openaiNodeResponsesPlainStreamedContinuedAndListedAndModelsRetrieve() throws Exception {
        JsonNode r = run("openai-responses");
        assertThat(r.get("first").asText()).isNotBlank();
        assertThat(r.get("firstId").asText()).startsWith("resp_");
        assertThat(r.get("status").asText()).isEqualTo("completed");
        assertThat(r.get("second").asText()).isNotBlank();
        assertThat(r.get("secondPrevious").asText()).isEqualTo(r.get("firstId").asText());
        assertThat(r.get("events")).extracting(JsonNode::asText).contains("response.created", "response.output_text.delta",
                "response.completed");
        assertThat(r.get("streamed").asText()).isNotBlank();
        assertThat(r.get("retrieved").asText()).isEqualTo("auto");
        // the SDK's pager, one item a page: the first question, its answer, the follow-up
        assertThat(r.get("inputItems")).extracting(JsonNode::asText)
                .containsExactly("message:user", "message:assistant", "message:user");
    }

    @Test
    void anthropicSdkMessagesCreateAndStream() throws Exception {
        JsonNode r = run("anthropic-messages");
        assertThat(r.get("type").asText()).isEqualTo("message");
        assertThat(r.get("text").asText()).isNotBlank();
        assertThat(r.get("stopReason").asText()).isEqualTo("end_turn");
        assertThat(r.get("inputTokens").asInt()).isPositive();
        assertThat(r.get("events")).extracting(JsonNode::asText).contains("message_start", "content_block_delta", "message_stop");
        assertThat(r.get("streamed").asText()).isNotBlank();
    }
}
