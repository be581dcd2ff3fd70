package dev.triage.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.app.TriageApp;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.ledger.AttemptStatus;
import dev.triage.provider.ProviderFactories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider added without touching main code: {@link EchoFactory} and {@link EchoProvider} are test
 * classes, registered by {@code src/test/echo-provider/META-INF/services/dev.triage.provider.ProviderFactory},
 * which only the surefire execution {@code provider-on-the-class-path} puts on the class path (the other
 * tests check messages that list exactly the built-in kinds). A config names the kind and the gateway serves it.
 */
@EnabledIfSystemProperty(named = "triage.test.classPathProviders", matches = "echo")
class EchoProviderGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASK = """
            {"model":"parrot-small","messages":[{"role":"user","content":"Say hello"}]%s}""";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TriageApp app;

    @BeforeAll
    static void start(@TempDir Path dir) {
        app = TriageApp.start(ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0}
                storage: {ledger: "sqlite:%s/ledger.db"}
                providers:
                  parrot: {kind: echo, repeat: 2}
                models:
                  parrot-small: {provider: parrot, upstream_model: echo-1, input_per_mtok: 1, output_per_mtok: 2}
                """.formatted(dir), "triage.yaml", Map.of()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theEchoKindIsFoundBesideTheBuiltInOnes() {
        assertThat(ProviderFactories.names()).containsExactly("openai", "anthropic", "gemini", "simulated", "echo");
        assertThat(ProviderFactories.named("echo")).contains(new EchoFactory());
        assertThat(app.providers().get("parrot").kind()).isEqualTo(new EchoFactory());
    }

    @Test
    void aModelOfAnEchoProviderIsAnsweredBilledAndRecorded() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", ASK.formatted(""));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("Say hello Say hello");
        // 9 prompt tokens at $1/M and 4 answer tokens at $2/M
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000017");
        String id = r.headers().firstValue("x-triage-request-id").orElseThrow();
        assertThat(app.ledger().findByRequest(id)).singleElement().satisfies(e -> {
            assertThat(e.provider()).isEqualTo("parrot");
            assertThat(e.model()).isEqualTo("parrot-small");
            assertThat(e.status()).isEqualTo(AttemptStatus.OK);
            assertThat(e.usage()).isEqualTo(Usage.reported(9, 4));
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.000017"));
        });
    }

    @Test
    void aStreamFromAnEchoProviderAddsUpToTheAnswer() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", ASK.formatted(",\"stream\":true"));

        List<String> events = Arrays.stream(r.body().split("\n\n")).filter(s -> !s.isBlank()).toList();
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 1)) {
            text.append(json(event.substring("data: ".length())).at("/choices/0/delta/content").asText(""));
        }
        assertThat(text).hasToString("Say hello Say hello");
    }

    @Test
    void itsCallsAreMeasuredUnderItsOwnGenAiProviderName() throws Exception {
        post("/v1/chat/completions", ASK.formatted(""));

        String metrics = CLIENT.send(HttpRequest.newBuilder(uri("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(metrics).contains("gen_ai_provider_name=\"triage.echo\"");
    }

    @Test
    void theConfigLoaderChecksItsKindAndOptionsAsItDoesTheBuiltInOnes() {
        assertThat(errors("providers: {p: {kind: ecko}}")).isEqualTo("triage.yaml:1:23: providers.p.kind: unknown provider kind 'ecko'"
                + " (expected one of openai, anthropic, gemini, simulated, echo); did you mean 'echo'?");
        assertThat(errors("providers: {p: {kind: echo, repeat: 11}}"))
                .isEqualTo("triage.yaml:1:37: providers.p.repeat: must be between 0 and 10, got 11");
        assertThat(errors("providers: {p: {kind: openai, repeat: 2}}"))
                .isEqualTo("triage.yaml:1:39: providers.p.repeat: 'repeat' applies only to echo providers");
        assertThat(errors("providers: {p: {kind: echo, base_url: \"http://localhost\"}}"))
                .isEqualTo("triage.yaml:1:39: providers.p.base_url: 'base_url' applies only to openai, anthropic and gemini providers");
    }

    private static String errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "triage.yaml", Map.of())).getMessage();
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }
}
