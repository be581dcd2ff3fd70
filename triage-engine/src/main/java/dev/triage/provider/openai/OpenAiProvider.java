package dev.triage.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.PromptCache;
import dev.triage.chat.Usage;
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
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An OpenAI Chat Completions upstream: OpenAI itself or any compatible server (vLLM, Ollama,
 * Together, Groq, DeepSeek, OpenRouter).
 *
 * <p>The canonical request already is a Chat Completions body, so it goes upstream as is: only
 * {@code model} is replaced and Triage's own {@code metadata.task_type} is removed. Every other
 * field (sampling parameters, tools, response_format, logprobs, …) passes through untouched.
 */
public final class OpenAiProvider implements Provider {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The JDK HttpClient refuses to let callers set these; reject them when the config is read, not mid-request.
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final String name;
    private final URI endpoint;
    private final Map<String, String> jsonHeaders;
    private final Map<String, String> streamHeaders;
    private final UpstreamHttp http;
    private final OpenAiErrors errors;
    private final boolean sendCacheKey;

    /**
     * @param name         the provider's config name, used as the prefix of error messages
     * @param baseUrl      the API root, e.g. {@code https://api.openai.com/v1}; requests go to {@code {baseUrl}/chat/completions}
     * @param apiKey       sent as {@code Authorization: Bearer}; null or blank for servers without auth (local vLLM, Ollama)
     * @param extraHeaders sent with every request, e.g. {@code OpenAI-Organization}
     * @param http         the shared upstream HTTP client
     */
    public OpenAiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http) {
        this(name, baseUrl, apiKey, extraHeaders, http, false);
    }

    /**
     * @param sendCacheKey whether to send {@code prompt_cache_key} (the request's session) when the client sent none
     */
    public OpenAiProvider(String name, String baseUrl, String apiKey, Map<String, String> extraHeaders, UpstreamHttp http,
                          boolean sendCacheKey) {
        this.name = Objects.requireNonNull(name, "name");
        this.sendCacheKey = sendCacheKey;
        this.endpoint = endpoint(baseUrl);
        this.http = Objects.requireNonNull(http, "http");
        this.errors = new OpenAiErrors(name);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        (extraHeaders == null ? Map.<String, String>of() : extraHeaders).forEach((header, value) -> {
            if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("provider '" + name + "': header '" + header + "' cannot be set");
            }
            headers.put(header, value);
        });
        if (apiKey != null && !apiKey.isBlank()) {
            Secrets.register(apiKey);
            headers.put("Authorization", "Bearer " + apiKey);
        }
        headers.put("Accept", "application/json");
        this.jsonHeaders = Collections.unmodifiableMap(new TreeMap<>(headers));
        headers.put("Accept", "text/event-stream");
        this.streamHeaders = Collections.unmodifiableMap(headers);
    }

    private static URI endpoint(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri = URI.create(base + "/chat/completions");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("base URL must start with http:// or https://, got '" + baseUrl + "'");
        }
        return uri;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new OpenAiFactory();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned body is the upstream's {@code chat.completion} object unchanged. When the upstream
     * reports no usage (some compatible servers), the usage is {@code Usage(0, 0, 0, 0, 0, estimated=true)};
     * the dispatcher replaces such estimated zeros with a tokenizer estimate.
     */
    @Override
    public ChatResponse complete(ProviderCall call) {
        ObjectNode body = upstreamBody(call);
        body.remove("stream");
        body.remove("stream_options"); // OpenAI rejects stream_options on a non-streaming call
        JsonNode answer = http.postJson(endpoint, jsonHeaders, encode(body), call.deadline(), errors);
        if (!(answer instanceof ObjectNode completion)) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": upstream answer is not a JSON object");
        }
        JsonNode choices = completion.get("choices");
        if (choices == null && completion.has("error")) {
            throw errors.inBand(completion);
        }
        if (choices == null || !choices.isArray()) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": upstream answer has no choices");
        }
        String finishReason = choices.isEmpty() ? null : choices.get(0).path("finish_reason").textValue();
        JsonNode usage = completion.get("usage");
        return new ChatResponse(completion, usage != null && usage.isObject() ? usage(usage) : new Usage(0, 0, 0, 0, 0, true),
                finishReason);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Usage is always requested ({@code stream_options.include_usage}); OpenAI reports it in a last
     * chunk with empty {@code choices}, which is captured here and not forwarded. Forwarded chunks are
     * the upstream's {@code chat.completion.chunk} objects without their {@code usage} field.
     */
    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        ObjectNode body = upstreamBody(call);
        body.put("stream", true);
        JsonNode options = body.get("stream_options");
        ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
        streamOptions.put("include_usage", true);
        InputStream upstream = http.postForStream(endpoint, streamHeaders, encode(body), call.deadline(), errors);
        try (SseReader events = new SseReader(upstream, call.streamIdleTimeout(), call.deadline())) {
            Usage usage = null;
            String finishReason = null;
            for (SseReader.Event event = events.next(); event != null; event = events.next()) {
                String data = event.data().strip();
                if (data.equals("[DONE]")) {
                    return new StreamOutcome(usage, finishReason);
                }
                if (data.isEmpty()) {
                    continue;
                }
                ObjectNode chunk = parseChunk(data);
                if (chunk.has("error") || "error".equals(event.name())) {
                    throw errors.inBand(chunk);
                }
                JsonNode chunkUsage = chunk.remove("usage");
                if (chunkUsage != null && chunkUsage.isObject()) {
                    usage = usage(chunkUsage);
                }
                JsonNode choices = chunk.path("choices");
                if (choices.isArray() && !choices.isEmpty()) {
                    String reason = choices.get(0).path("finish_reason").textValue();
                    if (reason != null) {
                        finishReason = reason;
                    }
                    sink.onChunk(chunk);
                }
            }
            throw new ProviderException(ErrorKind.CONNECTION, 0, name + ": stream ended before completion");
        }
    }

    private ObjectNode upstreamBody(ProviderCall call) {
        ObjectNode body = call.request().copyBody();
        body.put("model", call.upstreamModel());
        PromptCache cache = call.request().cache();
        if (sendCacheKey && cache.enabled() && cache.session() != null && !body.has("prompt_cache_key")) {
            // OpenAI routes requests with the same key to the same cache; the session id is already a hash
            body.put("prompt_cache_key", "triage-" + cache.session());
        }
        for (JsonNode message : body.path("messages")) {
            if (message instanceof ObjectNode m) {
                m.remove("thinking_blocks"); // another provider's signed thinking, kept for it alone (see the anthropic provider)
            }
        }
        if (body.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("task_type"); // Triage's routing hint, meaningless upstream
            if (metadata.isEmpty()) {
                body.remove("metadata");
            }
        }
        return body;
    }

    private ObjectNode parseChunk(String data) {
        try {
            if (JSON.readTree(data) instanceof ObjectNode chunk) {
                return chunk;
            }
        } catch (JsonProcessingException notJson) {
            // reported below
        }
        throw new ProviderException(ErrorKind.PROTOCOL, 200, name + ": upstream stream event is not a JSON object");
    }

    /** Reads OpenAI usage; DeepSeek reports cache hits as {@code prompt_cache_hit_tokens} instead of prompt details. */
    static Usage usage(JsonNode usage) {
        long input = count(usage.path("prompt_tokens"));
        long output = count(usage.path("completion_tokens"));
        JsonNode cachedNode = usage.path("prompt_tokens_details").path("cached_tokens");
        long cached = cachedNode.isNumber() ? count(cachedNode) : count(usage.path("prompt_cache_hit_tokens"));
        long reasoning = count(usage.path("completion_tokens_details").path("reasoning_tokens"));
        return new Usage(input, output, cached, 0, reasoning, false);
    }

    private static long count(JsonNode n) {
        return n.isNumber() ? Math.max(0, n.asLong()) : 0;
    }

    private static byte[] encode(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
