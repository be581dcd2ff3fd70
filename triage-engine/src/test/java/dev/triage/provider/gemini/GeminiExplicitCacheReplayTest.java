package dev.triage.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.provider.CacheStorage;
import dev.triage.provider.Deadline;
import dev.triage.provider.ProviderCall;
import dev.triage.testing.SharedDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The measured comparison: twenty real tau-bench airline conversations (one ~1,400-token policy prompt shared by all,
 * each call sending the whole history, as an OpenAI-format agent does; read from ../shared/traces, never copied here)
 * replayed on gemini-2.5-flash against the fake Google, which discounts a warm prefix implicitly at a given share of
 * re-sends. The cost is everything Google bills: every answer's tokens at the catalog's prices (cached tokens at the
 * cached price, from {@code cachedContentTokenCount}) plus every explicit cache's creation and storage, once with
 * {@code explicit_cache: auto} and once with {@code off}.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl triage-engine -am -Dtest=GeminiExplicitCacheReplayTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures are printed.
 */
class GeminiExplicitCacheReplayTest {

    private static final int CONVERSATIONS = 20;
    private static final String MODEL = "gemini-2.5-flash";
    private static final Price FLASH = PriceCatalog.builtIn().find(MODEL).orElseThrow().price();

    /** One call of the replay: when it is sent and the history it sends. */
    private record Call(Instant at, ArrayNode messages) {
    }

    /** The calls of every conversation, conversation {@code c} starting {@code c x startGap}, its calls {@code callGap} apart. */
    private static List<Call> schedule(Duration startGap, Duration callGap) throws IOException {
        JsonNode all = FakeGemini.JSON.readTree(Files.readString(SharedDatasets.trace("taubench-airline-gpt-4o.json")));
        List<Call> calls = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            Instant at = FakeGemini.NOW.plus(startGap.multipliedBy(c));
            ArrayNode history = FakeGemini.JSON.createArrayNode();
            for (JsonNode m : all.get(c).get("traj")) {
                if (m.path("role").asText().equals("assistant")) {
                    calls.add(new Call(at, history.deepCopy()));
                    at = at.plus(callGap);
                }
                ObjectNode copy = (ObjectNode) m.deepCopy();
                copy.remove("name"); // tau-bench keeps the tool's name on its result; Chat Completions has none there
                history.add(copy);
            }
        }
        calls.sort(Comparator.comparing(Call::at));
        return calls;
    }

    /** What one arm cost: the answers' tokens, and the explicit caches bought (booked by Triage, billed by Google). */
    private record Cost(Money answers, Money caches, Money storageBooked, Money googleStorage, int cachesBought,
                        int bookings, long cachedTokens) {
        Money total() {
            return answers.plus(caches);
        }
    }

    private static Cost replay(List<Call> calls, int implicitPercent, GeminiProvider.ExplicitCaching caching) {
        FakeTime time = new FakeTime(FakeGemini.NOW);
        List<CacheStorage> bought = new ArrayList<>();
        Money answers = Money.ZERO;
        long cachedTokens = 0;
        try (FakeGemini gemini = new FakeGemini(time, implicitPercent, caching)) {
            for (Call call : calls) {
                time.set(call.at());
                ObjectNode body = FakeGemini.JSON.createObjectNode().put("model", "flash").put("max_tokens", 200);
                body.set("messages", call.messages());
                ChatResponse answer = gemini.provider.complete(new ProviderCall(new ChatRequest(body), MODEL,
                        Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5), FLASH, bought::add));
                assertThat(answer.usage().estimated()).isFalse();
                answers = answers.plus(FLASH.cost(answer.usage()));
                cachedTokens += answer.usage().cachedInputTokens();
            }
            Money booked = Money.ZERO;
            Money storage = Money.ZERO;
            for (CacheStorage b : bought) {
                booked = booked.plus(FLASH.cost(new Usage(b.writtenTokens(), 0, 0, b.writtenTokens(), 0, true)));
                storage = storage.plus(FLASH.cacheStorage(b.storedTokens(), b.held()));
            }
            time.advance(Duration.ofHours(2)); // every cache has run out: Google's storage bill is complete
            long tokenSeconds = gemini.google.caches().stream().mapToLong(c -> c.storageTokenSeconds(time.instant())).sum();
            return new Cost(answers, booked.plus(storage), storage, FLASH.cacheStorage(tokenSeconds, Duration.ofSeconds(1)),
                    gemini.google.caches().size(), bought.size(), cachedTokens);
        }
    }

    @ParameterizedTest(name = "conversations {0} s apart, calls {1} s apart, {2} % implicit hits")
    @CsvSource({
            "120, 15, 0", "120, 15, 50", "120, 15, 90",
            "1800, 60, 0", "1800, 60, 50", "1800, 60, 90"})
    void explicitCachingCostsNoMoreThanImplicitAloneAndTheBookedStorageIsWhatGoogleBills(long startGap, long callGap,
                                                                                       int implicitPercent) throws IOException {
        List<Call> calls = schedule(Duration.ofSeconds(startGap), Duration.ofSeconds(callGap));

        Cost auto = replay(calls, implicitPercent, GeminiProvider.ExplicitCaching.AUTO);
        Cost off = replay(calls, implicitPercent, GeminiProvider.ExplicitCaching.OFF);

        System.out.printf("gemini explicit cache replay, %d calls, conversations %ds apart, calls %ds apart, %d%% implicit:"
                        + " auto $%s (answers $%s + %d caches $%s, of which storage $%s; %d cached tokens)"
                        + " vs off $%s (%d cached tokens): %s%n",
                calls.size(), startGap, callGap, implicitPercent, auto.total().toUsdString(), auto.answers().toUsdString(),
                auto.cachesBought(), auto.caches().toUsdString(), auto.storageBooked().toUsdString(), auto.cachedTokens(),
                off.total().toUsdString(), off.cachedTokens(),
                auto.total().compareTo(off.total()) <= 0 ? "auto saves $" + off.total().minus(auto.total()).toUsdString()
                        : "auto costs $" + auto.total().minus(off.total()).toUsdString() + " more");
        assertThat(off.cachesBought()).isZero();
        assertThat(auto.total()).isLessThanOrEqualTo(off.total());
        // What Triage booked for storage is what Google bills, but for rounding each booking up to a picodollar.
        assertThat(auto.storageBooked().minus(auto.googleStorage()).picos()).isBetween(0L, (long) auto.bookings());
    }
}
