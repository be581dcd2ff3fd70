package dev.triage.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskAnalyzerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenEstimator TOKENS = new TokenEstimator();
    private final TaskAnalyzer analyzer = new TaskAnalyzer(TOKENS);

    private static ChatRequest user(String text) {
        ObjectNode body = JSON.createObjectNode().put("model", "auto");
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return new ChatRequest(body);
    }

    private static ChatRequest body(String json) {
        try {
            return new ChatRequest((ObjectNode) JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private TaskProfile analyze(String text) {
        return analyzer.analyze(user(text), Hints.NONE);
    }

    // --- hints ---

    @Test
    void aTaskHintWinsOverInferenceWithFullConfidence() {
        TaskProfile p = analyzer.analyze(user("Translate into French: good morning"),
                new Hints(TaskType.REASONING, null, null));

        assertThat(p.taskType()).isEqualTo(TaskType.REASONING);
        assertThat(p.confidence()).isEqualTo(1.0);
        assertThat(p.taskHinted()).isTrue();
    }

    @Test
    void aHintMayNameATypeOutsideTheBuiltInOnes() {
        TaskProfile p = analyzer.analyze(user("hello"), new Hints(new TaskType("legal_review"), null, null));

        assertThat(p.taskType().name()).isEqualTo("legal_review");
        assertThat(p.taskHinted()).isTrue();
    }

    @Test
    void qualityAndLatencyComeFromHintsWithStandardAndNoLimitAsDefaults() {
        TaskProfile hinted = analyzer.analyze(user("hello"),
                new Hints(null, QualityRequirement.HIGH, Duration.ofMillis(1500)));
        TaskProfile plain = analyzer.analyze(user("hello"), Hints.NONE);

        assertThat(hinted.quality()).isEqualTo(QualityRequirement.HIGH);
        assertThat(hinted.latencyLimit()).isEqualTo(Duration.ofMillis(1500));
        assertThat(hinted.taskHinted()).isFalse();
        assertThat(plain.quality()).isEqualTo(QualityRequirement.STANDARD);
        assertThat(plain.latencyLimit()).isNull();
        assertThat(analyzer.analyze(user("hello"), null)).isEqualTo(plain);
    }

    @Test
    void aLatencyLimitDoesNotChangeComplexity() {
        String prompt = "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
                + "How much does the ball cost?";
        TaskProfile free = analyze(prompt);
        TaskProfile hurried = analyzer.analyze(user(prompt), new Hints(null, null, Duration.ofMillis(500)));

        assertThat(free.complexity()).isEqualTo(Complexity.MEDIUM);
        assertThat(hurried.complexity()).isEqualTo(Complexity.MEDIUM);
    }

    @Test
    void aFastResponseHintLowersComplexityThroughItsType() {
        String prompt = "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
                + "How much does the ball cost?";

        assertThat(analyze(prompt).taskType()).isEqualTo(TaskType.REASONING);
        assertThat(analyzer.analyze(user(prompt), new Hints(TaskType.FAST_RESPONSE, null, null)).complexity())
                .isEqualTo(Complexity.LOW);
    }

    // --- tokens and confidence ---

    @Test
    void inputTokensAreTheEstimatorsCountOfTheWholeConversation() {
        ChatRequest r = body("""
                {"model":"auto","messages":[{"role":"system","content":"You are terse."},
                {"role":"user","content":"What is the capital of France?"}]}""");

        assertThat(analyzer.analyze(r, Hints.NONE).inputTokens()).isEqualTo(TOKENS.countMessages(r.messages()));
        assertThat(analyzer.analyze(r, Hints.NONE).inputTokens()).isEqualTo(22);
    }

    @Test
    void withNoEvidenceTheTypeIsChatAtTheSoftmaxOfItsHeadStart() {
        TaskProfile p = analyze("ok");

        assertThat(p.taskType()).isEqualTo(TaskType.CHAT);
        // chat's 0.5 against seven zeros
        assertThat(p.confidence()).isCloseTo(Math.exp(0.5) / (Math.exp(0.5) + 7), within(1e-12));
    }

    @Test
    void agreeingExplicitCuesGiveHighConfidenceAndAMixedAskLowConfidence() {
        TaskProfile clear = analyze("Translate into German: \"The office is closed on Friday.\"");
        TaskProfile mixed = analyze("Summarize this and translate it.");

        assertThat(clear.taskType()).isEqualTo(TaskType.TRANSLATION);
        assertThat(clear.confidence()).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        assertThat(mixed.confidence()).isLessThan(0.5).isGreaterThan(0.0);
    }

    // --- task types ---

    @Test
    void explicitAsksInEnglishAreRecognised() {
        assertThat(analyze("Classify the sentiment of this review: \"Great battery, awful screen.\"").taskType())
                .isEqualTo(TaskType.CLASSIFICATION);
        assertThat(analyze("TL;DR of the thread below please:\n\nAlice: we ship Monday.\nBob: fine.").taskType())
                .isEqualTo(TaskType.SUMMARIZATION);
        assertThat(analyze("Write a Python function that merges two sorted lists.").taskType())
                .isEqualTo(TaskType.CODE_GENERATION);
        assertThat(analyze("Prove that the square root of 2 is irrational.").taskType())
                .isEqualTo(TaskType.REASONING);
        assertThat(analyze("What's the capital of France?").taskType()).isEqualTo(TaskType.FAST_RESPONSE);
        assertThat(analyze("Write a short poem about autumn.").taskType()).isEqualTo(TaskType.CHAT);
        assertThat(analyze("Extract every date from this text: signed 3 May, amended 9 June.").taskType())
                .isEqualTo(TaskType.EXTRACTION);
        assertThat(analyze("Translate into French: the meeting moved to Thursday.").taskType())
                .isEqualTo(TaskType.TRANSLATION);
    }

    @Test
    void chineseCuesAreRecognised() {
        assertThat(analyze("把这句话翻译成英文：我们明天开会。").taskType()).isEqualTo(TaskType.TRANSLATION);
        assertThat(analyze("请总结一下这篇文章的主要内容。").taskType()).isEqualTo(TaskType.SUMMARIZATION);
        assertThat(analyze("给这条评论做情感分类：快递很快，质量一般。").taskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(analyze("从这段文字中提取所有的人名。").taskType()).isEqualTo(TaskType.EXTRACTION);
        assertThat(analyze("用Python写一个函数，计算列表的平均值。").taskType()).isEqualTo(TaskType.CODE_GENERATION);
        assertThat(analyze("证明：任意两个奇数之和是偶数。").taskType()).isEqualTo(TaskType.REASONING);
    }

    @Test
    void wordsInsidePastedMaterialDoNotDecideTheType() {
        String email = "Hi team,\n\nPlease translate the attached brochure into French and German, and "
                + "summarize the feedback from the pilot. Thanks!\n\nMaria";

        assertThat(analyze("Extract the requests and the sender's name from this email:\n\n" + email).taskType())
                .isEqualTo(TaskType.EXTRACTION);
    }

    @Test
    void aShortFollowUpInheritsThePreviousAsk() {
        ChatRequest r = body("""
                {"model":"auto","messages":[
                {"role":"user","content":"Translate 'good morning' into Portuguese."},
                {"role":"assistant","content":"Bom dia."},
                {"role":"user","content":"And 'good night'?"}]}""");

        assertThat(analyzer.analyze(r, Hints.NONE).taskType()).isEqualTo(TaskType.TRANSLATION);
    }

    @Test
    void aSystemPromptNamesTheTaskForABareUserMessage() {
        ChatRequest r = body("""
                {"model":"auto","messages":[
                {"role":"system","content":"You are a sentiment classifier. Reply positive, negative or neutral."},
                {"role":"user","content":"Is the new update any good?"}]}""");

        assertThat(analyzer.analyze(r, Hints.NONE).taskType()).isEqualTo(TaskType.CLASSIFICATION);
    }

    @Test
    void aJsonSchemaWithAnEnumIsALabelAndWithoutOneAnExtraction() {
        String labels = """
                {"model":"auto","messages":[{"role":"user","content":"Review: fast shipping, wrong colour."}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object",
                 "properties":{"label":{"type":"string","enum":["positive","negative","mixed"]}}}}}}""";
        String fields = """
                {"model":"auto","messages":[{"role":"user","content":"Invoice 42 from Acme, due 1 May, total 90 EUR."}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object",
                 "properties":{"number":{"type":"string"},"due":{"type":"string"}}}}}}""";

        assertThat(analyzer.analyze(body(labels), Hints.NONE).taskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(analyzer.analyze(body(fields), Hints.NONE).taskType()).isEqualTo(TaskType.EXTRACTION);
    }

    // --- complexity ---

    @Test
    void aQuickFactualQuestionIsLowComplexity() {
        assertThat(analyze("What's the capital of France?").complexity()).isEqualTo(Complexity.LOW);
    }

    @Test
    void aSmallCodingTaskIsLowAndAConstrainedDesignIsHigh() {
        assertThat(analyze("Write a Python function that reverses a string.").complexity()).isEqualTo(Complexity.LOW);
        assertThat(analyze("""
                Design a distributed rate limiter service in Java. Requirements:
                - must handle 50k requests per second
                - at most 1% over-admission
                - survive the loss of any one node
                - thread-safe client library
                Explain the trade-offs.""").complexity()).isEqualTo(Complexity.HIGH);
    }

    @Test
    void aRigorousStepByStepProofIsHigh() {
        TaskProfile p = analyze("Prove rigorously, step by step, that there are infinitely many primes.");

        assertThat(p.taskType()).isEqualTo(TaskType.REASONING);
        assertThat(p.complexity()).isEqualTo(Complexity.HIGH);
    }

    @Test
    void longDocumentsRaiseComplexityByLength() {
        String paragraph = "The council reviewed the transport budget, the cycling scheme and the bus contract, "
                + "and heard from residents about parking, air quality and the cost of road repairs. ";
        String small = "Summarize this report:\n\n" + paragraph.repeat(50);   // ~1,500 tokens
        String medium = "Summarize this report:\n\n" + paragraph.repeat(100); // ~3,000 tokens
        String huge = "Summarize this report:\n\n" + paragraph.repeat(300);   // ~9,000 tokens

        assertThat(analyze(small).inputTokens()).isBetween(500, 2_000);
        assertThat(analyze(small).complexity()).isEqualTo(Complexity.LOW);
        assertThat(analyze(medium).inputTokens()).isBetween(2_001, 8_000);
        assertThat(analyze(medium).complexity()).isEqualTo(Complexity.MEDIUM);
        assertThat(analyze(huge).inputTokens()).isGreaterThan(8_000);
        assertThat(analyze(huge).complexity()).isEqualTo(Complexity.HIGH);
    }

    // --- odd inputs ---

    @Test
    void contentArraysAreReadThroughTheirTextParts() {
        ChatRequest r = body("""
                {"model":"auto","messages":[{"role":"user","content":[
                  {"type":"text","text":"Translate the caption into Spanish:"},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
                  {"type":"text","text":"A cat asleep on a keyboard."}]}]}""");

        TaskProfile p = analyzer.analyze(r, Hints.NONE);

        assertThat(p.taskType()).isEqualTo(TaskType.TRANSLATION);
        assertThat(p.inputTokens()).isEqualTo(TOKENS.countMessages(r.messages()));
    }

    @Test
    void toolMessagesAndToolCallsWithNullContentAreTolerated() {
        ChatRequest r = body("""
                {"model":"auto","tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}],
                 "messages":[
                  {"role":"user","content":"What's the weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"18C, cloudy"}]}""");

        TaskProfile p = analyzer.analyze(r, Hints.NONE);

        assertThat(p.taskType()).isEqualTo(TaskType.FAST_RESPONSE);
        assertThat(p.inputTokens()).isEqualTo(TOKENS.countMessages(r.messages()));
    }

    @Test
    void emptyOrMissingConversationsGiveALowConfidenceChatProfile() {
        for (String json : new String[] {
                "{\"model\":\"auto\",\"messages\":[]}",
                "{\"model\":\"auto\"}",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"}]}",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\"}]}",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"   \\n\\n  \"}]}",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}"}) {
            TaskProfile p = analyzer.analyze(body(json), Hints.NONE);

            assertThat(p.taskType()).as(json).isEqualTo(TaskType.CHAT);
            assertThat(p.confidence()).as(json).isLessThan(0.2);
            assertThat(p.complexity()).as(json).isEqualTo(Complexity.LOW);
        }
    }

    @Test
    void punctuationOnlyAndUnicodeEdgeCasesAreTolerated() {
        for (String text : new String[] {"?", "```", "\"", "「", "…", "😀😀😀", "1+1=", "::\n\n::", "\u0000"}) {
            TaskProfile p = analyze(text);

            assertThat(p.confidence()).as(text).isBetween(0.0, 1.0);
        }
    }

    @Test
    void theMessagesArrayIsNotModified() {
        ChatRequest r = user("Summarize: the sky is blue.");
        ArrayNode before = r.messages().deepCopy();

        analyzer.analyze(r, Hints.NONE);

        assertThat(r.messages()).isEqualTo(before);
    }
}
