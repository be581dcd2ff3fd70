package dev.triage.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.PromptCache;
import dev.triage.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a conversation's history is condensed, into what, and how often the summarizer is asked. */
class ContextSharingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ChatRequest> asked = new ArrayList<>();
    private final ContextSharing.Summarizer summarizer = (request, model) -> {
        asked.add(request);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("choices").addObject().putObject("message").put("role", "assistant").put("content", "FACTS: summary " + asked.size());
        return new ChatResponse(body, new Usage(100, 10, 0, 0, 0, false), "stop");
    };

    private static ContextSharing sharing(double experiment) {
        return new ContextSharing(Map.of("agent", new ContextSettings(200, 2, "mini", experiment)), ContextStore.inMemory(10));
    }

    /** A conversation of {@code turns} user turns, each with a ~300-character answer. */
    private static ChatRequest conversation(String session, int turns) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "agent");
        ArrayNode m = body.putArray("messages");
        m.addObject().put("role", "system").put("content", "You are an airline agent.");
        for (int i = 0; i < turns; i++) {
            m.addObject().put("role", "user").put("content", "Question " + i);
            if (i < turns - 1) {
                m.addObject().put("role", "assistant").put("content", "Answer " + i + " " + "x".repeat(300));
            }
        }
        return new ChatRequest(body, new PromptCache(true, session, PromptCache.Ttl.FIVE_MINUTES));
    }

    @Test
    void aShortConversationIsSentWhole() {
        ContextSharing.Prepared p = sharing(1).prepare("agent", conversation("s", 2), false, summarizer);
        assertThat(p.request().messages()).hasSize(4);
        assertThat(p.arm()).isEqualTo(ContextSharing.Arm.COMPACT);
        assertThat(asked).isEmpty();
    }

    @Test
    void aLongOneGetsItsSharedContextAndTheLastTurnsAndTheSummaryIsReusedForLaterTurns() {
        ContextSharing sharing = sharing(1);
        ContextSharing.Prepared p = sharing.prepare("agent", conversation("s", 6), false, summarizer);
        // system, shared context, then the last 2 turns: user 4, assistant 4, user 5
        assertThat(p.request().messages()).hasSize(5);
        assertThat(p.request().messages().get(1).path("content").asText()).startsWith(ContextSharing.CONTEXT_PREFIX).endsWith("summary 1");
        assertThat(p.request().messages().get(2).path("content").asText()).isEqualTo("Question 4");
        assertThat(asked).hasSize(1);
        assertThat(asked.getFirst().messages().get(1).path("content").asText()).contains("user: Question 0").doesNotContain("Question 4");
        assertThat(p.note()).startsWith("context: 8 earlier messages");

        // two more turns: still within twice keep_last_turns of the summary, so no new call
        ContextSharing.Prepared later = sharing.prepare("agent", conversation("s", 8), false, summarizer);
        assertThat(asked).hasSize(1);
        assertThat(later.request().messages().get(1).path("content").asText()).endsWith("summary 1");
        // a fifth turn after it: the summary is extended with the turns since, not rewritten from the start
        sharing.prepare("agent", conversation("s", 9), false, summarizer);
        assertThat(asked).hasSize(2);
        assertThat(asked.getLast().messages().get(1).path("content").asText()).startsWith("Previous shared context:\nFACTS: summary 1")
                .doesNotContain("Question 0");
    }

    @Test
    void aFailingSummarizerLeavesTheRequestAsItWas() {
        ChatRequest whole = conversation("s", 6);
        ContextSharing.Prepared p = sharing(1).prepare("agent", whole, false, (r, m) -> {
            throw new IllegalStateException("upstream down");
        });
        assertThat(p.request()).isSameAs(whole);
        assertThat(p.note()).contains("the summarizer failed (upstream down): full history sent");
    }

    @Test
    void aConversationMovingToAnotherModelUsesItsSharedContextEvenWhenShort() {
        ContextSharing sharing = sharing(1);
        sharing.prepare("agent", conversation("s", 6), false, summarizer);
        ContextSharing.Prepared moved = sharing.prepare("agent", conversation("s", 6), true, summarizer);
        assertThat(moved.request().messages()).hasSize(5);
        assertThat(sharing.prepare("agent", conversation("other", 3), true, summarizer).request().messages()).hasSize(6);
    }

    @Test
    void anExperimentPutsEachSessionInOneArmAndAboutTheShareAsked() {
        ContextSharing half = sharing(0.5);
        int compact = 0;
        for (int i = 0; i < 2_000; i++) {
            ContextSharing.Arm arm = half.arm("agent", conversation("session-" + i, 1)).orElseThrow();
            assertThat(half.arm("agent", conversation("session-" + i, 3))).contains(arm);
            compact += arm == ContextSharing.Arm.COMPACT ? 1 : 0;
        }
        assertThat(compact).isBetween(900, 1_100);
        ChatRequest control = conversation("session-x", 6);
        while (half.arm("agent", control).orElseThrow() != ContextSharing.Arm.FULL) {
            control = conversation(control.cache().session() + "x", 6);
        }
        assertThat(half.prepare("agent", control, false, summarizer).request()).isSameAs(control);
        assertThat(sharing(1).arm("other-route", control)).isEmpty();
    }
}
