package dev.triage.responsecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.chat.ChatRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;


/**
 * The response cache: answers a request that was answered before, within the same tenant, route and
 * parameters, without calling a model.
 *
 * <p>The exact key is a digest ({@link RequestDigest}) of the tenant (a virtual key, a gateway key's
 * hash, or the open gateway), the route or model asked for, the routing hints that change which model
 * answers, and the whole canonical request but its streaming options and end-user id. Nothing else can
 * make two requests share an answer. The semantic cache looks only among questions with the same
 * tenant, route, hints, parameters and history (the request without its last user message, digested the
 * same way), and only at the last user message's text.
 */
public final class ResponseCache {

    /** Changes when the key's recipe changes, so old entries in a shared store are never read with a new meaning. */
    private static final String KEY_VERSION = "triage-response-cache/1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResponseCachePolicy policy;
    private final AnswerStore answers;
    private final SemanticCache semantic;

    /**
     * @param semantic questions by meaning, or null when no embedder is available (semantic lookups are then skipped)
     */
    public ResponseCache(ResponseCachePolicy policy, AnswerStore answers, SemanticCache semantic) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.semantic = semantic;
    }

    public ResponseCachePolicy policy() {
        return policy;
    }

    /**
     * What the cache holds for a request.
     *
     * @param tenant who asks: answers are never shared between tenants
     * @param optOut the request said {@code x-triage-cache: off}
     */
    public Lookup lookup(String tenant, ChatRequest request, Hints hints, boolean optOut) {
        ResponseCacheSettings settings = policy.settingsFor(request.model());
        if (!settings.enabled()) {
            return Lookup.bypass("the response cache is off for '" + request.model() + "'");
        }
        if (optOut) {
            return Lookup.bypass("the request said x-triage-cache: off");
        }
        if (!settings.sampledChoices() && sampledChoices(request.body())) {
            return Lookup.bypass("n > 1 sampled choices are different by design");
        }
        List<String> parts = List.of(KEY_VERSION, tenant, request.model(), hintText(hints));
        String key = RequestDigest.of(parts, request.body(), RequestDigest.IGNORED);
        if (settings.exact().enabled()) {
            Optional<CachedAnswer> hit = answers.get(key);
            if (hit.isPresent()) {
                return new Lookup(CacheStatus.HIT_EXACT, null, hit.get(), key, settings, null, null);
            }
        }
        String question = settings.semantic().enabled() && semantic != null ? lastQuestion(request.messages()) : null;
        if (question == null) {
            return new Lookup(CacheStatus.MISS, null, null, key, settings, null, null);
        }
        String bucket = RequestDigest.of(parts, historyOnly(request.body()), RequestDigest.IGNORED);
        Optional<SemanticProbe> probe = semantic.probe(question);
        if (probe.isEmpty()) {
            return new Lookup(CacheStatus.MISS, null, null, key, settings, bucket, null);
        }
        Optional<String> match = semantic.find(bucket, probe.get(), settings.semantic().threshold());
        Optional<CachedAnswer> hit = match.flatMap(answers::get);
        if (hit.isPresent()) {
            return new Lookup(CacheStatus.HIT_SEMANTIC, null, hit.get(), key, settings, bucket, probe.get());
        }
        return new Lookup(CacheStatus.MISS, null, null, key, settings, bucket, probe.get());
    }

    /**
     * Keeps the answer a missed lookup's request got, for the route's lifetime, unless it is larger than the
     * store's {@code max_answer_bytes}.
     */
    public void keep(Lookup lookup, CachedAnswer answer) {
        if (lookup.status() != CacheStatus.MISS) {
            return;
        }
        ResponseCacheSettings s = lookup.settings();
        long bytes = answer.jsonBytes();
        if (bytes > policy.defaults().exact().maxAnswerBytes()) {
            return;
        }
        boolean byMeaning = lookup.probe() != null;
        answers.put(lookup.key(), answer, bytes, byMeaning && s.semantic().ttl().compareTo(s.exact().ttl()) > 0
                ? s.semantic().ttl() : s.exact().ttl());
        if (byMeaning) {
            semantic.add(lookup.bucket(), lookup.probe(), lookup.key(), s.semantic().ttl());
        }
    }

    /** {@code n > 1} at a temperature above 0 (OpenAI's default temperature is 1). */
    static boolean sampledChoices(ObjectNode body) {
        JsonNode n = body.get("n");
        if (n == null || !n.canConvertToInt() || n.asInt() <= 1) {
            return false;
        }
        JsonNode t = body.get("temperature");
        return t == null || t.isNull() || t.asDouble() > 0;
    }

    private static String hintText(Hints hints) {
        return (hints.task() == null ? "" : hints.task().name()) + "|" + (hints.quality() == null ? "" : hints.quality().toString());
    }

    /**
     * The text of the last message when it is the user's and holds only text (a string, or text parts), else null:
     * the semantic cache compares questions, never tool results, images or assistant turns.
     */
    static String lastQuestion(ArrayNode messages) {
        JsonNode last = messages.get(messages.size() - 1);
        if (!"user".equals(last.path("role").asText()) || last.has("tool_calls")) {
            return null;
        }
        JsonNode content = last.path("content");
        if (content.isTextual()) {
            return content.textValue().isBlank() ? null : content.textValue();
        }
        if (!content.isArray() || content.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                return null;
            }
            text.append(text.isEmpty() ? "" : "\n").append(part.get("text").textValue());
        }
        return text.toString().isBlank() ? null : text.toString();
    }

    /** The body with its messages but the last: what a semantic match must have identical. */
    private static ObjectNode historyOnly(ObjectNode body) {
        ObjectNode copy = NODES.objectNode();
        copy.setAll(body);
        ArrayNode messages = (ArrayNode) body.get("messages");
        ArrayNode history = NODES.arrayNode(messages.size() - 1);
        for (int i = 0; i < messages.size() - 1; i++) {
            history.add(messages.get(i));
        }
        copy.set("messages", history);
        // The question's own fields (a name on it) are part of the question, not the history; nothing else differs.
        copy.put("triage_semantic_bucket", true);
        return copy;
    }

    /**
     * What the cache found for a request.
     *
     * @param status   hit, miss, or bypass
     * @param reason   why it was bypassed, else null
     * @param answer   the cached answer on a hit, else null
     * @param key      the exact key (also on a semantic hit and a miss), null on bypass
     * @param settings the route's settings, null on bypass
     * @param bucket   the semantic bucket, when the semantic cache was asked
     * @param probe    the question as the semantic cache compares it, when it was asked and could be embedded
     */
    public record Lookup(CacheStatus status, String reason, CachedAnswer answer, String key, ResponseCacheSettings settings,
                         String bucket, SemanticProbe probe) {

        static Lookup bypass(String reason) {
            return new Lookup(CacheStatus.BYPASS, reason, null, null, null, null, null);
        }
    }
}
