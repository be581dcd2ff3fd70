package dev.triage.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.CacheStorage;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderException;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.CircuitBreaker;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenEstimator TOKENS = new TokenEstimator();

    private final AtomicLong now = new AtomicLong();
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<LedgerEntry> ledger = new CopyOnWriteArrayList<>();
    private final ScriptedProvider alpha = new ScriptedProvider("alpha");
    private final ScriptedProvider beta = new ScriptedProvider("beta");
    private BreakerRegistry breakers;

    private PriceCatalog catalog() {
        return new PriceCatalog(List.of(
                // a has Anthropic-like cache prices: reads $0.10 (0.1x), writes $1.25 (1.25x) per 1M tokens.
                new ModelInfo("a", "alpha", "a-upstream", new Price(new java.math.BigDecimal("1"), new java.math.BigDecimal("2"),
                        new java.math.BigDecimal("0.10"), new java.math.BigDecimal("1.25")), 100_000, 4096, null, null, List.of("b")),
                model("b", "beta", "3", "4", List.of("c")),
                model("c", "alpha", "5", "6", List.of()),
                model("orphan", "nobody", "1", "1", List.of("b")),
                // g has Gemini 2.5 Flash's prices, an explicit cache's storage included.
                new ModelInfo("g", "alpha", "g-upstream", new Price(new java.math.BigDecimal("0.30"), new java.math.BigDecimal("2.50"),
                        new java.math.BigDecimal("0.03"), null, new java.math.BigDecimal("1.00")), 100_000, 4096, null, null, List.of())));
    }

    private static ModelInfo model(String id, String provider, String in, String out, List<String> fallback) {
        return new ModelInfo(id, provider, id + "-upstream", Price.of(in, out), 100_000, 4096, null, null, fallback);
    }

    private Dispatcher dispatcher(int maxRetries, int breakerThreshold) {
        ResilienceSettings s = new ResilienceSettings(maxRetries, Duration.ofMillis(100), Duration.ofSeconds(2),
                breakerThreshold, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5));
        Map<String, Provider> providers = Map.of("alpha", alpha, "beta", beta);
        breakers = new BreakerRegistry(breakerThreshold, s.breakerOpen(), now::get);
        return new Dispatcher(providers, catalog(), s, breakers,
                new Backoff(s.backoffInitial(), s.backoffMax(), () -> 1.0), d -> {
                    sleeps.add(d);
                    now.addAndGet(d.toNanos());
                }, ledger::add, TOKENS, Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));
    }

    private RequestContext ctx(String id) {
        return new RequestContext(id, "a", "u1", null, null, Deadline.after(Duration.ofSeconds(60), now::get));
    }

    private static ChatRequest request() {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "a");
        body.putArray("messages").addObject().put("role", "user").put("content", "hello there");
        return new ChatRequest(body);
    }

    private static ProviderException err(ErrorKind kind) {
        return new ProviderException(kind, kind.gatewayStatus(), kind.name().toLowerCase());
    }

    @Test
    void planFollowsFallbackChainsDepthFirstAndSkipsUnservedModels() {
        Dispatcher d = dispatcher(0, 5);
        assertThat(d.plan("a")).extracting(ModelInfo::id).containsExactly("a", "b", "c");
        assertThat(d.plan("orphan")).extracting(ModelInfo::id).containsExactly("b", "c");
        assertThat(d.plan("unknown")).isEmpty();
    }

    @Test
    void successOnFirstModelRecordsOneLedgerRowWithExactCost() {
        alpha.answer("hi", 1000, 500);
        DispatchResult r = dispatcher(2, 5).complete(ctx("r1"), request(), dispatcher(2, 5).plan("a"));
        assertThat(r.model()).isEqualTo("a");
        assertThat(r.attempts()).containsExactly("a");
        // 1000 * $1/M + 500 * $2/M = $0.002
        assertThat(r.cost()).isEqualTo(Money.ofUsd("0.002"));
        assertThat(r.body().get("model").asText()).isEqualTo("a");
        assertThat(r.body().get("id").asText()).isEqualTo("chatcmpl-r1");
        assertThat(r.body().at("/usage/prompt_tokens").asLong()).isEqualTo(1000);
        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.requestId()).isEqualTo("r1");
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.status()).isEqualTo(AttemptStatus.OK);
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.002"));
            assertThat(e.user()).isEqualTo("u1");
        });
    }

    @Test
    void eachAttemptRecordsWhatPromptCachingSavedNegativeForACacheWrite() {
        // The first call writes an 8,000-token prefix, the second reads it.
        alpha.then(call -> new ScriptedProvider.Answer("hi", new dev.triage.chat.Usage(10_000, 100, 0, 8_000, 0, false)));
        alpha.then(call -> new ScriptedProvider.Answer("hi", new dev.triage.chat.Usage(10_000, 100, 8_000, 0, 0, false)));
        Dispatcher d = dispatcher(0, 5);

        DispatchResult write = d.complete(ctx("w1"), request(), d.plan("a"));
        DispatchResult read = d.complete(ctx("r1"), request(), d.plan("a"));

        // Write: 2,000 x $1 + 8,000 x $1.25 + 100 x $2 = $0.0122; uncached $0.0102; saved 8,000 x -$0.25/M.
        assertThat(write.cost()).isEqualTo(Money.ofUsd("0.0122"));
        assertThat(ledger.get(0).cacheSaving()).isEqualTo(Money.ofUsd("-0.002"));
        // Read: 2,000 x $1 + 8,000 x $0.10 + 100 x $2 = $0.003; saved 8,000 x $0.90/M.
        assertThat(read.cost()).isEqualTo(Money.ofUsd("0.003"));
        assertThat(ledger.get(1).cacheSaving()).isEqualTo(Money.ofUsd("0.0072"));
        assertThat(ledger).allSatisfy(e -> assertThat(e.usage().estimated()).isFalse());
    }

    @Test
    void anExplicitCacheBoughtDuringAnAttemptIsBookedAsAnEstimatedEntryOfItsOwn() {
        alpha.then(call -> {
            call.cacheStorage().onCacheStorage(new CacheStorage(10_000, 10_000, Duration.ofMinutes(5)));
            return new ScriptedProvider.Answer("hi", new dev.triage.chat.Usage(12_000, 100, 10_000, 0, 0, false));
        });
        Dispatcher d = dispatcher(0, 5);

        DispatchResult r = d.complete(ctx("g1"), request(), d.plan("g"));

        // Creation: 10,000 x $0.30/M = $0.003; storage: 10,000 x $1/M x 5/60 h = $0.000833333333.33, rounded up.
        assertThat(ledger.get(0)).satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.step()).isEqualTo(Dispatcher.CACHE_STORAGE_STEP);
            assertThat(e.usage()).isEqualTo(new dev.triage.chat.Usage(10_000, 0, 0, 10_000, 0, true));
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.003833333334"));
            assertThat(e.cacheSaving()).isEqualTo(Money.ofUsd("-0.000833333334"));
        });
        // The answer: 2,000 x $0.30 + 10,000 x $0.03 (read from the cache) + 100 x $2.50 = $0.00115.
        assertThat(ledger.get(1)).satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.step()).isNull();
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.00115"));
            assertThat(e.usage().estimated()).isFalse();
        });
        assertThat(r.cost()).isEqualTo(Money.ofUsd("0.004983333334"));
    }

    @Test
    void aCacheBoughtBeforeTheAnswerFailedIsStillBooked() {
        alpha.then(call -> {
            call.cacheStorage().onCacheStorage(new CacheStorage(0, 10_000, Duration.ofMinutes(2)));
            return err(ErrorKind.OVERLOADED);
        });
        Dispatcher d = dispatcher(0, 5);

        assertThatThrownBy(() -> d.complete(ctx("g2"), request(), d.plan("g"))).isInstanceOf(DispatchException.class);

        // Kept 2 minutes longer: 10,000 x $1/M x 2/60 h = $0.000333333333.33, rounded up; nothing written.
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(0).cost()).isEqualTo(Money.ofUsd("0.000333333334"));
        assertThat(ledger.get(0).usage().estimated()).isTrue();
        assertThat(ledger.get(1).status()).isEqualTo(AttemptStatus.ERROR);
    }

    @Test
    void anEstimatedAttemptSavesNothingFromTheCache() {
        alpha.answer("hi", 9_200_000_000_000_000_000L, 5); // not credible: billed on the local estimate
        Dispatcher d = dispatcher(0, 5);

        d.complete(ctx("e1"), request(), d.plan("a"));

        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.usage().estimated()).isTrue();
            assertThat(e.cacheSaving()).isEqualTo(Money.ZERO);
        });
    }

    @Test
    void retriesTransientErrorsWithBackoffThenSucceeds() {
        alpha.fail(err(ErrorKind.SERVER_ERROR)).fail(err(ErrorKind.CONNECTION)).answer("ok", 10, 10);
        Dispatcher d = dispatcher(2, 10);
        DispatchResult r = d.complete(ctx("r2"), request(), d.plan("a"));
        assertThat(r.model()).isEqualTo("a");
        assertThat(alpha.calledModels).containsExactly("a-upstream", "a-upstream", "a-upstream");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(ledger).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.ERROR, AttemptStatus.OK);
        assertThat(ledger).extracting(LedgerEntry::attempt).containsExactly(1, 2, 3);
        assertThat(r.attempts()).containsExactly("a");
    }

    @Test
    void honoursRetryAfterFromTheUpstream() {
        alpha.fail(new ProviderException(ErrorKind.RATE_LIMITED, 429, "slow down", Duration.ofSeconds(3), null)).answer("ok", 1, 1);
        Dispatcher d = dispatcher(2, 10);
        d.complete(ctx("r3"), request(), d.plan("a"));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterBeyondTheDeadlineFallsBackInsteadOfWaiting() {
        alpha.fail(new ProviderException(ErrorKind.RATE_LIMITED, 429, "slow down", Duration.ofSeconds(120), null));
        beta.answer("from b", 5, 5);
        Dispatcher d = dispatcher(2, 10);
        DispatchResult r = d.complete(ctx("r4"), request(), d.plan("a"));
        assertThat(sleeps).isEmpty();
        assertThat(r.model()).isEqualTo("b");
        assertThat(r.attempts()).containsExactly("a", "b");
    }

    @Test
    void fallsBackAfterRetriesAreExhaustedAndTriesEachModelOnce() {
        alpha.fail(err(ErrorKind.OVERLOADED)).fail(err(ErrorKind.OVERLOADED));
        beta.fail(err(ErrorKind.AUTH));
        alpha.answer("from c", 10, 10);
        Dispatcher d = dispatcher(1, 10);
        DispatchResult r = d.complete(ctx("r5"), request(), d.plan("a"));
        assertThat(r.model()).isEqualTo("c");
        assertThat(r.attempts()).containsExactly("a", "b", "c");
        assertThat(alpha.calledModels).containsExactly("a-upstream", "a-upstream", "c-upstream");
        assertThat(beta.calledModels).containsExactly("b-upstream"); // AUTH is not retried
        assertThat(ledger).hasSize(4);
    }

    @Test
    void badRequestNeitherRetriesNorFallsBack() {
        alpha.fail(err(ErrorKind.BAD_REQUEST));
        Dispatcher d = dispatcher(2, 10);
        assertThatThrownBy(() -> d.complete(ctx("r6"), request(), d.plan("a")))
                .isInstanceOfSatisfying(DispatchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.attempts()).containsExactly("a");
                });
        assertThat(beta.calledModels).isEmpty();
        assertThat(ledger).hasSize(1);
    }

    @Test
    void exhaustedPlanReportsTheLastErrorAndEveryModelTried() {
        alpha.fail(err(ErrorKind.SERVER_ERROR));
        beta.fail(err(ErrorKind.SERVER_ERROR));
        alpha.fail(err(ErrorKind.TIMEOUT));
        Dispatcher d = dispatcher(0, 10);
        assertThatThrownBy(() -> d.complete(ctx("r7"), request(), d.plan("a")))
                .isInstanceOfSatisfying(DispatchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.attempts()).containsExactly("a", "b", "c");
                    assertThat(e.getMessage()).contains("tried a, b, c");
                });
        // the timed-out attempt books its prompt as an estimate; the others cost nothing
        assertThat(ledger.get(2).usage().estimated()).isTrue();
        assertThat(ledger.get(2).usage().inputTokens()).isPositive();
        assertThat(ledger.get(0).cost()).isEqualTo(Money.ZERO);
    }

    @Test
    void openCircuitSkipsTheModelUntilTheHalfOpenProbe() {
        Dispatcher d = dispatcher(0, 2);
        alpha.fail(err(ErrorKind.SERVER_ERROR));
        beta.answer("b1", 1, 1);
        alpha.fail(err(ErrorKind.SERVER_ERROR));
        beta.answer("b2", 1, 1);
        d.complete(ctx("x1"), request(), d.plan("a"));
        d.complete(ctx("x2"), request(), d.plan("a"));
        // a's breaker is open now: the next request goes straight to b
        beta.answer("b3", 1, 1);
        DispatchResult third = d.complete(ctx("x3"), request(), d.plan("a"));
        assertThat(third.attempts()).containsExactly("b");
        assertThat(alpha.calledModels).hasSize(2);
        // after the open period one probe goes through and closes the circuit on success
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        alpha.answer("probe", 1, 1);
        assertThat(d.complete(ctx("x4"), request(), d.plan("a")).model()).isEqualTo("a");
    }

    @Test
    void expiredDeadlineStopsBeforeCallingAnything() {
        Dispatcher d = dispatcher(2, 10);
        RequestContext expired = new RequestContext("r8", "a", null, null, null, Deadline.after(Duration.ZERO, now::get));
        assertThatThrownBy(() -> d.complete(expired, request(), d.plan("a")))
                .isInstanceOfSatisfying(DispatchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
                    assertThat(e.kind().gatewayStatus()).isEqualTo(504);
                    assertThat(e.kind().code()).isEqualTo("upstream_timeout");
                });
        assertThat(alpha.calledModels).isEmpty();
        assertThat(ledger).isEmpty();
    }

    @Test
    void streamFallsBackWhenTheFirstModelFailsBeforeAnyChunk() {
        alpha.fail(err(ErrorKind.OVERLOADED));
        beta.streamParts(List.of("Hel", "lo"), null);
        Dispatcher d = dispatcher(0, 10);
        List<String> started = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        DispatchResult r = d.stream(ctx("s1"), request(), d.plan("a"), new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
                started.add(model + " after " + attempts);
            }

            @Override
            public void onChunk(ObjectNode chunk) {
                assertThat(chunk.get("id").asText()).isEqualTo("chatcmpl-s1");
                assertThat(chunk.get("model").asText()).isEqualTo("b");
                texts.add(chunk.at("/choices/0/delta/content").asText());
            }
        });
        assertThat(started).containsExactly("b after [a, b]");
        assertThat(texts).containsExactly("Hel", "lo");
        assertThat(r.attempts()).containsExactly("a", "b");
        assertThat(ledger).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.OK);
        assertThat(ledger.get(1).ttftMs()).isNotNull();
    }

    @Test
    void streamFailingAfterTheFirstChunkIsNotRetriedAndIsCostedAsAnEstimate() {
        alpha.streamParts(List.of("partial answer"), err(ErrorKind.CONNECTION));
        Dispatcher d = dispatcher(2, 10);
        assertThatThrownBy(() -> d.stream(ctx("s2"), request(), d.plan("a"), new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
            }

            @Override
            public void onChunk(ObjectNode chunk) {
            }
        })).isInstanceOfSatisfying(DispatchException.class, e -> {
            assertThat(e.streamStarted()).isTrue();
            assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
        });
        assertThat(alpha.calledModels).hasSize(1);
        assertThat(beta.calledModels).isEmpty();
        LedgerEntry row = ledger.getFirst();
        assertThat(row.status()).isEqualTo(AttemptStatus.ERROR);
        assertThat(row.usage().estimated()).isTrue();
        assertThat(row.usage().outputTokens()).isEqualTo(TOKENS.count("partial answer"));
        assertThat(row.cost().picos()).isPositive();
    }

    @Test
    void clientLeavingMidStreamIsRecordedAsCancelledWithItsCost() {
        alpha.streamParts(List.of("one", " two", " three"), null);
        Dispatcher d = dispatcher(2, 10);
        int[] seen = {0};
        assertThatThrownBy(() -> d.stream(ctx("s3"), request(), d.plan("a"), new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
            }

            @Override
            public void onChunk(ObjectNode chunk) {
                if (++seen[0] == 2) {
                    throw new ClientGoneException(null);
                }
            }
        })).isInstanceOf(ClientGoneException.class);
        LedgerEntry row = ledger.getFirst();
        assertThat(row.status()).isEqualTo(AttemptStatus.CANCELLED);
        assertThat(row.usage().estimated()).isTrue();
        assertThat(row.usage().inputTokens()).isPositive();
        assertThat(row.cost().picos()).isPositive();
    }

    /** A call the upstream would answer, slowly: the time passes and the upstream call times out. */
    private ScriptedProvider timesOut(ScriptedProvider provider, Duration after) {
        return provider.then(call -> {
            now.addAndGet(after.toNanos());
            return new ProviderException(ErrorKind.TIMEOUT, 0, "upstream did not answer before the request deadline");
        });
    }

    private RequestContext withCallersLatency(String id, Duration latency) {
        return new RequestContext(id, "a", "u1", null, null, Deadline.after(Duration.ofSeconds(60), now::get).within(latency));
    }

    @Test
    void timeoutsOfDeadlinesTheCallerShortenedNeverOpenTheModelsBreaker() {
        Dispatcher d = dispatcher(0, 5);
        for (int i = 0; i < 5; i++) {
            timesOut(alpha, Duration.ofMillis(2));
            int n = i;
            assertThatThrownBy(() -> d.complete(withCallersLatency("hurry" + n, Duration.ofMillis(1)), request(), d.plan("a")))
                    .isInstanceOfSatisfying(DispatchException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.CLOSED);

        alpha.answer("still here", 10, 5);
        DispatchResult normal = d.complete(ctx("normal"), request(), d.plan("a"));
        assertThat(normal.model()).isEqualTo("a");
        // the upstream had the prompt: each timed-out call still books it as an estimate
        assertThat(ledger).filteredOn(e -> e.status() == AttemptStatus.ERROR).hasSize(5)
                .allSatisfy(e -> assertThat(e.usage().estimated()).isTrue());
    }

    @Test
    void timeoutsOfTheGatewaysOwnDeadlineStillOpenTheBreaker() {
        Dispatcher d = dispatcher(0, 5);
        for (int i = 0; i < 5; i++) {
            timesOut(alpha, Duration.ofSeconds(61));
            RequestContext gatewayDeadline = ctx("slow" + i);
            assertThatThrownBy(() -> d.complete(gatewayDeadline, request(), d.plan("a"))).isInstanceOf(DispatchException.class);
        }
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void anUpstreamTimeoutWithinAShortenedDeadlineStillCounts() {
        // a stalled stream or an upstream 504 while the caller's deadline still runs is the upstream's fault
        Dispatcher d = dispatcher(0, 5);
        for (int i = 0; i < 5; i++) {
            alpha.fail(err(ErrorKind.TIMEOUT));
            beta.answer("b", 1, 1);
            d.complete(withCallersLatency("stall" + i, Duration.ofSeconds(10)), request(), d.plan("a"));
        }
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void callsThatNeverReachedTheUpstreamCostNothingAndNeverCount() {
        Dispatcher d = dispatcher(0, 5);
        for (int i = 0; i < 6; i++) {
            alpha.then(call -> {
                now.addAndGet(Duration.ofMillis(2).toNanos());
                return new ProviderException(ErrorKind.NOT_SENT, 0, "the request deadline passed before the call reached the upstream");
            });
            int n = i;
            assertThatThrownBy(() -> d.complete(withCallersLatency("unsent" + n, Duration.ofMillis(1)), request(), d.plan("a")))
                    .isInstanceOfSatisfying(DispatchException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
                        assertThat(e.cost()).isEqualTo(Money.ZERO);
                    });
        }
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(ledger).hasSize(6).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(AttemptStatus.ERROR);
            assertThat(e.errorKind()).isEqualTo("NOT_SENT");
            assertThat(e.cost()).isEqualTo(Money.ZERO);
            assertThat(e.usage().inputTokens()).isZero();
            assertThat(e.httpStatus()).isZero();
        });
    }

    @Test
    void refusalsOfTriageItselfNeverCount() {
        Dispatcher d = dispatcher(0, 2);
        for (int i = 0; i < 3; i++) {
            alpha.fail(new ProviderException(ErrorKind.BAD_REQUEST, 0, "anthropic does not support n > 1 (several choices per request)"));
            int n = i;
            assertThatThrownBy(() -> d.complete(ctx("refused" + n), request(), d.plan("a"))).isInstanceOf(DispatchException.class);
        }
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anAttemptEndedByAnExceptionOfOursIsStillBookedAtTheEstimatedCost() {
        alpha.then(call -> {
            throw new IllegalStateException("an answer the adapter could not translate");
        });
        Dispatcher d = dispatcher(0, 5);
        assertThatThrownBy(() -> d.complete(ctx("x1"), request(), d.plan("a"))).isInstanceOf(IllegalStateException.class);
        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AttemptStatus.ERROR);
            assertThat(e.errorKind()).isEqualTo("PROTOCOL");
            assertThat(e.usage().estimated()).isTrue();
            assertThat(e.usage().inputTokens()).isPositive();
            assertThat(e.cost().picos()).isPositive();
        });
    }

    @Test
    void aStreamEndedByAnExceptionOfOursIsStillBookedWithWhatWasStreamed() {
        alpha.then(call -> {
            throw new IllegalStateException("a chunk the adapter could not translate");
        });
        Dispatcher d = dispatcher(0, 5);
        StreamListener quiet = new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
            }

            @Override
            public void onChunk(ObjectNode chunk) {
            }
        };
        assertThatThrownBy(() -> d.stream(ctx("x2"), request(), d.plan("a"), quiet)).isInstanceOf(IllegalStateException.class);
        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.stream()).isTrue();
            assertThat(e.errorKind()).isEqualTo("PROTOCOL");
            assertThat(e.usage().estimated()).isTrue();
        });
    }

    @Test
    void usageBeyondAnyModelsReachIsBilledOnTheEstimateInsteadOfOverflowing() {
        alpha.answer("hi", 9_200_000_000_000_000_000L, 5);
        Dispatcher d = dispatcher(0, 5);
        DispatchResult r = d.complete(ctx("x3"), request(), d.plan("a"));
        assertThat(r.usage().estimated()).isTrue();
        assertThat(r.usage().inputTokens()).isLessThan(100);
        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AttemptStatus.OK);
            assertThat(e.cost()).isEqualTo(r.cost());
        });
    }

    @Test
    void anUnexpectedFailureOfTheHalfOpenProbeLetsTheNextProbeThrough() {
        Dispatcher d = dispatcher(0, 1);
        alpha.fail(err(ErrorKind.SERVER_ERROR));
        beta.answer("b", 1, 1);
        d.complete(ctx("p1"), request(), d.plan("a"));
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        alpha.then(call -> {
            throw new IllegalStateException("a translation bug");
        });
        assertThatThrownBy(() -> d.complete(ctx("p2"), request(), d.plan("a"))).isInstanceOf(IllegalStateException.class);

        alpha.answer("probe", 1, 1);
        assertThat(d.complete(ctx("p3"), request(), d.plan("a")).model()).isEqualTo("a");
        assertThat(breakers.forModel("alpha", "a").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aMidStreamFailureThatDoesNotCountReleasesTheHalfOpenProbe() {
        Dispatcher d = dispatcher(0, 1);
        alpha.fail(err(ErrorKind.SERVER_ERROR));
        beta.answer("b", 1, 1);
        d.complete(ctx("m1"), request(), d.plan("a"));
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        alpha.streamParts(List.of("partial"), err(ErrorKind.BAD_REQUEST));
        StreamListener quiet = new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
            }

            @Override
            public void onChunk(ObjectNode chunk) {
            }
        };
        assertThatThrownBy(() -> d.stream(ctx("m2"), request(), d.plan("a"), quiet)).isInstanceOf(DispatchException.class);

        alpha.answer("probe", 1, 1);
        assertThat(d.complete(ctx("m3"), request(), d.plan("a")).model()).isEqualTo("a");
    }
}
