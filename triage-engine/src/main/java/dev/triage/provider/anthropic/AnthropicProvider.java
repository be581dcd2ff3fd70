package dev.triage.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.Secrets;
import dev.triage.provider.StreamOutcome;
import dev.triage.provider.http.SseReader;
import dev.triage.provider.http.UpstreamHttp;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Anthropic Messages API ({@code POST {base}/v1/messages}), spoken on behalf of OpenAI-shaped
 * requests. See {@link MessagesRequest} for what is translated and what is refused.
 */
public final class AnthropicProvider implements Provider {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    public static final String API_VERSION = "2023-06-01";
    /** Used when a request sets no output limit; Anthropic requires one. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final int defaultMaxTokens;
    private final UpstreamHttp http;
    private final Clock clock;
    private final AnthropicErrors errors;

    /**
     * @param name             the provider's name in the config
     * @param baseUrl          API root, {@link #DEFAULT_BASE_URL} unless a proxy sits in between
     * @param apiKey           sent as {@code x-api-key}
     * @param extraHeaders     added to every call (e.g. {@code anthropic-beta})
     * @param defaultMaxTokens {@code max_tokens} for requests that set no limit
     */
    public AnthropicProvider(String name, URI baseUrl, String apiKey, Map<String, String> extraHeaders,
                             int defaultMaxTokens, UpstreamHttp http) {
        this(name, baseUrl, apiKey, extraHeaders, defaultMaxTokens, http, Clock.systemUTC());
    }

    AnthropicProvider(String name, URI baseUrl, String apiKey, Map<String, String> extraHeaders,
                      int defaultMaxTokens, UpstreamHttp http, Clock clock) {
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be positive");
        }
        this.name = Objects.requireNonNull(name, "name");
        String base = (baseUrl == null ? DEFAULT_BASE_URL : baseUrl).toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/messages");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-api-key", Objects.requireNonNull(apiKey, "apiKey"));
        h.put("anthropic-version", API_VERSION);
        if (extraHeaders != null) {
            h.putAll(extraHeaders);
        }
        this.headers = Map.copyOf(h);
        this.defaultMaxTokens = defaultMaxTokens;
        this.http = Objects.requireNonNull(http, "http");
        this.clock = clock;
        this.errors = new AnthropicErrors(name);
        Secrets.register(apiKey);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new AnthropicFactory();
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        byte[] body = body(call, false);
        long created = clock.instant().getEpochSecond();
        JsonNode message = http.postJson(endpoint, headers, body, call.deadline(), errors);
        return MessagesResponse.toCompletion(message, call.upstreamModel(), created, name);
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        byte[] body = body(call, true);
        long created = clock.instant().getEpochSecond();
        InputStream in = http.postForStream(endpoint, headers, body, call.deadline(), errors);
        StreamTranslation translation = new StreamTranslation(sink, errors, name, call.upstreamModel(), created);
        // Closing the reader closes the upstream connection: on success, on error, and when the client is gone.
        try (SseReader events = new SseReader(in, call.streamIdleTimeout(), call.deadline())) {
            SseReader.Event event;
            while ((event = events.next()) != null) {
                if (translation.accept(parse(event))) {
                    return translation.outcome();
                }
            }
        }
        throw new ProviderException(ErrorKind.CONNECTION, 0, name + ": stream ended before completion");
    }

    private byte[] body(ProviderCall call, boolean stream) {
        ObjectNode request = MessagesRequest.from(call.request(), call.upstreamModel(), defaultMaxTokens, stream);
        try {
            return JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private JsonNode parse(SseReader.Event event) {
        try {
            JsonNode data = JSON.readTree(event.data());
            if (data == null || !data.isObject()) {
                throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": stream event without a JSON object");
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": stream event is not valid JSON");
        }
    }
}
