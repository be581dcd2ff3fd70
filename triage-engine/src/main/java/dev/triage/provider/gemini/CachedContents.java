package dev.triage.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.http.UpstreamHttp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gemini's explicit caches on the wire (ai.google.dev/api/caching): {@code POST /v1beta/cachedContents} with the
 * model, the cached members and a {@code ttl}, answered with the resource's {@code name}, {@code expireTime} and
 * {@code usageMetadata.totalTokenCount}; {@code PATCH /v1beta/cachedContents/{id}} with a new {@code ttl} to keep it
 * longer. A request then names it in {@code cachedContent} and must not repeat the members it holds.
 */
final class CachedContents {

    private static final Pattern NAME = Pattern.compile("cachedContents/[A-Za-z0-9_\\-]+");

    private final String baseUrl;
    private final Map<String, String> headers;
    private final UpstreamHttp http;
    private final GeminiErrors errors;

    CachedContents(String baseUrl, Map<String, String> headers, UpstreamHttp http, GeminiErrors errors) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.http = http;
        this.errors = errors;
    }

    /** A cache as Gemini describes it. */
    record Cache(String name, Instant expireTime, long tokens) {
    }

    /** Creates a cache of {@code members} (systemInstruction, tools, toolConfig) for {@code model}. */
    Cache create(String modelResource, ObjectNode members, Duration ttl, String displayName, Deadline deadline) {
        ObjectNode body = ResponseTranslator.JSON.createObjectNode();
        body.put("model", modelResource);
        body.setAll(members.deepCopy());
        body.put("ttl", seconds(ttl));
        body.put("displayName", displayName);
        JsonNode answer = http.postJson(URI.create(baseUrl + "/v1beta/cachedContents"), headers, bytes(body), deadline, errors);
        return cache(answer);
    }

    /** Sets the cache to expire {@code ttl} from now; returns it as Gemini now describes it. */
    Cache extend(String name, Duration ttl, Deadline deadline) {
        if (!NAME.matcher(name).matches()) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, "Gemini named a cache '" + name + "'");
        }
        ObjectNode body = ResponseTranslator.JSON.createObjectNode().put("ttl", seconds(ttl));
        return cache(http.patchJson(URI.create(baseUrl + "/v1beta/" + name), headers, bytes(body), deadline, errors));
    }

    private static Cache cache(JsonNode answer) {
        String name = answer.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, "Gemini answered a cache request without a cache name");
        }
        try {
            return new Cache(name, Instant.parse(answer.path("expireTime").asText()),
                    answer.path("usageMetadata").path("totalTokenCount").asLong(0));
        } catch (DateTimeParseException e) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, "Gemini answered a cache request without a valid expireTime");
        }
    }

    /** A protobuf duration: whole seconds, as {@code "300s"}. */
    static String seconds(Duration ttl) {
        return ttl.toSeconds() + "s";
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return ResponseTranslator.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
