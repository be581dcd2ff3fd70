package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.triage.provider.openai.OpenAiWire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at Triage, works unchanged. */
class OpenAiSdkCompatibilityTest {

    private final GatewayHarness gw = new GatewayHarness();
    private final OpenAIClient sdk = OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gw.app.port() + "/v1")
            .apiKey("unused-by-an-open-gateway")
            .maxRetries(0)
            .build();

    @AfterEach
    void stop() {
        sdk.close();
        gw.close();
    }

    @Test
    void sdkNonStreamingCall() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("fast").addUserMessage("Say hello").build());
        assertThat(completion.model()).isEqualTo("fast");
        assertThat(completion.choices().getFirst().message().content()).hasValue("Hello there!");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(19);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    }

    @Test
    void sdkStreamingCallWithUsage() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("fast").addUserMessage("Say hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(ch -> ch.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo("Hello there!");
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo("fast"));
        assertThat(chunks.getLast().usage().orElseThrow().totalTokens()).isEqualTo(23);
    }

    @Test
    void sdkSeesOpenAiErrorsAsTypedExceptions() {
        assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("no-such-model").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-model");
    }
}
