package dev.triage.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.PromptCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared context across models, per route ({@code context:} in a route's config): when a conversation's
 * history passes {@code compact_after_tokens}, or when it moves to another model than the one that
 * answered its last turn and a shared context exists, the model is sent the system prompt, the
 * conversation's shared context (user profile, constraints, task history, relevant facts — written by a
 * cheap summarizer model) and the last {@code keep_last_turns} turns, instead of the whole history.
 *
 * <p>The shared context is kept per session and extended, not rewritten: once written it stands for the
 * same older turns until more than twice {@code keep_last_turns} turns follow it, so most turns reuse it
 * (no summarizer call, and a prompt prefix that stays the same for the provider's cache). A summarizer
 * that fails leaves the request as it was: compaction never costs an answer.
 *
 * <p>With {@code experiment: S}, a share S of sessions (chosen by session id, so a conversation stays in
 * its arm) gets compaction and the others the full history, and the arm is recorded with every attempt so
 * reports can compare cost and feedback by arm.
 */
public final class ContextSharing {

    /** Which side of a context experiment a session is on. */
    public enum Arm {
        COMPACT, FULL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Calls the summarizer model; its call is billed and recorded (step {@code context}). */
    @FunctionalInterface
    public interface Summarizer {
        ChatResponse call(ChatRequest request, String model);
    }

    /** What {@link #prepare} did. */
    public record Prepared(ChatRequest request, Arm arm, String note) {
    }

    /** The most the summarizer writes. */
    public static final int SUMMARY_MAX_TOKENS = 1024;

    static final String SUMMARY_INSTRUCTIONS = """
            You keep the shared context of a conversation between a user and an assistant, so that another \
            assistant can continue it without the earlier turns. Write it in four parts, in this order, as \
            short plain-text lists: USER PROFILE (who the user is: names, ids, account details they gave or \
            that were looked up); CONSTRAINTS (what the user wants and does not want, rules and policies \
            that apply, deadlines); TASK HISTORY (what was asked, what was done — including every tool call \
            made and what it returned — and what is still open); RELEVANT FACTS (exact ids, numbers, dates, \
            prices, confirmations). Keep every id, number and decision exactly; leave out greetings and \
            repetition. If a previous shared context is given, merge the new turns into it. Answer with the \
            shared context only.""";

    static final String CONTEXT_PREFIX = "Shared context of this conversation so far (its earlier turns, condensed):\n";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, ContextSettings> routes;
    private final ContextStore sessions;

    /**
     * @param routes   each route's settings, by route name; routes not in it share no context
     * @param sessions where each session's shared context is kept
     */
    public ContextSharing(Map<String, ContextSettings> routes, ContextStore sessions) {
        this.routes = Map.copyOf(routes);
        this.sessions = sessions;
    }

    /** No route shares context. */
    public static ContextSharing none() {
        return new ContextSharing(Map.of(), ContextStore.inMemory(1));
    }

    public Optional<ContextSettings> settings(String route) {
        return Optional.ofNullable(routes.get(route));
    }

    /** The arm of the request's session on {@code route}; empty when the route shares no context or there is no session. */
    public Optional<Arm> arm(String route, ChatRequest request) {
        ContextSettings s = routes.get(route);
        String session = request.cache().session();
        if (s == null || session == null) {
            return Optional.empty();
        }
        if (s.experiment() >= 1) {
            return Optional.of(Arm.COMPACT);
        }
        long bucket = Long.parseUnsignedLong(hash(session).substring(0, 8), 16) % 10_000;
        return Optional.of(bucket < Math.round(s.experiment() * 10_000) ? Arm.COMPACT : Arm.FULL);
    }

    /**
     * The request as the model should get it.
     *
     * @param moved whether the conversation is moving to another model than the one that answered its last turn
     */
    public Prepared prepare(String route, ChatRequest request, boolean moved, Summarizer summarizer) {
        Optional<Arm> arm = arm(route, request);
        if (arm.isEmpty() || arm.get() == Arm.FULL) {
            return new Prepared(request, arm.orElse(null), null);
        }
        ContextSettings s = routes.get(route);
        ArrayNode messages = request.messages();
        int system = 0;
        while (system < messages.size() && isSystem(messages.get(system))) {
            system++;
        }
        List<JsonNode> history = new ArrayList<>();
        for (int i = system; i < messages.size(); i++) {
            history.add(messages.get(i));
        }
        List<Integer> userTurns = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if ("user".equals(history.get(i).path("role").asText())) {
                userTurns.add(i);
            }
        }
        String session = request.cache().session();
        SharedContext stored = stored(session, history);
        long historyTokens = tokens(history, 0, history.size());
        boolean overThreshold = historyTokens > s.compactAfterTokens();
        if (!overThreshold && !(moved && stored != null)) {
            return new Prepared(request, Arm.COMPACT, null);
        }
        SharedContext use = stored;
        if (use == null || turnsAfter(userTurns, use.covered()) > 2 * s.keepLastTurns()) {
            if (userTurns.size() <= s.keepLastTurns()) {
                return new Prepared(request, Arm.COMPACT, null); // nothing older than the turns kept
            }
            int cut = userTurns.get(userTurns.size() - s.keepLastTurns());
            String text;
            try {
                text = summarize(summarizer, s.summarizer(), use, history, use == null ? 0 : use.covered(), cut);
            } catch (RuntimeException e) {
                return new Prepared(request, Arm.COMPACT, "context: the summarizer failed (" + e.getMessage() + "): full history sent");
            }
            if (text.isBlank()) {
                return new Prepared(request, Arm.COMPACT, "context: the summarizer wrote nothing: full history sent");
            }
            use = new SharedContext(cut, hash(history.subList(0, cut).toString()), text.strip());
            sessions.put(session, use);
        }
        ObjectNode body = request.copyBody();
        ArrayNode out = body.putArray("messages");
        for (int i = 0; i < system; i++) {
            out.add(messages.get(i));
        }
        out.addObject().put("role", "system").put("content", CONTEXT_PREFIX + use.text());
        for (int i = use.covered(); i < history.size(); i++) {
            out.add(history.get(i));
        }
        long kept = tokens(history, use.covered(), history.size());
        String note = "context: " + use.covered() + " earlier messages (~" + tokens(history, 0, use.covered())
                + " tokens) sent as their shared context (~" + (use.text().length() + 3) / 4 + " tokens), with the last "
                + (history.size() - use.covered()) + " messages (~" + kept + " tokens)" + (overThreshold ? "" : " (moving to another model)");
        return new Prepared(new ChatRequest(body, request.cache()), Arm.COMPACT, note);
    }

    private SharedContext stored(String session, List<JsonNode> history) {
        SharedContext s = sessions.get(session).orElse(null);
        if (s == null || s.covered() > history.size() || !hash(history.subList(0, s.covered()).toString()).equals(s.coveredHash())) {
            return null;
        }
        return s;
    }

    private static int turnsAfter(List<Integer> userTurns, int covered) {
        return (int) userTurns.stream().filter(i -> i >= covered).count();
    }

    private static String summarize(Summarizer summarizer, String model, SharedContext previous, List<JsonNode> history,
                                    int from, int to) {
        StringBuilder transcript = new StringBuilder();
        if (previous != null) {
            transcript.append("Previous shared context:\n").append(previous.text()).append("\n\nNew turns:\n");
        }
        for (int i = from; i < to; i++) {
            render(history.get(i), transcript);
        }
        ObjectNode body = NODES.objectNode();
        body.put("model", model);
        body.put("max_tokens", SUMMARY_MAX_TOKENS);
        body.put("temperature", 0);
        ArrayNode m = body.putArray("messages");
        m.addObject().put("role", "system").put("content", SUMMARY_INSTRUCTIONS);
        m.addObject().put("role", "user").put("content", transcript.toString());
        ChatResponse r = summarizer.call(new ChatRequest(body, PromptCache.OFF), model);
        JsonNode content = r.body().path("choices").path(0).path("message").path("content");
        return content.isTextual() ? content.asText() : "";
    }

    /** One message as a transcript line: who, and what they said, called or got back. */
    static void render(JsonNode m, StringBuilder out) {
        String role = m.path("role").asText();
        JsonNode content = m.get("content");
        String text = content == null || content.isNull() ? "" : content.isTextual() ? content.asText() : textOf(content);
        if (!text.isEmpty()) {
            out.append(role.equals("tool") ? "tool result: " : role + ": ").append(text).append('\n');
        }
        for (JsonNode call : m.path("tool_calls")) {
            out.append("assistant called ").append(call.path("function").path("name").asText()).append('(')
                    .append(call.path("function").path("arguments").asText()).append(")\n");
        }
    }

    private static String textOf(JsonNode parts) {
        StringBuilder b = new StringBuilder();
        for (JsonNode p : parts) {
            if (p.path("type").asText().equals("text")) {
                b.append(p.path("text").asText());
            } else {
                b.append('[').append(p.path("type").asText()).append(']');
            }
        }
        return b.toString();
    }

    private static boolean isSystem(JsonNode m) {
        String role = m.path("role").asText();
        return role.equals("system") || role.equals("developer");
    }

    /** Four characters of a message's JSON a token: enough to compare with a threshold. */
    static long tokens(List<JsonNode> messages, int from, int to) {
        long chars = 0;
        for (int i = from; i < to; i++) {
            chars += messages.get(i).toString().length();
        }
        return (chars + 3) / 4;
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
