package dev.triage.scoring;

import static dev.triage.scoring.Completions.answer;
import static dev.triage.scoring.Completions.completion;
import static dev.triage.scoring.Completions.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.dispatch.DispatchException;
import dev.triage.provider.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierScorerTest {

    private final VerifierScorer scorer = new VerifierScorer("gpt-4.1");
    private final Answer answer = answer("What is 17 * 23?", "17 * 23 = 391.");

    private double judged(String reply) {
        return scorer.score(answer, new ScriptedModelCalls().then(reply));
    }

    @Test
    void theJudgesNumberIsTheConfidence() {
        assertThat(judged("0.85")).isEqualTo(0.85);
        assertThat(judged("1")).isEqualTo(1.0);
        assertThat(judged("  0.3\n")).isEqualTo(0.3);
        assertThat(judged(".5")).isEqualTo(0.5);
    }

    @Test
    void aJsonScoreIsRead() {
        assertThat(judged("{\"score\": 0.6}")).isEqualTo(0.6);
        assertThat(judged("{\"reason\": \"step 1 is right\", \"score\": 0.9}")).isEqualTo(0.9);
        assertThat(judged("```json\n{\"score\": \"0.4\"}\n```")).isEqualTo(0.4);
    }

    @Test
    void fractionsAndPercentagesAreScaled() {
        assertThat(judged("Score: 7/10")).isEqualTo(0.7);
        assertThat(judged("8 / 10 - mostly right")).isEqualTo(0.8);
        assertThat(judged("85%")).isEqualTo(0.85);
    }

    @Test
    void numbersOutsideZeroToOneAreClamped() {
        assertThat(judged("8")).isEqualTo(1.0);
        assertThat(judged("-0.2")).isEqualTo(0.0);
    }

    @Test
    void aReplyWithoutANumberScoresZero() {
        assertThat(judged("The answer looks correct.")).isEqualTo(0.0);
        assertThat(judged("")).isEqualTo(0.0);
    }

    @Test
    void aFailedJudgeCallScoresZero() {
        DispatchException down = new DispatchException(ErrorKind.OVERLOADED, "all models failed", null, List.of("gpt-4.1"),
                Money.ZERO, false);
        assertThat(scorer.score(answer, new ScriptedModelCalls().then(down))).isEqualTo(0.0);
    }

    @Test
    void theJudgeGetsTheRubricTheLastUserMessageAndTheAnswer() {
        ChatRequest conversation = request("What is 17 * 23?", body -> {
            ArrayNode messages = (ArrayNode) body.get("messages");
            messages.addObject().put("role", "assistant").put("content", "391");
            messages.addObject().put("role", "user").put("content", "And 17 * 24?");
        });
        ScriptedModelCalls calls = new ScriptedModelCalls().then("0.9");
        double score = scorer.score(answer(conversation, completion("17 * 24 = 408.", "stop")), calls);

        assertThat(score).isEqualTo(0.9);
        assertThat(calls.calls).hasSize(1);
        ScriptedModelCalls.Call call = calls.calls.getFirst();
        assertThat(call.model()).isEqualTo("gpt-4.1");
        assertThat(call.purpose()).isEqualTo("judge");
        JsonNode body = call.request().body();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(16);
        assertThat(call.request().messages()).hasSize(2);
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo(VerifierScorer.RUBRIC);
        assertThat(body.path("messages").path(1).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(1).path("content").asText()).isEqualTo("""
                [Request]
                And 17 * 24?

                [Answer]
                17 * 24 = 408.

                [End of answer]
                Grade the answer. Reply with one number from 0 to 1.""");
        assertThat(VerifierScorer.RUBRIC).contains("single number from 0 to 1");
    }

    @Test
    void textPartsOfAMultimodalMessageReachTheJudge() {
        ChatRequest request = request("ignored", body -> {
            ObjectNode user = (ObjectNode) body.get("messages").get(1);
            ArrayNode parts = user.putArray("content");
            parts.addObject().put("type", "text").put("text", "What is in this picture?");
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", "https://example.com/cat.png");
        });
        assertThat(VerifierScorer.lastUserMessage(request)).isEqualTo("What is in this picture?");
    }

    @Test
    void toolCallsAreShownToTheJudge() {
        ScriptedModelCalls calls = new ScriptedModelCalls().then("1");
        scorer.score(answer(request("Weather in Paris?"), Completions.toolCall("get_weather", "{\"city\":\"Paris\"}")), calls);
        assertThat(calls.calls.getFirst().request().body().path("messages").path(1).path("content").asText())
                .contains("[Answer]\n[tool call] get_weather {\"city\":\"Paris\"}\n");
    }

    @Test
    void anEmptyAnswerScoresZeroWithoutAskingTheJudge() {
        assertThat(scorer.score(answer("Hi", ""), ScriptedModelCalls.NONE)).isEqualTo(0.0);
    }

    @Test
    void aJudgeModelIsRequired() {
        assertThatThrownBy(() -> new VerifierScorer(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(scorer.name()).isEqualTo("verifier");
        assertThat(scorer.needsLogprobs()).isFalse();
    }
}
