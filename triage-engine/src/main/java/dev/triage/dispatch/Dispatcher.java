package dev.triage.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.CacheStorage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.CircuitBreaker;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request against an ordered plan of models: each model is tried (and retried with backoff on
 * transient failures) until one answers, within one deadline; a model whose circuit is open is
 * skipped; every upstream attempt is reported to the {@link AttemptListener} with its exact cost.
 * Once the first byte of a stream went to the client nothing is retried.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long MAX_CREDIBLE_TOKENS = 1_000_000_000L;
    /** The ledger step of an explicit provider cache's estimated creation and storage ({@code LedgerEntry.step}). */
    public static final String CACHE_STORAGE_STEP = "cache storage";

    private final Map<String, Provider> providers;
    private final PriceCatalog catalog;
    private final ResilienceSettings settings;
    private final BreakerRegistry breakers;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final AttemptListener listener;
    private final TokenEstimator tokens;
    private final Clock clock;

    /** Waits between retries; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper SYSTEM = d -> {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(ErrorKind.CONNECTION, "interrupted while backing off", e);
            }
        };

        void sleep(Duration d);
    }

    public Dispatcher(Map<String, Provider> providers, PriceCatalog catalog, ResilienceSettings settings,
                      BreakerRegistry breakers, Backoff backoff, Sleeper sleeper, AttemptListener listener,
                      TokenEstimator tokens, Clock clock) {
        this.providers = Map.copyOf(providers);
        this.catalog = catalog;
        this.settings = settings;
        this.breakers = breakers;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.listener = listener;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The model and its fallback chain, depth first, each model once, leaving out models no configured provider serves. */
    public List<ModelInfo> plan(String modelId) {
        Set<String> seen = new LinkedHashSet<>();
        List<ModelInfo> out = new ArrayList<>();
        expand(modelId, seen, out);
        return out;
    }

    private void expand(String id, Set<String> seen, List<ModelInfo> out) {
        if (!seen.add(id)) {
            return;
        }
        catalog.find(id).ifPresent(m -> {
            if (providers.containsKey(m.provider())) {
                out.add(m);
            }
            for (String next : m.fallback()) {
                expand(next, seen, out);
            }
        });
    }

    /** Whether a provider is configured for the model. */
    public boolean servable(ModelInfo model) {
        return providers.containsKey(model.provider());
    }

    public DispatchResult complete(RequestContext ctx, ChatRequest request, List<ModelInfo> plan) {
        return run(new Run(ctx, request), plan, (run, model, provider, breaker) -> {
            long started = System.nanoTime();
            Instant at = clock.instant();
            boolean booked = false;
            try {
                ChatResponse response = provider.complete(call(ctx, request, model,
                        storage -> run.recordCacheStorage(model, storage, at, started, false)));
                breaker.onSuccess();
                Usage usage = credible(response.usage(), model) ? response.usage() : estimate(request, response.body());
                Money cost = run.record(model, at, started, null, usage, AttemptStatus.OK, null, 0, false);
                booked = true;
                ObjectNode body = CompletionShape.readdressed(response.body(), CompletionShape.idFor(ctx.requestId()),
                        model.id(), usage);
                return new DispatchResult(body, model.id(), run.attempts(), usage, cost, response.finishReason());
            } catch (ProviderException e) {
                run.failed(model, breaker, e, at, started, false);
                throw e;
            } catch (RuntimeException e) {
                breaker.onNeutral(); // a bug of ours says nothing about the model, and must not keep a half-open probe
                run.failedUnexpectedly(model, booked, e, at, started, null, false);
                throw e;
            }
        });
    }

    public DispatchResult stream(RequestContext ctx, ChatRequest request, List<ModelInfo> plan, StreamListener out) {
        return run(new Run(ctx, request), plan, (run, model, provider, breaker) -> {
            long started = System.nanoTime();
            Instant at = clock.instant();
            Forwarder sink = new Forwarder(run, model, out, started);
            boolean booked = false;
            try {
                StreamOutcome outcome = provider.stream(call(ctx, request, model,
                        storage -> run.recordCacheStorage(model, storage, at, started, true)), sink);
                breaker.onSuccess();
                if (!run.streamStarted) {
                    out.onStart(model.id(), run.attempts());
                    run.streamStarted = true;
                }
                Usage usage = credible(outcome.usage(), model) ? outcome.usage() : sink.estimate(request);
                Money cost = run.record(model, at, started, sink.ttftMs(), usage, AttemptStatus.OK, null, 0, true);
                booked = true;
                return new DispatchResult(null, model.id(), run.attempts(), usage, cost, outcome.finishReason());
            } catch (ClientGoneException e) {
                breaker.onNeutral();
                run.record(model, at, started, sink.ttftMs(), sink.estimate(request), AttemptStatus.CANCELLED, null, 0, true);
                throw e;
            } catch (ProviderException e) {
                if (sink.forwarded) {
                    run.failedMidStream(model, breaker, e, at, started, sink);
                    throw run.exhausted(true);
                }
                run.failed(model, breaker, e, at, started, true);
                throw e;
            } catch (RuntimeException e) {
                breaker.onNeutral();
                run.failedUnexpectedly(model, booked, e, at, started, sink, true);
                throw e;
            }
        });
    }

    /**
     * Whether provider-reported usage can be billed as it is. No model reads or writes a billion tokens in one
     * call; a count beyond that is an upstream's bug (or a hostile one) and would overflow any sum it joined, so
     * the call is billed on the local estimate instead, marked as such.
     */
    private static boolean credible(Usage usage, ModelInfo model) {
        if (usage == null || usage.estimated()) {
            return false;
        }
        boolean credible = usage.inputTokens() <= MAX_CREDIBLE_TOKENS && usage.outputTokens() <= MAX_CREDIBLE_TOKENS;
        if (!credible) {
            LOG.warn("{} reported {} input and {} output tokens for one call; billing the local estimate instead",
                    model.id(), usage.inputTokens(), usage.outputTokens());
        }
        return credible;
    }

    /** One call of one model; records its own ledger entry and rethrows provider failures. */
    @FunctionalInterface
    private interface Attempt {
        DispatchResult call(Run run, ModelInfo model, Provider provider, CircuitBreaker breaker);
    }

    /** Walks the plan: each model, retried on transient failures, until one answers or nothing may be tried. */
    private DispatchResult run(Run run, List<ModelInfo> plan, Attempt attempt) {
        for (ModelInfo model : plan) {
            Provider provider = providers.get(model.provider());
            CircuitBreaker breaker = breakers.forModel(model.provider(), model.id());
            for (int retry = 0; run.admit(model, breaker); retry++) {
                try {
                    return attempt.call(run, model, provider, breaker);
                } catch (ProviderException e) {
                    if (!run.retry(e, retry)) {
                        break;
                    }
                }
            }
            if (!run.mayFallBack()) {
                break;
            }
        }
        throw run.exhausted(false);
    }

    private ProviderCall call(RequestContext ctx, ChatRequest request, ModelInfo model, CacheStorage.Listener storage) {
        return new ProviderCall(request, model.upstreamModel(), ctx.deadline(), settings.streamIdleTimeout(), model.price(),
                storage);
    }

    private Usage estimate(ChatRequest request, JsonNode body) {
        JsonNode message = body.path("choices").path(0).path("message");
        int output = tokens.count(message.path("content").asText("")) + tokens.count(message.path("tool_calls").toString());
        return Usage.estimate(tokens.countMessages(request.messages()), output);
    }

    /** The state of one request's way through its plan. */
    private final class Run {
        final RequestContext ctx;
        final ChatRequest request;
        final List<String> models = new ArrayList<>();
        int attemptNo;
        Money cost = Money.ZERO;
        ProviderException last;
        boolean streamStarted;

        Run(RequestContext ctx, ChatRequest request) {
            this.ctx = ctx;
            this.request = request;
        }

        List<String> attempts() {
            return List.copyOf(models);
        }

        /** Whether the model may be called now (deadline left, circuit not open). */
        boolean admit(ModelInfo model, CircuitBreaker breaker) {
            if (ctx.deadline().expired()) {
                if (last == null || !last.kind().timedOut()) {
                    last = new ProviderException(models.isEmpty() ? ErrorKind.NOT_SENT : ErrorKind.TIMEOUT, 0,
                            "the request deadline passed before an answer");
                }
                return false;
            }
            if (!breaker.tryAcquire()) {
                if (last == null) {
                    last = new ProviderException(ErrorKind.OVERLOADED, 0, "circuit open for model " + model.id()
                            + " after repeated failures; try again later");
                }
                return false;
            }
            if (models.isEmpty() || !models.getLast().equals(model.id())) {
                models.add(model.id());
            }
            return true;
        }

        void failed(ModelInfo model, CircuitBreaker breaker, ProviderException e, Instant at, long started, boolean stream) {
            judge(breaker, e);
            // A call that reached the upstream and timed out may still have been processed and billed there: book
            // its prompt as an estimate. One that never reached it (NOT_SENT) cost nothing.
            Usage usage = e.kind() == ErrorKind.TIMEOUT ? Usage.estimate(tokens.countMessages(request.messages()), 0) : Usage.ZERO;
            record(model, at, started, null, usage, AttemptStatus.ERROR, e.kind().name(), e.upstreamStatus(), stream);
            LOG.info("{} attempt {} on {} failed ({}): {}", ctx.requestId(), attemptNo, model.id(), e.kind(), e.getMessage());
            last = e;
        }

        /**
         * Books an attempt that ended in an exception of our own (a translation bug, an answer we could not read)
         * unless it was booked already: the upstream may have been called and may bill, so the prompt (and what was
         * streamed) is booked as an estimate, with {@code PROTOCOL} as its error kind.
         */
        void failedUnexpectedly(ModelInfo model, boolean booked, RuntimeException e, Instant at, long started,
                                Forwarder sink, boolean stream) {
            if (booked) {
                return;
            }
            Usage usage = sink != null ? sink.estimate(request) : Usage.estimate(tokens.countMessages(request.messages()), 0);
            record(model, at, started, sink == null ? null : sink.ttftMs(), usage, AttemptStatus.ERROR,
                    ErrorKind.PROTOCOL.name(), 0, stream);
            LOG.error("{} attempt {} on {} failed inside the gateway; booked at the estimated cost", ctx.requestId(),
                    attemptNo, model.id(), e);
        }

        void failedMidStream(ModelInfo model, CircuitBreaker breaker, ProviderException e, Instant at, long started, Forwarder sink) {
            judge(breaker, e);
            record(model, at, started, sink.ttftMs(), sink.estimate(request), AttemptStatus.ERROR, e.kind().name(), e.upstreamStatus(), true);
            LOG.info("{} attempt {} on {} failed mid-stream ({}): {}", ctx.requestId(), attemptNo, model.id(), e.kind(), e.getMessage());
            last = e;
        }

        /**
         * Tells the model's breaker what a failure says about the model: only the upstream's own failures count.
         * Refusals by Triage (the adapter's BAD_REQUEST before sending) and the request's own faults don't, nor
         * does a deadline the caller or route shortened running out ({@link dev.triage.provider.Deadline#shortened()}):
         * that upstream was given less time than the gateway gives any upstream. The gateway's own deadline
         * running out, or a stalled stream, is the upstream's fault.
         */
        private void judge(CircuitBreaker breaker, ProviderException e) {
            boolean callersDeadline = e.kind() == ErrorKind.TIMEOUT && ctx.deadline().shortened() && ctx.deadline().expired();
            if (e.kind().countsAgainstBreaker() && !callersDeadline) {
                breaker.onFailure();
            } else {
                breaker.onNeutral();
            }
        }

        /** Backs off and returns true if the same model should be tried again. */
        boolean retry(ProviderException e, int retriesSoFar) {
            if (!e.kind().retryable() || retriesSoFar >= settings.maxRetries()) {
                return false;
            }
            Duration wait = backoff.delay(retriesSoFar + 1, e.retryAfter());
            if (wait.compareTo(ctx.deadline().remaining()) >= 0) {
                return false;
            }
            sleeper.sleep(wait);
            return true;
        }

        boolean mayFallBack() {
            return last == null || last.kind().fallbackAllowed();
        }

        Money record(ModelInfo model, Instant at, long started, Long ttft, Usage usage, AttemptStatus status,
                     String errorKind, int httpStatus, boolean stream) {
            Money attemptCost = model.price().cost(usage);
            Money cacheSaving = model.price().cacheSaving(usage);
            cost = cost.plus(attemptCost);
            long latencyMs = (System.nanoTime() - started) / 1_000_000;
            attemptNo = ctx.attempts().incrementAndGet();
            listener.onAttempt(new LedgerEntry(ctx.requestId(), attemptNo, ctx.route(), model.id(), model.provider(),
                    usage, attemptCost, cacheSaving, latencyMs, ttft, status, errorKind, httpStatus, stream, ctx.user(), ctx.task(),
                    ctx.tier(), ctx.step(), ctx.decision(), at, ctx.apiKey(), ctx.contextArm()));
            return cost;
        }

        /**
         * Books an explicit cache the provider bought during an attempt (Gemini's {@code cachedContents}) as an entry of
         * its own, step {@value #CACHE_STORAGE_STEP}: its written tokens at the cache-write price and its storage time at
         * the storage price, an estimate (no upstream reports it). Booked as it is bought, so a failing answer after it
         * does not lose it.
         */
        void recordCacheStorage(ModelInfo model, CacheStorage storage, Instant at, long started, boolean stream) {
            Price price = model.price();
            Usage usage = new Usage(storage.writtenTokens(), 0, 0, storage.writtenTokens(), 0, true);
            Money fee = price.cacheStorage(storage.storedTokens(), storage.held());
            Money attemptCost = price.cost(usage).plus(fee);
            cost = cost.plus(attemptCost);
            long latencyMs = (System.nanoTime() - started) / 1_000_000;
            int number = ctx.attempts().incrementAndGet();
            listener.onAttempt(new LedgerEntry(ctx.requestId(), number, ctx.route(), model.id(), model.provider(),
                    usage, attemptCost, price.cacheSaving(usage).minus(fee), latencyMs, null, AttemptStatus.OK, null, 0,
                    stream, ctx.user(), ctx.task(), ctx.tier(), CACHE_STORAGE_STEP, ctx.decision(), at, ctx.apiKey(),
                    ctx.contextArm()));
        }

        DispatchException exhausted(boolean midStream) {
            ProviderException e = last != null ? last
                    : new ProviderException(ErrorKind.OVERLOADED, 0, "no configured provider serves any model of this request");
            String message = models.size() > 1 && !midStream
                    ? e.getMessage() + " (tried " + String.join(", ", models) + ")"
                    : e.getMessage();
            return new DispatchException(e.kind(), message, e.retryAfter(), models, cost, midStream, e.param());
        }
    }

    /**
     * Passes an attempt's chunks on to the client, rewriting ids, and remembers what it passed. The chunks are
     * its own ({@link ChunkSink}), so they are re-addressed in place: no chunk is copied on the stream's hot path.
     */
    private final class Forwarder implements ChunkSink {
        private final Run run;
        private final ModelInfo model;
        private final StreamListener out;
        private final long started;
        private final String id;
        private final StringBuilder text = new StringBuilder();
        boolean forwarded;
        private Long ttftMs;

        Forwarder(Run run, ModelInfo model, StreamListener out, long started) {
            this.run = run;
            this.model = model;
            this.out = out;
            this.started = started;
            this.id = CompletionShape.idFor(run.ctx.requestId());
        }

        @Override
        public void onChunk(ObjectNode chunk) {
            if (!forwarded) {
                ttftMs = (System.nanoTime() - started) / 1_000_000;
                if (!run.streamStarted) {
                    out.onStart(model.id(), run.attempts());
                    run.streamStarted = true;
                }
                forwarded = true;
            }
            JsonNode delta = chunk.path("choices").path(0).path("delta");
            if (delta.hasNonNull("content")) {
                text.append(delta.get("content").asText());
            }
            if (delta.has("tool_calls")) {
                text.append(delta.get("tool_calls").toString());
            }
            chunk.put("id", id);
            chunk.put("model", model.id());
            out.onChunk(chunk);
        }

        Long ttftMs() {
            return ttftMs;
        }

        Usage estimate(ChatRequest request) {
            return Usage.estimate(tokens.countMessages(request.messages()), tokens.count(text.toString()));
        }
    }
}
