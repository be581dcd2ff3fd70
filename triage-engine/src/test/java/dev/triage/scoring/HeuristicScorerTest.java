package dev.triage.scoring;

import static dev.triage.scoring.Completions.answer;
import static dev.triage.scoring.Completions.completion;
import static dev.triage.scoring.Completions.request;
import static dev.triage.scoring.Completions.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.scoring.HeuristicScorer.Assessment;
import dev.triage.scoring.HeuristicScorer.Rule;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HeuristicScorerTest {

    private final HeuristicScorer scorer = new HeuristicScorer();

    private double score(Answer answer) {
        return scorer.score(answer, ScriptedModelCalls.NONE);
    }

    private static Answer says(String content) {
        return answer("What is the capital of Australia?", content);
    }

    @Test
    void aPlainAnswerScoresTheBase() {
        Assessment a = scorer.assess(says("The capital of Australia is Canberra."));
        assertThat(a.confidence()).isEqualTo(0.9);
        assertThat(a.fired()).isEmpty();
        assertThat(scorer.name()).isEqualTo("heuristic");
        assertThat(scorer.needsLogprobs()).isFalse();
    }

    @Test
    void anEmptyOrNullAnswerScoresZero() {
        assertThat(scorer.assess(says("")).fired()).containsExactly(Rule.EMPTY);
        assertThat(score(says("  \n"))).isEqualTo(0.0);
        assertThat(score(answer(request("Hi"), completion(null, "stop")))).isEqualTo(0.0);
    }

    @Test
    void aFilteredAnswerScoresZero() {
        Answer filtered = answer(request("Describe it."), completion("The scene shows", "content_filter"));
        assertThat(scorer.assess(filtered).fired()).containsExactly(Rule.CONTENT_FILTERED);
        assertThat(score(filtered)).isEqualTo(0.0);
    }

    @Test
    void aTruncatedAnswerIsCappedLow() {
        Answer cut = answer(request("Explain TCP."), completion("TCP is a connection-oriented protocol that", "length"));
        assertThat(scorer.assess(cut).fired()).containsExactly(Rule.TRUNCATED);
        assertThat(score(cut)).isEqualTo(0.2);
        Answer cutAndHedged = answer(request("Explain TCP."), completion("I think TCP is a protocol that", "length"));
        assertThat(score(cutAndHedged)).isEqualTo(0.2);
    }

    @Test
    void theFinishReasonInTheBodyCountsWhenTheAnswerCarriesNone() {
        Answer cut = new Answer(request("Explain TCP."), completion("TCP is a", "length"), null, "gemini-2.0-flash");
        assertThat(score(cut)).isEqualTo(0.2);
    }

    @Test
    void refusalsLoseSixtyPoints() {
        assertThat(score(says("I'm sorry, but I cannot help with that request."))).isEqualTo(0.3);
        assertThat(score(says("I can\u2019t help with that."))).isEqualTo(0.3);
        assertThat(score(says("As an AI, I do not have access to current events."))).isEqualTo(0.3);
        assertThat(score(says("抱歉，我无法回答这个问题。"))).isEqualTo(0.3);
        assertThat(scorer.assess(says("作为一个人工智能，我不能提供医疗建议。")).fired()).containsExactly(Rule.REFUSAL);
    }

    @Test
    void aRefusalPhraseDeepInALongAnswerIsNotARefusal() {
        String answer = "Canberra is the capital. ".repeat(15) + "Tools say: I can't help with that.";
        assertThat(scorer.assess(says(answer)).fired()).doesNotContain(Rule.REFUSAL);
    }

    @Test
    void eachDistinctHedgeLosesFifteenPointsUpToThree() {
        assertThat(score(says("I think the capital is Canberra."))).isEqualTo(0.75);
        assertThat(score(says("Maybe it is Canberra, but I\u2019m not sure."))).isEqualTo(0.6);
        Assessment four = scorer.assess(says("I think it's maybe Canberra, probably, but I'm not sure."));
        assertThat(four.hedges()).isEqualTo(4);
        assertThat(four.confidence()).isEqualTo(0.45);
        assertThat(score(says("I don't know."))).isEqualTo(0.75);
        assertThat(score(says("It's possible that the capital is Sydney."))).isEqualTo(0.75);
    }

    @Test
    void chineseHedgesCountToo() {
        assertThat(score(says("我不确定，可能是堪培拉。"))).isEqualTo(0.6);
    }

    @Test
    void hedgesMatchWholeWordsOnly() {
        assertThat(score(says("Maybelline is a cosmetics brand; Canberra is the capital."))).isEqualTo(0.9);
    }

    @Test
    void askingForClarificationInsteadOfAnsweringLosesFiftyPoints() {
        Answer question = answer("Book me a flight.", "Could you clarify which city you are flying from and on what date?");
        assertThat(scorer.assess(question).fired()).containsExactly(Rule.ASKS_FOR_CLARIFICATION);
        assertThat(score(question)).isEqualTo(0.4);
        assertThat(score(answer("帮我订机票。", "请问您指的是哪一天出发？"))).isEqualTo(0.4);
        assertThat(score(answer("Fix it.", "I'm not sure what is broken. Could you clarify?"))).isEqualTo(0.25);
    }

    @Test
    void aLongAnswerThatEndsWithAFollowUpQuestionIsAnAnswer() {
        String answer = "Here is the full itinerary with three options. ".repeat(10) + "Could you clarify your budget?";
        assertThat(scorer.assess(says(answer)).fired()).doesNotContain(Rule.ASKS_FOR_CLARIFICATION);
    }

    private static Answer json(Consumer<ObjectNode> format, String content) {
        ChatRequest request = request("Extract the city and country.", body -> format.accept(body.putObject("response_format")));
        return answer(request, completion(content, "stop"));
    }

    private static void jsonObject(ObjectNode f) {
        f.put("type", "json_object");
    }

    private static void jsonSchema(ObjectNode f) {
        f.put("type", "json_schema");
        ObjectNode schema = f.putObject("json_schema").put("name", "place").put("strict", true).putObject("schema");
        schema.put("type", "object");
        schema.putObject("properties").putObject("city").put("type", "string");
        schema.putArray("required").add("city").add("country");
        schema.put("additionalProperties", false);
    }

    @Test
    void validJsonWhenJsonWasAskedIsFine() {
        assertThat(score(json(HeuristicScorerTest::jsonObject, "{\"city\": \"Paris\", \"country\": \"France\"}"))).isEqualTo(0.9);
        assertThat(score(json(HeuristicScorerTest::jsonSchema, "{\"city\": \"Paris\", \"country\": \"France\"}"))).isEqualTo(0.9);
    }

    @Test
    void invalidJsonWhenJsonWasAskedLosesSeventyPoints() {
        Answer prose = json(HeuristicScorerTest::jsonObject, "Sure! Here it is: {\"city\": \"Paris\"}");
        assertThat(scorer.assess(prose).fired()).containsExactly(Rule.INVALID_JSON);
        assertThat(score(prose)).isEqualTo(0.2);
        assertThat(score(json(HeuristicScorerTest::jsonObject, "{\"city\": \"Paris\"} {\"city\": \"Rome\"}"))).isEqualTo(0.2);
        assertThat(score(json(HeuristicScorerTest::jsonObject, "[\"Paris\", \"France\"]"))).isEqualTo(0.2);
        assertThat(score(json(HeuristicScorerTest::jsonSchema, "{\"city\": \"Paris\", "))).isEqualTo(0.2);
    }

    @Test
    void jsonInACodeFenceLosesTenPoints() {
        Answer fenced = json(HeuristicScorerTest::jsonObject, "```json\n{\"city\": \"Paris\", \"country\": \"France\"}\n```");
        assertThat(scorer.assess(fenced).fired()).containsExactly(Rule.FENCED_JSON);
        assertThat(score(fenced)).isEqualTo(0.8);
    }

    @Test
    void aMissingRequiredKeyOfTheSchemaLosesFiftyPoints() {
        Answer missing = json(HeuristicScorerTest::jsonSchema, "{\"city\": \"Paris\"}");
        assertThat(scorer.assess(missing).fired()).containsExactly(Rule.MISSING_REQUIRED_KEYS);
        assertThat(score(missing)).isEqualTo(0.4);
    }

    @Test
    void jsonIsNotCheckedWhenTextWasAsked() {
        assertThat(score(says("{not json"))).isEqualTo(0.9);
    }

    @Test
    void penaltiesAddUpAndTheScoreStopsAtZero() {
        Answer refusedJson = json(HeuristicScorerTest::jsonObject, "I'm sorry, but I cannot produce that JSON.");
        assertThat(scorer.assess(refusedJson).fired()).containsExactly(Rule.REFUSAL, Rule.INVALID_JSON);
        assertThat(score(refusedJson)).isEqualTo(0.0);
    }

    private static ChatRequest weatherRequest(String toolChoice) {
        return request("What's the weather in Paris?", body -> {
            ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function");
            function.put("name", "get_weather").put("description", "Current weather for a city");
            ObjectNode params = function.putObject("parameters").put("type", "object");
            params.putObject("properties").putObject("city").put("type", "string");
            params.putArray("required").add("city");
            if (toolChoice != null) {
                body.put("tool_choice", toolChoice);
            }
        });
    }

    @Test
    void aWellFormedToolCallIsAFullAnswer() {
        Answer call = answer(weatherRequest("auto"), toolCall("get_weather", "{\"city\":\"Paris\"}"));
        assertThat(scorer.assess(call).fired()).isEmpty();
        assertThat(score(call)).isEqualTo(0.9);
    }

    @Test
    void aToolCallWithBrokenArgumentsOrAnUnknownToolLosesSeventyPoints() {
        Answer broken = answer(weatherRequest(null), toolCall("get_weather", "{\"city\":\"Par"));
        assertThat(scorer.assess(broken).fired()).containsExactly(Rule.MALFORMED_TOOL_CALL);
        assertThat(score(broken)).isEqualTo(0.2);
        assertThat(score(answer(weatherRequest(null), toolCall("get_forecast", "{\"city\":\"Paris\"}")))).isEqualTo(0.2);
        assertThat(score(answer(weatherRequest(null), toolCall("get_weather", "\"Paris\"")))).isEqualTo(0.2);
    }

    @Test
    void answeringInTextWhenAToolCallIsRequiredLosesFiftyPoints() {
        Answer text = answer(weatherRequest("required"), completion("It is sunny in Paris.", "stop"));
        assertThat(scorer.assess(text).fired()).containsExactly(Rule.TOOL_CALL_MISSING);
        assertThat(score(text)).isEqualTo(0.4);
        assertThat(score(answer(weatherRequest("auto"), completion("It is sunny in Paris.", "stop")))).isEqualTo(0.9);
    }

    @Test
    void theSameAnswerAlwaysGetsTheSameScore() {
        Answer a = says("Maybe Canberra.");
        assertThat(score(a)).isEqualTo(score(a)).isEqualTo(0.75);
    }
}
