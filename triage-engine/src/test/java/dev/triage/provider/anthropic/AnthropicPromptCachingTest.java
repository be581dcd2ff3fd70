package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.caching.CachePlanner.Kind;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.PromptCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where Triage marks an OpenAI-format conversation for Anthropic's prompt cache. */
class AnthropicPromptCachingTest {

    /** About 1,500 tokens of policy, like tau-bench's airline agent prompt. */
    static final String POLICY = "You are an airline agent. " + "Follow the booking policy to the letter. ".repeat(150);

    static ObjectNode sent(String openAi, PromptCache cache, String upstream) {
        return MessagesRequest.from(new ChatRequest((ObjectNode) json(openAi), cache), upstream, 1024, false);
    }

    static String conversation(int turns) {
        StringBuilder m = new StringBuilder("[{\"role\":\"system\",\"content\":\"" + POLICY + "\"}");
        for (int i = 0; i < turns; i++) {
            m.append(",{\"role\":\"user\",\"content\":\"Question ").append(i).append(": can I change my flight?\"}");
            if (i < turns - 1) {
                m.append(",{\"role\":\"assistant\",\"content\":\"Answer ").append(i).append(": yes, for a fee.\"}");
            }
        }
        return "{\"model\":\"m\",\"messages\":" + m + "]}";
    }

    /** The marked blocks, as "system", "tool" or "turn N": where the cache_control marks are. */
    static List<String> marks(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("tools").forEach(t -> {
            if (t.has("cache_control")) {
                out.add("tool " + t.path("name").asText());
            }
        });
        if (body.path("system").isArray()) {
            body.get("system").forEach(b -> {
                if (b.has("cache_control")) {
                    out.add("system");
                }
            });
        }
        JsonNode messages = body.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            for (JsonNode b : messages.get(i).path("content")) {
                if (b.has("cache_control")) {
                    out.add("turn " + i);
                }
            }
        }
        return out;
    }

    @Test
    void aFirstTurnCachesItsSystemPromptOnly() {
        ObjectNode body = sent(conversation(1), PromptCache.DEFAULT, "claude-sonnet-4-5-20250929");
        assertThat(marks(body)).containsExactly("system");
        assertThat(body.at("/system/0/cache_control")).isEqualTo(json("{\"type\":\"ephemeral\"}"));
        // with a mark placed, every turn is in blocks, as it will be in every later turn of the conversation
        assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Question 0: can I change my flight?");
    }

    @Test
    void laterTurnsWriteTheWholeConversationAndReadThePreviousPrompt() {
        ObjectNode body = sent(conversation(4), PromptCache.DEFAULT, "claude-sonnet-4-5-20250929");
        // turns: 0 user, 1 assistant, 2 user, 3 assistant, 4 user, 5 assistant, 6 user (the prompt's end);
        // the previous prompt ended with turn 4, before the last answer
        assertThat(marks(body)).containsExactly("system", "turn 4", "turn 6");
    }

    @Test
    void oneHourEntriesSaySo() {
        ObjectNode body = sent(conversation(2), new PromptCache(true, "s", PromptCache.Ttl.ONE_HOUR), "claude-sonnet-4-5-20250929");
        assertThat(body.at("/system/0/cache_control")).isEqualTo(json("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
        assertThat(body.at("/messages/2/content/0/cache_control/ttl").asText()).isEqualTo("1h");
    }

    @Test
    void aPrefixBelowTheModelsMinimumIsNotMarked() {
        // ~1,500 tokens: above Sonnet 4.5's 1,024, below Haiku 4.5's 4,096
        assertThat(marks(sent(conversation(3), PromptCache.DEFAULT, "claude-haiku-4-5-20251001"))).isEmpty();
        assertThat(PromptCaching.minimumTokens("claude-opus-4-5-20251101")).isEqualTo(4096);
        assertThat(PromptCaching.minimumTokens("claude-3-haiku-20240307")).isEqualTo(2048);
        assertThat(PromptCaching.minimumTokens("claude-sonnet-4-5-20250929")).isEqualTo(1024);
        String small = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Bye\"}]}";
        ObjectNode body = sent(small, PromptCache.DEFAULT, "claude-sonnet-4-5-20250929");
        assertThat(body.get("system").isTextual()).isTrue();
        assertThat(PromptCaching.countMarks(body)).isZero();
    }

    @Test
    void offChangesNothing() {
        ObjectNode body = sent(conversation(4), PromptCache.OFF, "claude-sonnet-4-5-20250929");
        assertThat(PromptCaching.countMarks(body)).isZero();
        assertThat(body.get("system").asText()).isEqualTo(POLICY);
    }

    @Test
    void toolsAreCachedWithTheirOwnBreakpointWhenTheyAreLargeEnough() {
        String tool = "{\"type\":\"function\",\"function\":{\"name\":\"t%d\",\"description\":\"" + "A tool that does a thing. ".repeat(60)
                + "\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}";
        String tools = String.join(",", tool.formatted(1), tool.formatted(2), tool.formatted(3));
        String request = conversation(2).replaceFirst("}$", ",\"tools\":[" + tools + "]}");
        ObjectNode body = sent(request, PromptCache.DEFAULT, "claude-sonnet-4-5-20250929");
        assertThat(marks(body)).containsExactly("tool t3", "system", "turn 0", "turn 2");
    }

    @Test
    void aClientsOwnMarksAreKeptAndCountTowardsTheFour() {
        String request = """
                {"model":"m","messages":[
                  {"role":"system","content":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
                  {"role":"user","content":[{"type":"text","text":"Q1","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"A1"},
                  {"role":"user","content":[{"type":"text","text":"Q2","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"A2"},
                  {"role":"user","content":"Q3"}]}
                """.formatted(POLICY);
        ObjectNode body = sent(request, PromptCache.DEFAULT, "claude-sonnet-4-5-20250929");
        assertThat(body.at("/system/0/cache_control/ttl").asText()).isEqualTo("1h");
        // three of the client's, and one more: the end of the prompt
        assertThat(PromptCaching.countMarks(body)).isEqualTo(4);
        assertThat(marks(body)).containsExactly("system", "turn 0", "turn 2", "turn 4");
    }

    @Test
    void plannerTakesTheMostValuableCutsFirst() {
        var cuts = List.of(new dev.triage.caching.CachePlanner.Cut(Kind.TOOLS, 2000, 0),
                new dev.triage.caching.CachePlanner.Cut(Kind.SYSTEM, 3000, 1),
                new dev.triage.caching.CachePlanner.Cut(Kind.PREVIOUS_PROMPT, 5000, 2),
                new dev.triage.caching.CachePlanner.Cut(Kind.PROMPT_END, 6000, 3));
        assertThat(dev.triage.caching.CachePlanner.plan(cuts, 1024, 2, true)).extracting(c -> c.kind())
                .containsExactly(Kind.PREVIOUS_PROMPT, Kind.PROMPT_END);
        assertThat(dev.triage.caching.CachePlanner.plan(cuts, 1024, 4, false)).extracting(c -> c.kind())
                .containsExactly(Kind.TOOLS, Kind.SYSTEM, Kind.PREVIOUS_PROMPT);
        assertThat(dev.triage.caching.CachePlanner.plan(cuts, 4096, 4, true)).extracting(c -> c.kind())
                .containsExactly(Kind.PREVIOUS_PROMPT, Kind.PROMPT_END);
    }
}
