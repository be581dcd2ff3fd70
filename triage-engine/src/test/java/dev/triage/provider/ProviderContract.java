package dev.triage.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every provider must do, whatever its wire format: one suite, run by a subclass per provider
 * against its fake upstream. The subclass says how its upstream answers each case, in the API's own
 * wire format; the suite calls the provider built by its factory from config settings, and checks
 * the canonical answer. A case for a {@link Capability} the factory does not declare is skipped, and
 * so is an upstream refusal the API has no way to send.
 */
public abstract class ProviderContract {

    /** A rate-limited upstream asks the caller to come back after this long. */
    protected static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    /** What every fake HTTP upstream answers to the question ("Say hello"). */
    protected static final Reply HELLO = new Reply("Hello there!", Usage.reported(19, 4));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenEstimator TOKENS = new TokenEstimator();
    private static final String SAY_HELLO = "{\"model\":\"triage/contract\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]";
    private static final String QUESTION = SAY_HELLO + "}";
    private static final String STREAMED_QUESTION = SAY_HELLO + ",\"stream\":true}";
    private static final String TWO_CHOICES_QUESTION = SAY_HELLO + ",\"n\":2}";
    private static final String WEATHER = """
            {"model":"triage/contract","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function",\
            "function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]""";
    private static final String TOOL_QUESTION = WEATHER + "}";
    private static final String STREAMED_TOOL_QUESTION = WEATHER + ",\"stream\":true}";
    private static final String PARIS = "{\"location\":\"Paris\"}";

    /** The upstream's answer: its text, and the usage the provider must report for it. */
    public record Reply(String text, Usage usage) {
    }

    /** An upstream stream that does not end by itself. */
    @FunctionalInterface
    public interface EndlessStream {
        /** Whether the upstream saw the caller go away (its connection closed) within {@code timeout}. */
        boolean awaitHangUp(Duration timeout) throws InterruptedException;

        /** Ends the stream, so the fake upstream can shut down. */
        default void stop() {
        }
    }

    /** The kind under test. */
    protected abstract ProviderFactory factory();

    /** What a config would say to reach the fake upstream (read after each staging: it may change them). */
    protected abstract ProviderSettings settings();

    /** Stages a short text answer to the question ("Say hello"). */
    protected abstract Reply upstreamAnswers();

    /** Stages the same as a stream, the text arriving in two pieces or more, usage at the end. */
    protected abstract Reply upstreamStreams();

    /**
     * Stages the refusal by which this API says {@code kind} (a rate limit says {@link #RETRY_AFTER});
     * false if the API has no such refusal.
     */
    protected abstract boolean upstreamRefuses(ErrorKind kind);

    /** Stages a stream that opens with its first chunk, then keeps going until the caller leaves. */
    protected abstract EndlessStream upstreamStreamsEndlessly();

    /** Stages a call of {@code get_weather} with {@code {"location":"Paris"}}, streamed or not. */
    protected void upstreamCallsTool(boolean streamed) {
        throw new UnsupportedOperationException(factory().configName() + " declares no tools");
    }

    /** Stages an answer whose prompt was partly read from the provider's cache; returns its usage. */
    protected Usage upstreamAnswersFromCache() {
        throw new UnsupportedOperationException(factory().configName() + " declares no prompt caching");
    }

    /** Stages an answer with two choices to a request for {@code n: 2}; returns their texts. */
    protected List<String> upstreamAnswersTwoChoices() {
        throw new UnsupportedOperationException(factory().configName() + " declares no multiple choices");
    }

    @Test
    void isBuiltByTheFactoryRegisteredUnderItsConfigName() {
        Provider provider = provider();

        assertThat(ProviderFactories.named(factory().configName())).contains(factory());
        assertThat(provider.kind()).isEqualTo(factory());
        assertThat(provider.name()).isEqualTo(settings().name());
    }

    @Test
    void answersWithTheUpstreamsTextFinishReasonAndUsage() {
        Reply reply = upstreamAnswers();

        ChatResponse response = provider().complete(call(QUESTION));

        ObjectNode body = response.body();
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("id").asText()).isNotEmpty();
        assertThat(body.get("choices")).hasSize(1);
        assertThat(body.at("/choices/0/index").asInt(-1)).isZero();
        assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(reply.text());
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(reply.usage());
        assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(reply.usage().inputTokens());
        assertThat(body.at("/usage/completion_tokens").asLong()).isEqualTo(reply.usage().outputTokens());
        assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(reply.usage().totalTokens());
    }

    @Test
    void streamsOneChoiceChunksThatAddUpToTheAnswerAndEndsWithItsUsage() {
        Reply reply = upstreamStreams();
        List<ObjectNode> chunks = new ArrayList<>();

        StreamOutcome outcome = provider().stream(call(STREAMED_QUESTION), chunks::add);

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText()).isNotEmpty();
            assertThat(chunk.get("choices")).hasSize(1);
            assertThat(chunk.at("/choices/0/index").asInt(-1)).isZero();
            assertThat(chunk.has("usage")).as("usage is the outcome's, not a chunk's").isFalse();
        });
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks).filteredOn(chunk -> !chunk.at("/choices/0/delta/content").asText("").isEmpty())
                .as("the text arrives as it is written").hasSizeGreaterThanOrEqualTo(2);
        assertThat(String.join("", chunks.stream().map(c -> c.at("/choices/0/delta/content").asText("")).toList()))
                .isEqualTo(reply.text());
        assertThat(chunks).map(c -> c.at("/choices/0/finish_reason").asText(null)).last().isEqualTo("stop");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue());
        assertThat(outcome).isEqualTo(new StreamOutcome(reply.usage(), "stop"));
    }

    @Test
    void aToolCallComesBackWithItsNameAndArguments() {
        assumeCapable(Capability.TOOLS);
        upstreamCallsTool(false);

        ChatResponse response = provider().complete(call(TOOL_QUESTION));

        JsonNode toolCall = response.body().at("/choices/0/message/tool_calls/0");
        assertThat(toolCall.path("id").asText()).isNotEmpty();
        assertThat(toolCall.path("type").asText()).isEqualTo("function");
        assertThat(toolCall.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(json(toolCall.at("/function/arguments").asText())).isEqualTo(json(PARIS));
        assertThat(response.body().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aStreamedToolCallAddsUpToItsNameAndArguments() {
        assumeCapable(Capability.TOOLS);
        upstreamCallsTool(true);
        List<ObjectNode> chunks = new ArrayList<>();

        StreamOutcome outcome = provider().stream(call(STREAMED_TOOL_QUESTION), chunks::add);

        List<JsonNode> deltas = chunks.stream().map(c -> c.at("/choices/0/delta/tool_calls/0")).filter(d -> !d.isMissingNode()).toList();
        assertThat(deltas).isNotEmpty().allSatisfy(d -> assertThat(d.path("index").asInt(-1)).isZero());
        assertThat(deltas.get(0).path("id").asText()).isNotEmpty();
        assertThat(deltas.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        String arguments = String.join("", deltas.stream().map(d -> d.at("/function/arguments").asText("")).toList());
        assertThat(json(arguments)).isEqualTo(json(PARIS));
        assertThat(outcome.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void promptTokensReadFromTheCacheAreReportedAsCachedInput() {
        assumeCapable(Capability.PROMPT_CACHING);
        Usage usage = upstreamAnswersFromCache();
        assertThat(usage.cachedInputTokens()).as("the staged answer read part of its prompt from the cache").isPositive();

        ChatResponse response = provider().complete(call(QUESTION));

        assertThat(response.usage()).isEqualTo(usage);
        assertThat(response.body().at("/usage/prompt_tokens").asLong()).isEqualTo(usage.inputTokens());
        assertThat(response.body().at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(usage.cachedInputTokens());
    }

    @Test
    void severalChoicesComeBackWhenNAsksForThem() {
        assumeCapable(Capability.MULTIPLE_CHOICES);
        List<String> texts = upstreamAnswersTwoChoices();

        ChatResponse response = provider().complete(call(TWO_CHOICES_QUESTION));

        assertThat(response.body().get("choices")).map(c -> c.path("index").asInt(-1)).containsExactly(0, 1);
        assertThat(response.body().get("choices")).map(c -> c.at("/message/content").asText()).containsExactlyElementsOf(texts);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, names = {"RATE_LIMITED", "OVERLOADED", "SERVER_ERROR", "AUTH", "BAD_REQUEST", "CONTEXT_TOO_LONG"})
    void anUpstreamRefusalIsMappedToItsErrorKind(ErrorKind kind) {
        assumeTrue(upstreamRefuses(kind), () -> factory().configName() + " has no refusal meaning " + kind);

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().complete(call(QUESTION)));

        assertRefusal(e, kind);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, names = {"RATE_LIMITED", "OVERLOADED", "SERVER_ERROR", "AUTH", "BAD_REQUEST", "CONTEXT_TOO_LONG"})
    void anUpstreamRefusingAStreamIsMappedToTheSameKindBeforeAnyChunk(ErrorKind kind) {
        assumeTrue(upstreamRefuses(kind), () -> factory().configName() + " has no refusal meaning " + kind);
        List<ObjectNode> chunks = new ArrayList<>();

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().stream(call(STREAMED_QUESTION), chunks::add));

        assertRefusal(e, kind);
        assertThat(chunks).isEmpty();
    }

    @Test
    void aClientGoneMidStreamPropagatesAtOnceAndReleasesTheUpstream() throws InterruptedException {
        EndlessStream upstream = upstreamStreamsEndlessly();
        try {
            Provider provider = provider();
            ClientGoneException gone = new ClientGoneException(new IOException("Broken pipe"));
            List<ObjectNode> delivered = new ArrayList<>();

            long started = System.nanoTime();
            assertThatThrownBy(() -> provider.stream(call(STREAMED_QUESTION), chunk -> {
                delivered.add(chunk);
                throw gone;
            })).isSameAs(gone);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(delivered).hasSize(1);
            assertThat(upstream.awaitHangUp(Duration.ofSeconds(2))).as("the upstream saw the call end").isTrue();
        } finally {
            upstream.stop();
        }
    }

    @Test
    void aStreamStillGoingAtTheDeadlineEndsInATimeout() {
        EndlessStream upstream = upstreamStreamsEndlessly();
        try {
            Provider provider = provider();
            List<ObjectNode> chunks = new ArrayList<>();
            ProviderCall call = call(STREAMED_QUESTION, Duration.ofMillis(400));

            long started = System.nanoTime();
            assertThatThrownBy(() -> provider.stream(call, chunks::add))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(chunks).isNotEmpty();
        } finally {
            upstream.stop();
        }
    }

    /** The provider under test, built by its factory from {@link #settings()}. */
    private Provider provider() {
        return factory().create(settings(), TOKENS);
    }

    private void assumeCapable(Capability capability) {
        assumeTrue(factory().capabilities().contains(capability), () -> factory().configName() + " declares no " + capability);
    }

    private void assertRefusal(ProviderException e, ErrorKind kind) {
        assertThat(e).as("the refusal is a ProviderException").isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).startsWith(settings().name() + ": ");
        if (kind == ErrorKind.RATE_LIMITED) {
            assertThat(e.retryAfter()).isEqualTo(RETRY_AFTER);
        }
    }

    private static ProviderCall call(String request) {
        return call(request, Duration.ofSeconds(10));
    }

    private static ProviderCall call(String request, Duration deadline) {
        return new ProviderCall(new ChatRequest((ObjectNode) json(request)), "contract-model", Deadline.after(deadline),
                Duration.ofSeconds(5));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
