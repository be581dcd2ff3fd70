package dev.triage.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.tokens.TokenEstimator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Google's side of Gemini caching, for {@link FakeGemini}: the {@code cachedContents} resource (create, get, patch,
 * delete, expiry on the fake clock), {@code generateContent} and {@code streamGenerateContent?alt=sse} naming a cache,
 * and implicit caching of a re-sent prefix at a fixed share. Bodies and errors are Google's, byte for byte where the
 * real API was observed: a too-small cache is 400 {@code Cached content is too small…}, a request that names a cache
 * and repeats its members is 400 {@code CachedContent can not be used with GenerateContent request setting
 * system_instruction, tools or tool_config…}, and a deleted, expired or unknown cache is 403 {@code PERMISSION_DENIED}
 * {@code CachedContent not found (or permission denied)}, never 404.
 *
 * <p>Tokens are counted with Triage's tokenizer on the JSON of what is sent (the cached members, then the contents),
 * so the fake's counts and the provider's estimates agree; what it bills is recorded in {@link #bills()} and
 * {@link #caches()}.
 */
final class GoogleCaches {

    /** The minimum Google documents for the Flash models (ai.google.dev/gemini-api/docs/caching). */
    static final int MINIMUM_TOKENS = 1024;
    /** How long an implicitly cached prefix stays warm (Google documents no figure; a few minutes is typical). */
    static final Duration IMPLICIT_LIFETIME = Duration.ofMinutes(5);

    private static final Pattern GENERATE = Pattern.compile("/v1beta/(models/[^:]+):(generateContent|streamGenerateContent)");
    private static final Pattern CACHE = Pattern.compile("/v1beta/(cachedContents/[a-z0-9]+)");
    private static final List<String> MEMBERS = List.of("systemInstruction", "tools", "toolConfig");

    final FakeTime time;
    private final int implicitHitPercent;
    private final TokenEstimator tokens = new TokenEstimator();
    private final Map<String, Cache> caches = new LinkedHashMap<>();
    private final Map<String, Instant> warmPrefixes = new HashMap<>();
    private final List<Bill> bills = new ArrayList<>();
    private long resends;
    private int created;

    GoogleCaches(FakeTime time, int implicitHitPercent) {
        this.time = time;
        this.implicitHitPercent = implicitHitPercent;
    }

    /** One cache as Google keeps it; {@code end} is when it expired or was deleted (its expiry while it lives). */
    static final class Cache {
        final String name;
        final String model;
        final long tokens;
        final Instant createTime;
        Instant expireTime;
        Instant deleted;

        Cache(String name, String model, long tokens, Instant createTime, Instant expireTime) {
            this.name = name;
            this.model = model;
            this.tokens = tokens;
            this.createTime = createTime;
            this.expireTime = expireTime;
        }

        /** The token-seconds of storage Google bills for it up to {@code now}. */
        long storageTokenSeconds(Instant now) {
            Instant end = deleted != null ? deleted : expireTime.isBefore(now) ? expireTime : now;
            return tokens * Math.max(0, Duration.between(createTime, end).toSeconds());
        }

        boolean alive(Instant now) {
            return deleted == null && now.isBefore(expireTime);
        }
    }

    /** What one generateContent call was billed: its prompt tokens, of which {@code cached} at the cached price. */
    record Bill(long prompt, long cached, boolean explicit) {
    }

    synchronized List<Bill> bills() {
        return List.copyOf(bills);
    }

    synchronized List<Cache> caches() {
        return List.copyOf(caches.values());
    }

    /** Deletes a cache behind the provider's back, as its owner or Google's eviction would. */
    synchronized void delete(String name) {
        caches.get(name).deleted = time.instant();
    }

    synchronized MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (!FakeGemini.API_KEY.equals(request.getHeaders().get("x-goog-api-key"))) {
            return error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT");
        }
        Matcher generate = GENERATE.matcher(path);
        if (method.equals("POST") && generate.matches()) {
            return generate(generate.group(1), FakeGemini.requestJson(request), generate.group(2).startsWith("stream"));
        }
        if (method.equals("POST") && path.equals("/v1beta/cachedContents")) {
            return create(FakeGemini.requestJson(request));
        }
        Matcher cache = CACHE.matcher(path);
        if (!cache.matches()) {
            return error(404, "Method not found.", "NOT_FOUND");
        }
        Cache c = caches.get(cache.group(1));
        if (c == null || !c.alive(time.instant())) {
            return gone();
        }
        return switch (method) {
            case "GET" -> json(resource(c));
            case "PATCH" -> {
                c.expireTime = expiry(FakeGemini.requestJson(request));
                yield json(resource(c));
            }
            case "DELETE" -> {
                c.deleted = time.instant();
                yield json("{}");
            }
            default -> error(404, "Method not found.", "NOT_FOUND");
        };
    }

    private MockResponse create(JsonNode body) {
        ObjectNode members = members(body);
        long count = tokens.count(members.toString()) + (body.has("contents") ? tokens.count(body.get("contents").toString()) : 0);
        if (count < MINIMUM_TOKENS) {
            return error(400, "Cached content is too small. total_token_count=" + count + ", min_total_token_count="
                    + MINIMUM_TOKENS, "INVALID_ARGUMENT");
        }
        String name = "cachedContents/" + "fake" + (++created) + "x9gnjvyigtxvnuf6e5qc79vgd7cc668";
        Instant now = time.instant();
        Cache c = new Cache(name, body.path("model").asText(), count, now, expiry(body));
        caches.put(name, c);
        ObjectNode answer = resource(c);
        answer.put("displayName", body.path("displayName").asText(""));
        return json(answer.toString());
    }

    private Instant expiry(JsonNode body) {
        String ttl = body.path("ttl").asText("3600s");
        return time.instant().plusSeconds(Long.parseLong(ttl.substring(0, ttl.length() - 1)));
    }

    private MockResponse generate(String model, JsonNode body, boolean stream) {
        ObjectNode members = members(body);
        long contents = tokens.count(body.path("contents").toString());
        long prompt;
        long cached;
        boolean explicit = body.has("cachedContent");
        if (explicit) {
            if (!members.isEmpty()) {
                return error(400, "CachedContent can not be used with GenerateContent request setting system_instruction, tools"
                        + " or tool_config.\n\nProposed fix: move those values to CachedContent from GenerateContent request.",
                        "INVALID_ARGUMENT");
            }
            Cache c = caches.get(body.get("cachedContent").asText());
            if (c == null || !c.alive(time.instant()) || !c.model.equals(model)) {
                return gone();
            }
            prompt = c.tokens + contents;
            cached = c.tokens;
        } else {
            long prefix = members.isEmpty() ? 0 : tokens.count(members.toString());
            prompt = prefix + contents;
            cached = prefix > 0 && implicitHit(model + members) ? prefix : 0;
        }
        bills.add(new Bill(prompt, cached, explicit));
        ObjectNode answer = FakeGemini.JSON.createObjectNode();
        ObjectNode candidate = answer.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", "OK");
        candidate.put("finishReason", "STOP");
        ObjectNode usage = answer.putObject("usageMetadata");
        usage.put("promptTokenCount", prompt);
        usage.put("candidatesTokenCount", 1);
        usage.put("totalTokenCount", prompt + 1);
        if (cached > 0) {
            usage.put("cachedContentTokenCount", cached);
        }
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", prompt);
        if (cached > 0) {
            usage.putArray("cacheTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", cached);
        }
        answer.put("modelVersion", model.substring("models/".length()));
        answer.put("responseId", "fake" + bills.size());
        if (stream) {
            return new MockResponse.Builder().code(200).setHeader("content-type", "text/event-stream")
                    .body(FakeGemini.sse(answer.toString())).build();
        }
        return json(answer.toString());
    }

    /**
     * Whether a prefix sent without a cache is discounted implicitly: only one sent before and still warm, and then
     * at {@code implicitHitPercent} of such re-sends, spread evenly (deterministic, so runs compare exactly).
     */
    private boolean implicitHit(String prefix) {
        Instant now = time.instant();
        Instant warm = warmPrefixes.put(prefix, now);
        if (warm == null || !now.isBefore(warm.plus(IMPLICIT_LIFETIME))) {
            return false;
        }
        long n = resends++;
        return (n + 1) * implicitHitPercent / 100 > n * implicitHitPercent / 100;
    }

    private static ObjectNode members(JsonNode body) {
        ObjectNode members = FakeGemini.JSON.createObjectNode();
        for (String member : MEMBERS) {
            if (body.has(member)) {
                members.set(member, body.get(member));
            }
        }
        return members;
    }

    private static ObjectNode resource(Cache c) {
        ObjectNode r = FakeGemini.JSON.createObjectNode();
        r.put("name", c.name);
        r.put("model", c.model);
        r.put("createTime", c.createTime.toString());
        r.put("updateTime", c.createTime.toString());
        r.put("expireTime", c.expireTime.toString());
        r.putObject("usageMetadata").put("totalTokenCount", c.tokens);
        return r;
    }

    private static MockResponse gone() {
        return error(403, "CachedContent not found (or permission denied)", "PERMISSION_DENIED");
    }

    private static MockResponse error(int code, String message, String status) {
        ObjectNode body = FakeGemini.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        return new MockResponse.Builder().code(code).setHeader("content-type", "application/json; charset=UTF-8")
                .body(body.toString()).build();
    }

    private static MockResponse json(ObjectNode body) {
        return json(body.toString());
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("content-type", "application/json; charset=UTF-8")
                .body(body).build();
    }
}
