package dev.triage.provider.openai;

import static dev.triage.provider.openai.OpenAiWire.CLIENT_REQUEST;
import static dev.triage.provider.openai.OpenAiWire.COMPLETION_REASONING_CACHED;
import static dev.triage.provider.openai.OpenAiWire.COMPLETION_TEXT;
import static dev.triage.provider.openai.OpenAiWire.COMPLETION_TOOL_CALL;
import static dev.triage.provider.openai.OpenAiWire.TOOLS_REQUEST;
import static dev.triage.provider.openai.OpenAiWire.call;
import static dev.triage.provider.openai.OpenAiWire.json;
import static dev.triage.provider.openai.OpenAiWire.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import dev.triage.provider.http.UpstreamHttp;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderCompleteTest {

    private static final UpstreamHttp HTTP = UpstreamHttp.withDefaults();
    private static final String KEY = "sk-proj-T3stOnlyKeyA1b2C3d4E5f6G7h8";

    private final MockWebServer server = new MockWebServer();
    private OpenAiProvider provider;

    @BeforeEach
    void start() throws Exception {
        server.start();
        provider = new OpenAiProvider("openai", server.url("/v1").toString(), KEY,
                Map.of("OpenAI-Organization", "org-triage"), HTTP);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void textAnswerIsReturnedAsTheUpstreamCompletionWithItsUsageAndFinishReason() {
        server.enqueue(json(200, COMPLETION_TEXT));

        ChatResponse response = provider.complete(call(CLIENT_REQUEST));

        assertThat(response.body()).isEqualTo(object(COMPLETION_TEXT));
        assertThat(response.body().path("system_fingerprint").asText()).isEqualTo("fp_34a54ae93c");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new Usage(19, 4, 0, 0, 0, false));
    }

    @Test
    void requestGoesToChatCompletionsWithUpstreamModelAndEveryParameterPassedThrough() throws Exception {
        server.enqueue(json(200, COMPLETION_TEXT));

        provider.complete(call(CLIENT_REQUEST));

        RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(object(sent.getBody().utf8())).isEqualTo(object("""
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},\
                {"role":"user","content":"Say hello"}],"temperature":0.2,"top_p":0.9,"max_completion_tokens":64,\
                "stop":["\\n\\n"],"seed":7,"user":"u-42","n":1,"presence_penalty":0.1,"frequency_penalty":0.3,\
                "logprobs":true,"top_logprobs":2,"response_format":{"type":"json_object"},"reasoning_effort":"low",\
                "metadata":{"team":"search"}}"""));
    }

    @Test
    void apiKeyTravelsAsBearerHeaderNeverInTheUrl() throws Exception {
        server.enqueue(json(200, COMPLETION_TEXT));

        provider.complete(call(CLIENT_REQUEST));

        RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.getHeaders().get("OpenAI-Organization")).isEqualTo("org-triage");
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getUrl().toString()).doesNotContain(KEY);
    }

    @Test
    void serverWithoutKeyGetsNoAuthorizationHeader() throws Exception {
        server.enqueue(json(200, COMPLETION_TEXT));
        OpenAiProvider local = new OpenAiProvider("vllm", server.url("/v1/").toString(), null, Map.of(), HTTP);

        local.complete(call(CLIENT_REQUEST));

        RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void metadataHoldingOnlyTheTaskHintIsDroppedAndStreamFlagsAreRemovedForACompleteCall() throws Exception {
        server.enqueue(json(200, COMPLETION_TEXT));

        provider.complete(call("""
                {"model":"triage/smart","messages":[{"role":"user","content":"hi"}],"stream":true,\
                "stream_options":{"include_usage":true},"metadata":{"task_type":"chat"}}"""));

        assertThat(object(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8()))
                .isEqualTo(object("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    @Test
    void anotherProvidersSignedThinkingBlocksAreNotSent() throws Exception {
        server.enqueue(json(200, COMPLETION_TEXT));

        provider.complete(call("""
                {"model":"triage/smart","messages":[{"role":"user","content":"hi"},                {"role":"assistant","content":"4","thinking_blocks":[{"type":"thinking","thinking":"t","signature":"EqQB"}]},                {"role":"user","content":"and?"}]}"""));

        assertThat(object(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8()).get("messages")).isEqualTo(object("""
                {"m":[{"role":"user","content":"hi"},{"role":"assistant","content":"4"},{"role":"user","content":"and?"}]}""").get("m"));
    }

    @Test
    void toolsAreSentAsGivenAndToolCallsComeBackWithFinishReasonToolCalls() throws Exception {
        server.enqueue(json(200, COMPLETION_TOOL_CALL));

        ChatResponse response = provider.complete(call(TOOLS_REQUEST));

        var sent = object(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent.get("tools")).isEqualTo(object(TOOLS_REQUEST).get("tools"));
        assertThat(sent.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(sent.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(response.finishReason()).isEqualTo("tool_calls");
        var toolCall = response.body().at("/choices/0/message/tool_calls/0");
        assertThat(toolCall.path("id").asText()).isEqualTo("call_Zq3mA8kXbL1vT9nR2cE5wYhJ");
        assertThat(toolCall.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(toolCall.at("/function/arguments").asText()).isEqualTo("{\"location\":\"Paris\"}");
        assertThat(response.usage()).isEqualTo(new Usage(62, 15, 0, 0, 0, false));
    }

    @Test
    void cachedPromptTokensAndReasoningTokensAreReadFromTheUsageDetails() {
        server.enqueue(json(200, COMPLETION_REASONING_CACHED));

        Usage usage = provider.complete(call(CLIENT_REQUEST)).usage();

        assertThat(usage).isEqualTo(new Usage(2006, 300, 1920, 0, 192, false));
        assertThat(usage.uncachedInputTokens()).isEqualTo(86);
    }

    @Test
    void deepSeekCacheHitsCountAsCachedInput() {
        server.enqueue(json(200, """
                {"id":"8f2d7c1e-5b3a-4c9d-a1e2-f3b4c5d6e7f8","object":"chat.completion","created":1753443200,\
                "model":"deepseek-chat","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},\
                "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":3,\
                "total_tokens":1203,"prompt_tokens_details":null,"prompt_cache_hit_tokens":1152,\
                "prompt_cache_miss_tokens":48},"system_fingerprint":"fp_8802369eaa_prod0425fp8"}"""));

        assertThat(provider.complete(call(CLIENT_REQUEST)).usage()).isEqualTo(new Usage(1200, 3, 1152, 0, 0, false));
    }

    @Test
    void missingUsageIsReportedAsEstimatedZerosForTheDispatcherToEstimate() {
        server.enqueue(json(200, """
                {"id":"chatcmpl-412","object":"chat.completion","created":1753443300,"model":"llama3.2",\
                "system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},\
                "finish_reason":"stop"}]}"""));

        ChatResponse response = provider.complete(call(CLIENT_REQUEST));

        assertThat(response.usage()).isEqualTo(new Usage(0, 0, 0, 0, 0, true));
        assertThat(response.finishReason()).isEqualTo("stop");
    }

    @Test
    void describesItselfAsAnOpenAiProviderThatCanReturnLogprobs() {
        assertThat(provider.name()).isEqualTo("openai");
        assertThat(provider.kind()).isEqualTo(new OpenAiFactory());
        assertThat(provider.supportsLogprobs()).isTrue();
    }

    @Test
    void headersTheHttpClientCannotSendAreRejectedAtConstruction() {
        assertThatThrownBy(() -> new OpenAiProvider("openai", "https://api.openai.com/v1", KEY, Map.of("Host", "evil"), HTTP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider 'openai': header 'Host' cannot be set");
    }
}
