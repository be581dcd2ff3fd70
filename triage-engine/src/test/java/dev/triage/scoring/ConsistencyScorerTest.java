package dev.triage.scoring;

import static dev.triage.scoring.Completions.answer;
import static dev.triage.scoring.Completions.completion;
import static dev.triage.scoring.Completions.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsistencyScorerTest {

    private final ConsistencyScorer three = new ConsistencyScorer(3);

    private static double score(ConsistencyScorer scorer, String answer, Object... samples) {
        return scorer.score(answer("What is the capital of France?", answer), new ScriptedModelCalls().then(samples));
    }

    @Test
    void twoOfThreeAgreeingScoresTwoThirds() {
        assertThat(score(three, "Paris", "Paris", "Lyon")).isEqualTo(2.0 / 3);
        assertThat(score(three, "Paris", "Lyon", "Lyon")).isEqualTo(2.0 / 3);
        assertThat(score(three, "Paris", "Lyon", "Marseille")).isEqualTo(1.0 / 3);
        assertThat(score(three, "Paris.", "paris", "  PARIS!  ")).isEqualTo(1.0);
    }

    @Test
    void numbersAgreeWhateverTheWordsAroundThem() {
        assertThat(score(three, "The answer is 42.", "42", "42.0")).isEqualTo(1.0);
        assertThat(score(three, "Total: 1,200 dollars", "1200", "$1,200.00")).isEqualTo(1.0);
        assertThat(score(three, "答案是42。", "42", "41")).isEqualTo(2.0 / 3);
        assertThat(score(three, "5 - 3 = 2", "2", "-2")).isEqualTo(2.0 / 3);
    }

    @Test
    void optionLettersAgree() {
        assertThat(score(three, "B", "The answer is B.", "(C) Lyon")).isEqualTo(2.0 / 3);
        assertThat(score(three, "(A) Paris", "A", "Answer: A")).isEqualTo(1.0);
    }

    @Test
    void exactlyKMinusOneSamplesAreDrawnFromTheSameModelMarkedSample() {
        ConsistencyScorer five = new ConsistencyScorer(5);
        ScriptedModelCalls calls = new ScriptedModelCalls().then("Paris", "Paris", "Paris", "Lyon");
        double score = five.score(answer("What is the capital of France?", "Paris"), calls);

        assertThat(score).isEqualTo(0.8);
        assertThat(calls.calls).hasSize(4);
        assertThat(calls.calls).allSatisfy(c -> {
            assertThat(c.model()).isEqualTo("gemini-2.0-flash");
            assertThat(c.purpose()).isEqualTo("sample");
        });
    }

    @Test
    void samplesUseTemperature07UnlessTheRequestSetsOne() {
        ScriptedModelCalls calls = new ScriptedModelCalls().then("Paris");
        ChatRequest unset = request("Capital of France?", body -> body.put("n", 2).put("logprobs", true).put("top_logprobs", 3));
        new ConsistencyScorer(2).score(answer(unset, completion("Paris", "stop")), calls);
        var sent = calls.calls.getFirst().request().body();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.has("n")).isFalse();
        assertThat(sent.has("logprobs")).isFalse();
        assertThat(sent.has("top_logprobs")).isFalse();
        assertThat(sent.path("messages")).isEqualTo(unset.messages());
        assertThat(unset.body().has("temperature")).isFalse();

        ScriptedModelCalls again = new ScriptedModelCalls().then("Paris");
        ChatRequest set = request("Capital of France?", body -> body.put("temperature", 0.2));
        new ConsistencyScorer(2).score(answer(set, completion("Paris", "stop")), again);
        assertThat(again.calls.getFirst().request().body().path("temperature").asDouble()).isEqualTo(0.2);
    }

    private static final String ORIGINAL = "alpha bravo charlie delta echo foxtrot golf hotel india juliet "
            + "kilo lima mike november oscar papa quebec romeo sierra tango";

    @Test
    void longAnswersAgreeWhenTheirTokenSetsOverlapByAtLeastEightyPercent() {
        // 18 shared of 22 distinct: 0.818, agrees
        String close = ORIGINAL.replace("sierra tango", "uniform victor");
        // 15 shared of 25 with ORIGINAL and with close: 0.6, disagrees with both
        String far = ORIGINAL.replace("papa quebec romeo sierra tango", "whiskey xray yankee zulu omega");
        assertThat(score(three, ORIGINAL, close, far)).isEqualTo(2.0 / 3);
    }

    @Test
    void jaccardOfExactlyEightyPercentAgrees() {
        assertThat(ConsistencyScorer.jaccard(Set.of("a", "b", "c", "d", "e"), Set.of("a", "b", "c", "d"))).isEqualTo(0.8);
        // 16 of ORIGINAL's 20 words, repeats ignored: 16 / 20
        String sixteen = ORIGINAL.replace(" quebec romeo sierra tango", "").replace("alpha", "alpha alpha");
        assertThat(score(new ConsistencyScorer(2), ORIGINAL, sixteen)).isEqualTo(1.0);
        String fifteen = ORIGINAL.replace(" papa quebec romeo sierra tango", "");
        assertThat(score(new ConsistencyScorer(2), ORIGINAL, fifteen)).isEqualTo(0.5);
    }

    @Test
    void chineseLongAnswersAreComparedOnCharacterBigrams() {
        assertThat(ConsistencyScorer.tokens("巴黎是法国的首都 Paris")).containsExactly(
                "巴黎", "黎是", "是法", "法国", "国的", "的首", "首都", "paris");
        String a = "法国的首都是巴黎，它也是法国最大的城市和经济中心。";
        String b = "法国的首都是巴黎，它也是法国最大的城市和经济中心！";
        String c = "德国的首都是柏林，柏林位于德国东北部的施普雷河畔。";
        assertThat(score(three, a, b, c)).isEqualTo(2.0 / 3);
    }

    @Test
    void aFailedOrEmptySampleAgreesWithNothing() {
        RuntimeException down = new IllegalStateException("upstream down");
        assertThat(score(three, "42", "42", down)).isEqualTo(2.0 / 3);
        assertThat(score(three, "42", down, "")).isEqualTo(1.0 / 3);
    }

    @Test
    void toolCallsAgreeWhenNameAndArgumentsAreTheSame() {
        ScriptedModelCalls calls = new ScriptedModelCalls().then(
                new ChatResponse(Completions.toolCall("get_weather", "{\"city\": \"Paris\"}"), null, "tool_calls"),
                new ChatResponse(Completions.toolCall("get_weather", "{\"city\":\"Lyon\"}"), null, "tool_calls"));
        double score = three.score(answer(request("Weather?"), Completions.toolCall("get_weather", "{\"city\":\"Paris\"}")), calls);
        assertThat(score).isEqualTo(2.0 / 3);

        ScriptedModelCalls moreArguments = new ScriptedModelCalls().then(
                new ChatResponse(Completions.toolCall("get_order", "{\"id\": 5, \"expand\": \"items\"}"), null, "tool_calls"));
        double differ = new ConsistencyScorer(2).score(answer(request("Order 5?"), Completions.toolCall("get_order", "{\"id\": 5}")),
                moreArguments);
        assertThat(differ).isEqualTo(0.5);
    }

    @Test
    void anEmptyAnswerScoresZeroWithoutSampling() {
        assertThat(three.score(answer("Capital of France?", ""), ScriptedModelCalls.NONE)).isEqualTo(0.0);
    }

    @Test
    void needsAtLeastTwoSamples() {
        assertThatThrownBy(() -> new ConsistencyScorer(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the consistency scorer needs at least 2 samples, got 1");
        assertThat(three.name()).isEqualTo("consistency");
        assertThat(three.samples()).isEqualTo(3);
    }
}
