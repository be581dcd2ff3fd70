package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.provider.openai.OpenAiWire;
import dev.triage.simulate.DatasetLoader;
import dev.triage.simulate.ItemResult;
import dev.triage.simulate.Simulator;
import dev.triage.simulate.StrategyResult;
import dev.triage.tokens.TokenEstimator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One config, two doors: the same cascade route run by the live gateway against a fake upstream that
 * answers what the dataset recorded, and by {@code triage simulate} over that dataset, makes the same
 * decisions item by item.
 */
class GatewayMatchesSimulatorTest {

    @TempDir
    Path dir;

    // question -> {small's answer, big's answer}; small hedges on two of them, so the cascade escalates there
    private static final Map<String, String[]> ITEMS = new LinkedHashMap<>();

    static {
        ITEMS.put("What is 12 * 12?", new String[]{"144", "144"});
        ITEMS.put("Is 91 prime?", new String[]{"I'm not sure, maybe it is prime? I think so but I don't know.", "No: 91 = 7 * 13."});
        ITEMS.put("Capital of Australia?", new String[]{"Canberra.", "Canberra."});
        ITEMS.put("Derivative of x^3?", new String[]{"It might possibly be 3x^2, I'm not sure, perhaps.", "3x^2"});
    }

    @Test
    void theGatewayAndTheSimulatorMakeTheSameDecisions() throws Exception {
        // the dataset: manifest + one line per question with both models' recorded answers
        Path data = dir.resolve("tiny.jsonl");
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (var e : ITEMS.entrySet()) {
            lines.append(OpenAiWire.JSON.writeValueAsString(Map.of("id", "q" + (++n), "category", "mixed",
                    "messages", List.of(Map.of("role", "user", "content", e.getKey())),
                    "outcomes", Map.of("small", Map.of("score", e.getValue()[0].startsWith("I") || e.getValue()[0].startsWith("It") ? 0.0 : 1.0,
                                    "response", e.getValue()[0]),
                            "big", Map.of("score", 1.0, "response", e.getValue()[1]))))).append('\n');
        }
        Files.writeString(data, lines);
        Files.writeString(dir.resolve("tiny.json"), """
                {"name": "tiny", "items": 4, "score": {"min": 0, "max": 1, "kind": "correct"},
                 "models": {"small": {"input_per_mtok": 0.5, "output_per_mtok": 1.5}, "big": {"input_per_mtok": 5, "output_per_mtok": 15}},
                 "strong_model": "big", "weak_model": "small"}""");

        // a fake upstream that answers each (model, question) with the recorded answer
        try (MockWebServer upstream = new MockWebServer()) {
            upstream.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    JsonNode body = GatewayHarness.json(request.getBody().utf8());
                    String question = body.at("/messages/0/content").asText();
                    String answer = ITEMS.get(question)[body.get("model").asText().equals("small-upstream") ? 0 : 1];
                    return Completions.text(answer);
                }
            });
            upstream.start();
            String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(dir) + """
                    providers:
                      up: {kind: openai, base_url: "%s"}
                    models:
                      small: {provider: up, upstream_model: small-upstream, input_per_mtok: 0.5, output_per_mtok: 1.5}
                      big:   {provider: up, upstream_model: big-upstream, input_per_mtok: 5, output_per_mtok: 15}
                    routes:
                      cascade:
                        policy: cascade
                        stages:
                          - {model: small, accept_confidence: 0.85}
                          - {model: big}
                    """.formatted(GatewayYaml.baseUrl(upstream));
            TriageConfig config = ConfigLoader.parse(yaml, "same.yaml", Map.of());

            Map<String, List<String>> gateway = new LinkedHashMap<>();
            try (TriageApp app = TriageApp.start(config)) {
                var client = java.net.http.HttpClient.newHttpClient();
                int i = 0;
                for (String question : ITEMS.keySet()) {
                    String body = "{\"model\":\"cascade\",\"messages\":[{\"role\":\"user\",\"content\":" + OpenAiWire.JSON.valueToTree(question) + "}]}";
                    HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                            .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    gateway.put("q" + (++i), List.of(r.headers().firstValue("x-triage-attempts").orElseThrow().split(",")));
                }
            }

            Simulator simulator = new Simulator(DatasetLoader.load(data), new TokenEstimator());
            StrategyResult simulated = simulator.runRoute("cascade", null, "config route", config.routes().get("cascade"));
            Map<String, List<String>> offline = new LinkedHashMap<>();
            for (ItemResult item : simulated.items()) {
                offline.put(item.id(), item.calls());
            }
            assertThat(offline).isEqualTo(gateway);
            assertThat(gateway.get("q2")).containsExactly("small", "big"); // the hedged answers escalated
            assertThat(gateway.get("q1")).containsExactly("small");
        }
    }
}
