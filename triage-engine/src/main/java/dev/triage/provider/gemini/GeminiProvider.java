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
import dev.triage.tokens.TokenEstimator;
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
 * <p>Token logprobs: {@code logprobs: true} asks for {@code responseLogprobs}, and each candidate's
 * {@code logprobsResult} comes back as OpenAI's {@code choices[].logprobs.content} (see {@link TokenLogprobs}).
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
    private final ExplicitCaches caches; // null when explicit caching is off

    /**
     * @param name         the provider's name in the config
     * @param baseUrl      the API root, without {@code /v1beta}; null for {@link #DEFAULT_BASE_URL}
     * @param apiKey       the Gemini API key
     * @param extraHeaders headers sent with every call (may be null)
     */
    public GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http) {
        this(name, baseUrl, apiKey, extraHeaders, http, ExplicitCaching.OFF, null);
    }

    /**
     * @param explicitCaching whether explicit caches are bought where {@link ExplicitCacheRule} says they pay
     * @param tokens          estimates a prefix's tokens before Gemini has counted them (needed unless caching is off)
     */
    public GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http,
                          ExplicitCaching explicitCaching, TokenEstimator tokens) {
        this(name, baseUrl, apiKey, extraHeaders, http, Clock.systemUTC(),
                () -> UUID.randomUUID().toString().replace("-", "").substring(0, 24), explicitCaching, tokens);
    }

    /** With a clock for {@code created} and a source of id suffixes, so tests can pin both. */
    GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http,
                   Clock clock, Supplier<String> ids) {
        this(name, baseUrl, apiKey, extraHeaders, http, clock, ids, ExplicitCaching.OFF, null);
    }

    /** With explicit caching, its clock being {@code clock}. */
    GeminiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http,
                   Clock clock, Supplier<String> ids, ExplicitCaching explicitCaching, TokenEstimator tokens) {
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
        this.caches = switch (explicitCaching) {
            case AUTO -> new ExplicitCaches(clock, Objects.requireNonNull(tokens, "tokens"),
                    new CachedContents(this.baseUrl, headers, http, errors));
            case OFF -> null;
        };
    }

    /** Whether Gemini's explicit caches ({@code cachedContents}) are used. */
    public enum ExplicitCaching {
        /** Where the measured saving beats the storage fee ({@link ExplicitCacheRule}). */
        AUTO,
        /** Never: implicit caching only. */
        OFF
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
            ExplicitCaches.Sending sending = prepare(call);
            URI uri = endpoint(call.upstreamModel(), "generateContent");
            JsonNode answer;
            try {
                answer = http.postJson(uri, headers, bytes(sending.body), call.deadline(), errors);
            } catch (ProviderException e) {
                if (!cacheRefused(sending, e, call)) {
                    throw e;
                }
                answer = http.postJson(uri, headers, bytes(sending.plainBody), call.deadline(), errors);
            }
            ChatResponse response = responses.translate(answer, call.upstreamModel());
            sending.answered(response.usage());
            return response;
        } catch (ProviderException e) {
            throw named(e);
        }
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        try {
            ExplicitCaches.Sending sending = prepare(call);
            URI uri = endpoint(call.upstreamModel(), "streamGenerateContent?alt=sse");
            InputStream upstream;
            try {
                upstream = http.postForStream(uri, headers, bytes(sending.body), call.deadline(), errors);
            } catch (ProviderException e) {
                if (!cacheRefused(sending, e, call)) {
                    throw e;
                }
                upstream = http.postForStream(uri, headers, bytes(sending.plainBody), call.deadline(), errors);
            }
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
            StreamOutcome outcome = stream.outcome();
            sending.answered(outcome.usage());
            return outcome;
        } catch (ProviderException e) {
            throw named(e);
        }
    }

    /** The translated request, naming an explicit cache where one pays. */
    private ExplicitCaches.Sending prepare(ProviderCall call) {
        ObjectNode body;
        try {
            body = RequestTranslator.translate(call.request());
        } catch (RequestTranslator.UntranslatableRequest e) {
            throw ProviderException.refused(e.param(), name + ": " + e.getMessage());
        }
        String resource = resource(call.upstreamModel());
        return caches == null ? ExplicitCaches.plain(body) : caches.prepare(call, resource, body);
    }

    /**
     * Whether Gemini refused a request that names a cache in a way the plain request may not be refused: the cache
     * expired or was deleted (403 PERMISSION_DENIED "CachedContent not found", or 404), or the request and the cache
     * disagree (400). The cache is forgotten and the plain request is sent instead, so no error of caching reaches
     * the client; a refusal that has nothing to do with the cache comes back for the plain request too.
     */
    private static boolean cacheRefused(ExplicitCaches.Sending sending, ProviderException e, ProviderCall call) {
        int status = e.upstreamStatus();
        if (!sending.cached() || !(status == 400 || status == 403 || status == 404) || call.deadline().expired()) {
            return false;
        }
        sending.gone();
        return true;
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return ResponseTranslator.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private URI endpoint(String model, String method) {
        return URI.create(baseUrl + "/v1beta/" + resource(model) + ":" + method);
    }

    /** The model's resource name: plain ids ("gemini-2.0-flash") live under models/; full names are taken as given. */
    private String resource(String model) {
        String resource = model.startsWith("models/") || model.startsWith("tunedModels/") ? model : "models/" + model;
        if (!MODEL_ID.matcher(resource).matches()) {
            throw new ProviderException(ErrorKind.BAD_REQUEST, 0, name + ": invalid Gemini model id '" + model + "'");
        }
        return resource;
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
        return e.withMessage(prefix + e.getMessage());
    }
}
