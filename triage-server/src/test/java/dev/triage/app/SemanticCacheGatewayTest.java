package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The semantic response cache through the live gateway, with the real embeddings model. */
class SemanticCacheGatewayTest {

    private GatewayHarness gw;

    @BeforeEach
    void start() throws IOException {
        gw = new GatewayHarness("cache: {semantic: {enabled: true}}\n", Files.createTempDirectory("triage-sem"), TriageApp.embedder());
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("x-triage-cache-status").orElse(null);
    }

    @Test
    void aParaphraseHitsAndADifferentQuestionWithSimilarWordsDoesNot() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = gw.post("/v1/chat/completions", GatewayHarness.ask("fast", "What is the capital of France?"));
        assertThat(status(first)).isEqualTo("miss");

        HttpResponse<String> paraphrase = gw.post("/v1/chat/completions",
                GatewayHarness.ask("fast", "Which city is the capital of France?"));
        assertThat(paraphrase.statusCode()).isEqualTo(200);
        assertThat(status(paraphrase)).isEqualTo("hit-semantic");
        assertThat(paraphrase.headers().firstValue("x-triage-cost-usd")).hasValue("0");
        assertThat(json(paraphrase.body()).get("choices")).isEqualTo(json(first.body()).get("choices"));
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);

        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> other = gw.post("/v1/chat/completions", GatewayHarness.ask("fast", "What is the capital of Spain?"));
        assertThat(status(other)).isEqualTo("miss");
        assertThat(gw.primary.getRequestCount()).isEqualTo(2);

        // The same question after another history is another conversation's turn: never answered from the cache.
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String withHistory = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"Let's talk about Spain.\"},"
                + "{\"role\":\"assistant\",\"content\":\"Sure.\"},{\"role\":\"user\",\"content\":\"Which city is the capital of France?\"}]}";
        assertThat(status(gw.post("/v1/chat/completions", withHistory))).isEqualTo("miss");
        assertThat(gw.primary.getRequestCount()).isEqualTo(3);

        var cache = json(gw.get("/api/report").body()).get("cache");
        assertThat(cache.get("hits").asLong()).isEqualTo(1);
        assertThat(cache.get("semantic_hits").asLong()).isEqualTo(1);
        assertThat(cache.get("misses").asLong()).isEqualTo(3);
    }
}
