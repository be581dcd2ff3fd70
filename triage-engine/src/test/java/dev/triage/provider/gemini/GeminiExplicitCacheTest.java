package dev.triage.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.PromptCache;
import dev.triage.provider.CacheStorage;
import dev.triage.provider.Deadline;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.StreamOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Explicit caches against a fake Google that keeps them ({@link GoogleCaches}): bought once the measurements say they
 * pay, named by later requests (which then leave out the cached members), kept longer while they pay, forgotten and
 * replaced by the plain request when Google says they are gone.
 */
class GeminiExplicitCacheTest {

    private static final Price FLASH = PriceCatalog.builtIn().find("gemini-2.5-flash").orElseThrow().price();
    private static final String MODEL = "gemini-2.5-flash";
    private static final Duration APART = Duration.ofSeconds(20);

    private final FakeTime time = new FakeTime(FakeGemini.NOW);
    private FakeGemini gemini = new FakeGemini(time, 0, GeminiProvider.ExplicitCaching.AUTO);
    private final List<CacheStorage> bought = new ArrayList<>();

    @AfterEach
    void stop() {
        gemini.close();
    }

    /** A policy prompt of about 1,700 tokens: above Flash's minimum of 1,024. */
    private static String policy(String topic) {
        return ("You are the " + topic + " agent. Follow the policy exactly; never invent facts. ").repeat(120);
    }

    private static ChatRequest request(String system, String question, PromptCache cache) {
        ObjectNode body = FakeGemini.JSON.createObjectNode().put("model", "flash");
        body.putArray("messages").add(FakeGemini.JSON.createObjectNode().put("role", "system").put("content", system))
                .add(FakeGemini.JSON.createObjectNode().put("role", "user").put("content", question));
        return new ChatRequest(body, cache);
    }

    private ProviderCall call(String system, String question) {
        return call(request(system, question, PromptCache.DEFAULT));
    }

    private ProviderCall call(ChatRequest request) {
        return new ProviderCall(request, MODEL, Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5), FLASH, bought::add);
    }

    private ChatResponse ask(String system, int n) {
        time.advance(APART);
        return gemini.provider.complete(call(system, "question " + n));
    }

    private List<RecordedRequest> requests() {
        List<RecordedRequest> all = new ArrayList<>();
        while (gemini.server.getRequestCount() > all.size()) {
            all.add(gemini.takeRequest());
        }
        return all;
    }

    @Test
    void aPrefixResentOftenGetsOneCacheThatLaterRequestsName() {
        String policy = policy("airline");
        List<ChatResponse> answers = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            answers.add(ask(policy, n));
        }

        List<GoogleCaches.Cache> caches = gemini.google.caches();
        assertThat(caches).hasSize(1);
        GoogleCaches.Cache cache = caches.getFirst();
        // Sends 1-3 measure (sends 2 and 3 show the implicit share); the fourth creates the cache and names it.
        List<GoogleCaches.Bill> bills = gemini.google.bills();
        assertThat(bills).extracting(GoogleCaches.Bill::explicit).containsExactly(false, false, false, true, true, true, true, true);
        assertThat(answers.get(3).usage().cachedInputTokens()).isEqualTo(cache.tokens);
        assertThat(bought).containsExactly(new CacheStorage(cache.tokens, cache.tokens, ExplicitCaches.TTL));

        List<RecordedRequest> sent = requests();
        assertThat(sent).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath()).containsExactly(
                "POST /v1beta/models/gemini-2.5-flash:generateContent", "POST /v1beta/models/gemini-2.5-flash:generateContent",
                "POST /v1beta/models/gemini-2.5-flash:generateContent", "POST /v1beta/cachedContents",
                "POST /v1beta/models/gemini-2.5-flash:generateContent", "POST /v1beta/models/gemini-2.5-flash:generateContent",
                "POST /v1beta/models/gemini-2.5-flash:generateContent", "POST /v1beta/models/gemini-2.5-flash:generateContent",
                "POST /v1beta/models/gemini-2.5-flash:generateContent");
        JsonNode create = FakeGemini.requestJson(sent.get(3));
        assertThat(create.path("model").asText()).isEqualTo("models/gemini-2.5-flash");
        assertThat(create.path("ttl").asText()).isEqualTo("300s");
        assertThat(create.at("/systemInstruction/parts/0/text").asText()).isEqualTo(policy);
        assertThat(create.has("contents")).isFalse();
        JsonNode named = FakeGemini.requestJson(sent.get(4));
        assertThat(named.path("cachedContent").asText()).isEqualTo(cache.name);
        assertThat(named.has("systemInstruction")).isFalse();
        assertThat(named.at("/contents/0/parts/0/text").asText()).isEqualTo("question 4");
        for (RecordedRequest r : sent) {
            assertThat(r.getHeaders().get("x-goog-api-key")).isEqualTo(FakeGemini.API_KEY);
            assertThat(r.getUrl().toString()).doesNotContain(FakeGemini.API_KEY);
        }
    }

    @Test
    void aCacheStillInUseIsKeptLongerAndOnlyTheAddedTimeIsBought() {
        String policy = policy("airline");
        for (int n = 1; n <= 4; n++) {
            ask(policy, n);
        }
        GoogleCaches.Cache cache = gemini.google.caches().getFirst();
        // 20 s apart: the cache has 5 min; once less than half is left, the next request extends it to 5 min from then.
        for (int n = 5; n <= 12; n++) {
            ask(policy, n);
        }

        assertThat(gemini.google.caches()).hasSize(1);
        assertThat(bought).hasSize(2);
        assertThat(bought.get(1).writtenTokens()).isZero();
        assertThat(bought.get(1).storedTokens()).isEqualTo(cache.tokens);
        // Created at 80 s with 300 s; extended at 240 s (140 s left) to 540 s: 160 s more.
        assertThat(bought.get(1).held()).isEqualTo(Duration.ofSeconds(160));
        assertThat(cache.expireTime).isEqualTo(FakeGemini.NOW.plusSeconds(540));
        assertThat(gemini.google.bills()).filteredOn(GoogleCaches.Bill::explicit).hasSize(9);
    }

    @Test
    void aCacheGoneUpstreamFallsBackToThePlainRequestAndTheClientSeesNoError() {
        String policy = policy("airline");
        for (int n = 1; n <= 4; n++) {
            ask(policy, n);
        }
        GoogleCaches.Cache first = gemini.google.caches().getFirst();
        gemini.google.delete(first.name);

        ChatResponse answer = ask(policy, 5);

        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(answer.usage().cachedInputTokens()).isZero();
        List<RecordedRequest> sent = requests();
        RecordedRequest refused = sent.get(sent.size() - 2);
        RecordedRequest plain = sent.getLast();
        assertThat(FakeGemini.requestJson(refused).path("cachedContent").asText()).isEqualTo(first.name);
        assertThat(FakeGemini.requestJson(plain).has("cachedContent")).isFalse();
        assertThat(FakeGemini.requestJson(plain).at("/systemInstruction/parts/0/text").asText()).isEqualTo(policy);
        // The entry was dropped: the next request buys a new cache (the prefix still pays) and names it.
        ask(policy, 6);
        assertThat(gemini.google.caches()).hasSize(2);
        assertThat(FakeGemini.requestJson(gemini.takeRequest()).path("model").asText()).isEqualTo("models/gemini-2.5-flash");
        assertThat(FakeGemini.requestJson(gemini.takeRequest()).path("cachedContent").asText())
                .isEqualTo(gemini.google.caches().getLast().name);
    }

    @Test
    void aChangedPrefixGetsACacheOfItsOwn() {
        String airline = policy("airline");
        String retail = policy("retail");
        for (int n = 1; n <= 4; n++) {
            ask(airline, n);
        }
        for (int n = 1; n <= 4; n++) {
            ask(retail, n);
        }

        assertThat(gemini.google.caches()).hasSize(2);
        assertThat(bought).hasSize(2);
        ChatResponse again = ask(airline, 5);
        assertThat(again.usage().cachedInputTokens()).isEqualTo(gemini.google.caches().getFirst().tokens);
    }

    @Test
    void aStreamNamesTheCacheToo() {
        String policy = policy("airline");
        for (int n = 1; n <= 4; n++) {
            ask(policy, n);
        }
        requests();
        time.advance(APART);
        ChatRequest streamed = request(policy, "stream me", PromptCache.DEFAULT);
        streamed.body().put("stream", true);
        List<ObjectNode> chunks = new ArrayList<>();

        StreamOutcome outcome = gemini.provider.stream(call(streamed), chunks::add);

        RecordedRequest sent = gemini.takeRequest();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(sent.getUrl().queryParameter("alt")).isEqualTo("sse");
        assertThat(FakeGemini.requestJson(sent).path("cachedContent").asText()).isEqualTo(gemini.google.caches().getFirst().name);
        assertThat(outcome.usage().cachedInputTokens()).isEqualTo(gemini.google.caches().getFirst().tokens);
        assertThat(chunks).isNotEmpty();
    }

    @Test
    void aStreamWhoseCacheIsGoneFallsBackToo() {
        String policy = policy("airline");
        for (int n = 1; n <= 4; n++) {
            ask(policy, n);
        }
        gemini.google.delete(gemini.google.caches().getFirst().name);
        time.advance(APART);
        ChatRequest streamed = request(policy, "stream me", PromptCache.DEFAULT);
        streamed.body().put("stream", true);

        StreamOutcome outcome = gemini.provider.stream(call(streamed), chunk -> { });

        assertThat(outcome.finishReason()).isEqualTo("stop");
        assertThat(outcome.usage().cachedInputTokens()).isZero();
    }

    @Test
    void whenGeminiAlreadyDiscountsThePrefixImplicitlyNoCacheIsBought() {
        gemini.close();
        gemini = new FakeGemini(time, 100, GeminiProvider.ExplicitCaching.AUTO);
        String policy = policy("airline");
        for (int n = 1; n <= 30; n++) {
            ask(policy, n);
        }

        assertThat(gemini.google.caches()).isEmpty();
        assertThat(bought).isEmpty();
        assertThat(gemini.google.bills().subList(1, 30)).allMatch(b -> b.cached() > 0);
    }

    @Test
    void aPrefixBelowTheMinimumIsNeverCached() {
        for (int n = 1; n <= 30; n++) {
            ask("You are a terse assistant.", n);
        }

        assertThat(gemini.google.caches()).isEmpty();
        assertThat(requests()).allMatch(r -> r.getUrl().encodedPath().endsWith(":generateContent"));
    }

    @Test
    void aRequestWithPromptCachingOffAndAProviderWithExplicitCachesOffBuyNothing() {
        String policy = policy("airline");
        for (int n = 1; n <= 10; n++) {
            time.advance(APART);
            gemini.provider.complete(call(request(policy, "q" + n, PromptCache.OFF)));
        }
        assertThat(gemini.google.caches()).isEmpty();

        gemini.close();
        gemini = new FakeGemini(time, 0, GeminiProvider.ExplicitCaching.OFF);
        for (int n = 1; n <= 10; n++) {
            ask(policy, n);
        }
        assertThat(gemini.google.caches()).isEmpty();
        assertThat(bought).isEmpty();
    }

    @Test
    void aCallWithoutAPriceBuysNothing() {
        String policy = policy("airline");
        for (int n = 1; n <= 10; n++) {
            time.advance(APART);
            gemini.provider.complete(new ProviderCall(request(policy, "q" + n, PromptCache.DEFAULT), MODEL,
                    Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5)));
        }

        assertThat(gemini.google.caches()).isEmpty();
    }
}
