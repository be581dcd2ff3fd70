package dev.triage.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.caching.CachePlanner;
import dev.triage.caching.CachePlanner.Cut;
import dev.triage.caching.CachePlanner.Kind;
import dev.triage.chat.PromptCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Marks a Messages request for Anthropic's prompt cache, so that a client speaking the OpenAI format
 * (which has no {@code cache_control}) pays the cache-read price for what it re-sends each turn.
 * Breakpoints are placed by {@link CachePlanner}: the end of the prompt (once the conversation has an
 * answer in it), the end of the previous prompt (before the last answer), the end of the system prompt
 * and of the tools, at most four in all, none on a prefix shorter than the model's minimum. A request that carries marks of its own keeps them and
 * gets only as many more as the four allow. Nothing variable is ever added to the prompt.
 *
 * <p>Public for the trace simulator ({@code triage simulate --trace}), which replays the same rules:
 * {@link #MAX_BREAKPOINTS} and {@link #minimumTokens}.
 */
public final class PromptCaching {

    /** Anthropic takes at most four breakpoints per request. */
    public static final int MAX_BREAKPOINTS = 4;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PromptCaching() {
    }

    /**
     * The smallest prefix each model caches, in tokens (platform.claude.com/docs, "Prompt caching",
     * minimum cacheable prompt length, 2026): 4,096 for Claude Opus 4.5 and 4.6 and Haiku 4.5; 2,048 for
     * the Haiku 3 models; 1,024 for the other Sonnet and Opus models. A shorter prefix is not an error,
     * only not cached, so an unknown model gets the common 1,024.
     */
    public static int minimumTokens(String upstreamModel) {
        String m = upstreamModel.toLowerCase(Locale.ROOT);
        if (m.contains("opus-4-5") || m.contains("opus-4-6") || m.contains("haiku-4-5")) {
            return 4096;
        }
        if (m.contains("haiku")) {
            return 2048;
        }
        return 1024;
    }

    /**
     * Marks {@code body} (a Messages request as sent) where caching pays; returns the kinds of the
     * breakpoints added, in prompt order (empty when none were).
     */
    static List<Kind> mark(ObjectNode body, PromptCache cache, String upstreamModel) {
        int clientMarks = countMarks(body);
        if (!cache.enabled() || clientMarks >= MAX_BREAKPOINTS) {
            return List.of();
        }
        List<ObjectNode> blocks = new ArrayList<>();
        List<ObjectNode> converted = new ArrayList<>();
        List<Cut> cuts = new ArrayList<>();
        long tokens = 0;
        ArrayNode tools = body.has("tools") ? (ArrayNode) body.get("tools") : null;
        if (tools != null && !tools.isEmpty()) {
            for (JsonNode t : tools) {
                tokens += estimate(t);
            }
            blocks.add((ObjectNode) tools.get(tools.size() - 1));
            cuts.add(new Cut(Kind.TOOLS, tokens, blocks.size() - 1));
        }
        boolean systemWasText = body.path("system").isTextual();
        ArrayNode system = systemBlocks(body);
        if (system != null && !system.isEmpty()) {
            for (JsonNode b : system) {
                tokens += estimate(b);
            }
            blocks.add((ObjectNode) system.get(system.size() - 1));
            cuts.add(new Cut(Kind.SYSTEM, tokens, blocks.size() - 1));
        }
        ArrayNode messages = (ArrayNode) body.get("messages");
        int lastAssistant = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("assistant".equals(messages.get(i).path("role").asText())) {
                lastAssistant = i;
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            ObjectNode turn = (ObjectNode) messages.get(i);
            if (turn.path("content").isTextual()) {
                converted.add(turn);
            }
            ArrayNode content = asBlocks(turn);
            ObjectNode last = null;
            for (JsonNode b : content) {
                tokens += estimate(b);
                if (markable(b)) {
                    last = (ObjectNode) b;
                }
            }
            if (last == null) {
                continue;
            }
            blocks.add(last);
            if (i == messages.size() - 1) {
                cuts.add(new Cut(Kind.PROMPT_END, tokens, blocks.size() - 1));
            } else if (i == lastAssistant - 1) {
                cuts.add(new Cut(Kind.PREVIOUS_PROMPT, tokens, blocks.size() - 1));
            }
        }
        // The first turn of a conversation is written only as far as its system prompt and tools: whether a
        // second turn comes is unknown, and the write premium on a prompt never re-sent is money lost.
        boolean ongoing = lastAssistant >= 0;
        List<Cut> chosen = CachePlanner.plan(cuts, minimumTokens(upstreamModel), MAX_BREAKPOINTS - clientMarks, ongoing);
        List<Kind> kinds = new ArrayList<>();
        for (Cut c : chosen) {
            ObjectNode control = blocks.get(c.position()).putObject("cache_control");
            control.put("type", "ephemeral");
            if (cache.ttl() == PromptCache.Ttl.ONE_HOUR) {
                control.put("ttl", "1h");
            }
            kinds.add(c.kind());
        }
        collapseUnmarked(body, systemWasText, converted, !kinds.isEmpty());
        return kinds;
    }

    /** The system prompt as text blocks (a string becomes one block), or null without one. */
    private static ArrayNode systemBlocks(ObjectNode body) {
        JsonNode system = body.get("system");
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isArray()) {
            return (ArrayNode) system;
        }
        ArrayNode blocks = body.putArray("system");
        blocks.add(MessagesRequest.textBlock(system.asText()));
        return blocks;
    }

    /** A turn's content as blocks, turning a string into one text block in place. */
    private static ArrayNode asBlocks(ObjectNode turn) {
        JsonNode content = turn.get("content");
        if (content.isArray()) {
            return (ArrayNode) content;
        }
        ArrayNode blocks = turn.putArray("content");
        if (!content.asText().isEmpty()) {
            blocks.add(MessagesRequest.textBlock(content.asText()));
        }
        return blocks;
    }

    /** Anthropic refuses cache_control on empty text and on thinking blocks. */
    private static boolean markable(JsonNode block) {
        String type = block.path("type").asText();
        if (type.equals("text")) {
            return !block.path("text").asText().isEmpty();
        }
        return !type.equals("thinking") && !type.equals("redacted_thinking");
    }

    /**
     * With no mark placed, what was turned from a string into blocks here goes back to the string it was.
     * With any, every turn stays in blocks, so that the same turn is written the same way in every request
     * of the conversation (the prefix a cache entry holds must match byte for byte).
     */
    private static void collapseUnmarked(ObjectNode body, boolean systemWasText, List<ObjectNode> converted, boolean marked) {
        if (marked) {
            return;
        }
        if (systemWasText) {
            body.put("system", body.get("system").get(0).path("text").asText());
        }
        for (ObjectNode turn : converted) {
            JsonNode content = turn.get("content");
            turn.put("content", content.isEmpty() ? "" : content.get(0).path("text").asText());
        }
    }

    static int countMarks(JsonNode node) {
        int n = 0;
        if (node.isObject()) {
            if (node.has("cache_control")) {
                n++;
            }
            for (JsonNode child : node) {
                n += countMarks(child);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                n += countMarks(child);
            }
        }
        return n;
    }

    /**
     * Tokens of a block, estimated at four characters a token of its text (its JSON for tools, tool
     * calls and structured results): it is only compared with the model's minimum, where being a little
     * off means a breakpoint more or less near the threshold. Text is measured, not serialised, to keep
     * this off the request's CPU bill.
     */
    private static long estimate(JsonNode block) {
        String type = block.path("type").asText();
        long chars = switch (type) {
            case "image" -> 6_400; // a typical image is ~1,600 tokens (Anthropic: width x height / 750)
            case "text" -> block.path("text").asText().length();
            case "tool_result" -> block.path("content").isTextual() ? block.path("content").asText().length()
                    : block.path("content").toString().length();
            default -> block.toString().length();
        };
        return (chars + 3) / 4;
    }
}
