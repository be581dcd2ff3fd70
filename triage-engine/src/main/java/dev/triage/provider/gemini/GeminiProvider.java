package dev.triage.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Google's Gemini API ({@code generativelanguage.googleapis.com}): {@code POST /v1beta/models/{model}:generateContent}
 * and, for streams, {@code :streamGenerateContent?alt=sse}. The API key travels in the
 * {@code x-goog-api-key} header, never in the URL.
 *
 * <p>Token logprobs are not translated back from Gemini's {@code logprobsResult}, so
 * {@link #supportsLogprobs()} is false and requests that need them go elsewhere.
 */
public final class GeminiProvider implements Provider {

    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._\\-]+(/[A-Za-z0-9._\\-]+)*");

    private final String name;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final UpstreamHttp http;
    private final GeminiErrors errors;
    private final ResponseTranslator responses;

    /**
     * @param name         the provider's name in the config
     * @param baseUrl      the API root, without {@code /v1beta}; null for {@link #DEFAULT_BASE_URL}
     * @param apiKey       the Gemini API key
     * @param extraHeaders headers sent with every call (may be null)
     */
    public GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http) {
        this(name, baseUrl, apiKey, extraHeaders, http, Clock.systemUTC(),
                () -> UUID.randomUUID().toString().replace("-", "").substring(0, 24));
    }

    /** With a clock for {@code created} and a source of id suffixes, so tests can pin both. */
    GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http,
                   Clock clock, Supplier<String> ids) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiKey, "apiKey");
        String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Secrets.register(apiKey);
        Map<String, String> all = new LinkedHashMap<>();
        if (extraHeaders != null) {
            extraHeaders.forEach((header, value) -> {
                if (!header.equalsIgnoreCase("x-goog-api-key")) {
                    all.put(header, value);
                }
            });
        }
        all.put("x-goog-api-key", apiKey);
        this.headers = Map.copyOf(all);
        this.http = http;
        this.errors = new GeminiErrors(name);
        this.responses = new ResponseTranslator(name, clock, ids);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new GeminiFactory();
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        try {
            byte[] body = requestBody(call);
            JsonNode answer = http.postJson(endpoint(call.upstreamModel(), "generateContent"), headers, body,
                    call.deadline(), errors);
            return responses.translate(answer, call.upstreamModel());
        } catch (ProviderException e) {
            throw named(e);
        }
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        try {
            byte[] body = requestBody(call);
            InputStream upstream = http.postForStream(endpoint(call.upstreamModel(), "streamGenerateContent?alt=sse"),
                    headers, body, call.deadline(), errors);
            StreamTranslator stream = new StreamTranslator(responses, call.upstreamModel(), name);
            // Closing the reader closes the upstream connection, also when the sink reports the client gone.
            try (SseReader events = new SseReader(upstream, call.streamIdleTimeout(), call.deadline())) {
                for (SseReader.Event event = events.next(); event != null; event = events.next()) {
                    JsonNode fragment = parse(event.data());
                    JsonNode error = GeminiErrors.errorOf(fragment);
                    if (!error.isMissingNode()) {
                        throw errors.fromError(0, error, null);
                    }
                    stream.accept(fragment, sink);
                }
            }
            return stream.outcome();
        } catch (ProviderException e) {
            throw named(e);
        }
    }

    private byte[] requestBody(ProviderCall call) {
        ObjectNode body;
        try {
            body = RequestTranslator.translate(call.request());
        } catch (RequestTranslator.UntranslatableRequest e) {
            throw new ProviderException(ErrorKind.BAD_REQUEST, 0, name + ": " + e.getMessage());
        }
        try {
            return ResponseTranslator.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private URI endpoint(String model, String method) {
        // Plain ids ("gemini-2.0-flash") live under models/; full resource names are taken as given.
        String resource = model.startsWith("models/") || model.startsWith("tunedModels/") ? model : "models/" + model;
        if (!MODEL_ID.matcher(resource).matches()) {
            throw new ProviderException(ErrorKind.BAD_REQUEST, 0, name + ": invalid Gemini model id '" + model + "'");
        }
        return URI.create(baseUrl + "/v1beta/" + resource + ":" + method);
    }

    private JsonNode parse(String data) {
        try {
            return ResponseTranslator.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": Gemini sent a stream event that is not JSON");
        }
    }

    /** Every error leaving this provider says which provider it came from. */
    private ProviderException named(ProviderException e) {
        String prefix = name + ": ";
        if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
            return e;
        }
        return new ProviderException(e.kind(), e.upstreamStatus(), prefix + e.getMessage(), e.retryAfter(), e.getCause());
    }
}
