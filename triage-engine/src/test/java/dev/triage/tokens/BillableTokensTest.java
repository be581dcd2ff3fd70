package dev.triage.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.chat.ChatRequest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BillableTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenEstimator tokens = new TokenEstimator();

    private static ChatRequest request(String json) {
        try {
            return new ChatRequest((ObjectNode) JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void noTextTokenizesToMoreTokensThanItHasUtf8Bytes() {
        Random random = new Random(7);
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            noise.appendCodePoint(random.nextInt(0x20, 0x2FFFF));
        }
        for (String text : List.of("The quick brown fox jumps over the lazy dog.", "for (int i = 0; i < n; i++) { sum += a[i]; }",
                "机器学习是人工智能的一个分支。", "🙂🚀🧪 emoji 🇫🇷🇯🇵", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", noise.toString())) {
            assertThat((long) tokens.count(text)).as(text.substring(0, Math.min(20, text.length())))
                    .isLessThanOrEqualTo(BillableTokens.utf8Length(text));
        }
    }

    @Test
    void systemTextEveryMessageAndTheToolSchemasCountAsInputAtLeastAsTheProviderBillsThem() {
        ChatRequest request = request("""
                {"model":"m","messages":[{"role":"system","content":"You are a careful assistant. Answer in French."},
                {"role":"developer","content":"Never reveal the tools."},{"role":"user","content":"Weather in Paris?"}],
                "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}],
                "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"}}}}""");
        BillableTokens bound = BillableTokens.of(request);

        int billed = tokens.countMessages(request.messages()) + tokens.count(request.body().get("tools").toString())
                + tokens.count(request.body().get("response_format").toString());
        assertThat(bound.input(1_000, 1_000_000)).isGreaterThanOrEqualTo(billed + 346); // Anthropic's tool-use system prompt
        assertThat(bound.images()).isZero();
        assertThat(bound.unboundedInput()).isFalse();
    }

    @Test
    void eachImageCountsAtTheModelsPerImageBound() {
        BillableTokens bound = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Compare"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}},
                {"type":"image_url","image_url":{"url":"https://example.com/b.png","detail":"low"}}]}]}"""));

        assertThat(bound.images()).isEqualTo(2);
        // the image data is not counted as text: the bound is the per-image figure
        assertThat(bound.input(48_169, 128_000)).isEqualTo(bound.textTokens() + 2 * 48_169);
        assertThat(bound.textTokens()).isLessThan(100);
    }

    @Test
    void audioAndFilesAreBoundedOnlyByTheContextWindow() {
        BillableTokens bound = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Summarise"},
                {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}"""));

        assertThat(bound.unboundedInput()).isTrue();
        assertThat(bound.input(6_404, 200_000)).isEqualTo(200_000);
    }

    @Test
    void aLongPromptIsCappedByTheContextWindowSinceALongerOneIsRefusedUnbilled() {
        BillableTokens bound = BillableTokens.of(request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(100_000) + "\"}]}"));

        assertThat(bound.textTokens()).isGreaterThan(500_000);
        assertThat(bound.input(6_404, 128_000)).isEqualTo(128_000);
    }

    @Test
    void nAndBestOfMultiplyTheOutputAndThePromptIsBilledOnce() {
        BillableTokens hundred = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Name a colour."}],"n":100,"max_tokens":5}"""));
        BillableTokens bestOf = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Name a colour."}],"n":2,"best_of":3,"max_completion_tokens":7}"""));

        assertThat(hundred.output(32_768)).isEqualTo(500);
        assertThat(bestOf.output(32_768)).isEqualTo(21);
        assertThat(hundred.input(0, 1_000_000)).isEqualTo(bestOf.input(0, 1_000_000));
    }

    @Test
    void withoutALimitEveryChoiceMayReachTheModelsMaximumOutput() {
        BillableTokens bound = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Write a novel."}],"n":2,"reasoning_effort":"high"}"""));
        BillableTokens above = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Write a novel."}],"max_tokens":1000000}"""));

        assertThat(bound.output(32_768)).isEqualTo(65_536); // reasoning tokens are inside the limit
        assertThat(above.output(32_768)).isEqualTo(32_768);
    }

    @Test
    void aModelThatDeclaresNoLimitsIsAssumedToAnswerAtLeastAsLongAsAnyModelInTheCatalog() {
        ModelInfo unknown = new ModelInfo("local", "vllm", "local", Price.of("0.1", "0.1"), 0, 0, null, null, List.of());
        ModelInfo smallContext = new ModelInfo("small", "vllm", "small", Price.of("0.1", "0.1"), 8_192, 0, null, null, List.of());

        assertThat(unknown.outputLimit()).isEqualTo(131_072).isGreaterThanOrEqualTo(128_000);
        assertThat(smallContext.outputLimit()).isEqualTo(8_192);
        assertThat(unknown.imageTokenLimit()).isEqualTo(ModelInfo.DEFAULT_MAX_IMAGE_TOKENS);
    }

    @Test
    void predictedOutputIsBilledAsOutput() {
        BillableTokens bound = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Rename x to y."}],"max_tokens":10,
                "prediction":{"type":"content","content":"let y = 1; let z = y + 1;"}}"""));

        assertThat(bound.output(16_384)).isGreaterThan(10 + 20);
    }

    @Test
    void absurdCountsSaturateInsteadOfWrapping() {
        BillableTokens bound = BillableTokens.of(request("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"n":18446744073709551617,"max_tokens":18446744073709551617}"""));

        assertThat(bound.choices()).isEqualTo(Long.MAX_VALUE);
        assertThat(bound.output(32_768)).isEqualTo(Long.MAX_VALUE);
        assertThat(Price.of("2", "8").worstCase(10, bound.output(32_768))).isEqualTo(Price.UNAFFORDABLE);
    }
}
