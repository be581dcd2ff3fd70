package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.embed.Embedder;
import dev.triage.responsecache.CachedAnswer;
import dev.triage.responsecache.SemanticIndex;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticProbe;
import dev.triage.responsecache.SemanticSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The response cache on the machine's Redis: shared by instances, bounded, expiring, and a miss when Redis is away. */
class RedisResponseCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":rc:";
    private final RedisLink one = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));
    private final RedisLink two = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));
    private final RedisLink away = new RedisLink("redis://127.0.0.1:1/0", Duration.ofMillis(200));

    @AfterEach
    void close() {
        one.call(r -> {
            var keys = r.keys(prefix + "*");
            return keys.isEmpty() ? 0L : r.del(keys.toArray(String[]::new));
        });
        one.close();
        two.close();
        away.close();
    }

    private static CachedAnswer answer(String text, long picos) {
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
        completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                .putObject("message").put("role", "assistant").put("content", text);
        return new CachedAnswer(completion, "gpt-4.1-mini", new Money(picos), "req-" + text.length(), NOW);
    }

    private RedisAnswerStore answers(RedisLink link, int maxEntries, Instant at) {
        return new RedisAnswerStore(link, prefix, maxEntries, JSON, Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void anAnswerOneInstanceStoredIsServedByAnotherUntilItsLifetimeEnds() throws InterruptedException {
        CachedAnswer stored = answer("Paris is the capital of France.", 1_234_567);
        answers(one, 100, NOW).put("k1", stored, stored.jsonBytes(), Duration.ofMillis(300));

        assertThat(answers(two, 100, NOW).get("k1")).contains(stored);
        assertThat(answers(two, 100, NOW).get("k2")).isEmpty();
        long pttl = one.call(r -> r.pttl(prefix + "a:k1"));
        assertThat(pttl).isBetween(1L, 300L);
        Thread.sleep(400); // Redis ends the key itself (PX): no instance serves it afterwards
        assertThat(answers(two, 100, NOW).get("k1")).isEmpty();
    }

    @Test
    void theStoreKeepsAtMostMaxEntriesDroppingTheSoonestToExpire() {
        RedisAnswerStore store = answers(one, 3, NOW);
        store.put("short", answer("a", 1), 0, Duration.ofMinutes(1));
        store.put("long", answer("bb", 2), 0, Duration.ofMinutes(50));
        store.put("mid", answer("ccc", 3), 0, Duration.ofMinutes(10));
        store.put("longest", answer("dddd", 4), 0, Duration.ofMinutes(60));
        store.put("mid2", answer("eeeee", 5), 0, Duration.ofMinutes(20));

        assertThat(store.get("short")).isEmpty();
        assertThat(store.get("mid")).isEmpty();
        assertThat(store.get("long")).isPresent();
        assertThat(store.get("longest")).isPresent();
        assertThat(store.get("mid2")).isPresent();
        assertThat((long) one.call(r -> r.zcard(prefix + "answers"))).isEqualTo(3);
        assertThat((long) one.call(r -> r.exists(prefix + "a:short", prefix + "a:mid"))).isZero();
    }

    @Test
    void aValueThatIsNotACachedAnswerIsAMissAndTheEntryHoldsNoRequestText() {
        one.call(r -> r.set(prefix + "a:bad", "{\"model\":\"x\"}"));
        assertThat(answers(two, 100, NOW).get("bad")).isEmpty();

        answers(one, 100, NOW).put("k", answer("the answer", 9), 0, Duration.ofMinutes(1));
        String raw = one.call(r -> r.get(prefix + "a:k"));
        assertThat(raw).contains("the answer").doesNotContain("Bearer").doesNotContain("messages");
    }

    @Test
    void withRedisAwayAnswersAreMissesAndStoringNeverThrows() {
        RedisAnswerStore store = answers(away, 100, NOW);
        store.put("k1", answer("x", 1), 0, Duration.ofMinutes(1));
        assertThat(store.get("k1")).isEmpty();

        RedisSemanticCache questions = new RedisSemanticCache(away, prefix, matcher(), Clock.fixed(NOW, ZoneOffset.UTC));
        SemanticProbe probe = SemanticProbe.of("what is the capital of france", unit(1, 0, 0));
        questions.add("b", probe, "k1", Duration.ofMinutes(1));
        assertThat(questions.find("b", probe, null)).isEmpty();
    }

    @Test
    void aQuestionOneInstanceAddedIsFoundByMeaningByAnotherOnlyInItsBucketAndOnlyWhileAlive() {
        RedisSemanticCache first = new RedisSemanticCache(one, prefix, matcher(), Clock.fixed(NOW, ZoneOffset.UTC));
        first.add("bucket", SemanticProbe.of("what is the capital of france", unit(1, 0.02f, 0)), "answer-1", Duration.ofMinutes(5));
        first.add("bucket", SemanticProbe.of("how do I boil an egg", unit(0, 1, 0)), "answer-2", Duration.ofMinutes(5));

        RedisSemanticCache second = new RedisSemanticCache(two, prefix, matcher(), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        SemanticProbe paraphrase = SemanticProbe.of("what's the capital of france", unit(1, 0.03f, 0.01f));
        assertThat(second.find("bucket", paraphrase, null)).contains("answer-1");
        assertThat(second.find("other-bucket", paraphrase, null)).isEmpty();
        assertThat(second.find("bucket", SemanticProbe.of("what is the capital of peru", unit(0, 0, 1)), null)).isEmpty();

        RedisSemanticCache later = new RedisSemanticCache(two, prefix, matcher(), Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC));
        assertThat(later.find("bucket", paraphrase, null)).isEmpty();
        long pttl = one.call(r -> r.pttl(prefix + "q:bucket"));
        assertThat(pttl).isBetween(1L, 300_000L);
    }

    @Test
    void aBucketKeepsAtMostItsBoundDroppingTheSoonestToExpire() {
        int max = SemanticIndex.DEFAULT_MAX_PER_BUCKET;
        RedisSemanticCache cache = new RedisSemanticCache(one, prefix, matcher(), Clock.fixed(NOW, ZoneOffset.UTC));
        cache.add("b", SemanticProbe.of("first", unit(1, 0, 0)), "soonest", Duration.ofMinutes(1));
        for (int i = 0; i < max; i++) {
            cache.add("b", SemanticProbe.of("q" + i, unit(0, 1, i)), "k" + i, Duration.ofMinutes(10));
        }
        assertThat((long) one.call(r -> r.hlen(prefix + "q:b"))).isEqualTo(max);
        assertThat((boolean) one.call(r -> r.hexists(prefix + "q:b", "soonest"))).isFalse();
    }

    private static SemanticMatcher matcher() {
        return new SemanticMatcher(new Embedder() {
            @Override
            public String id() {
                return "fixed-3d";
            }

            @Override
            public int dimensions() {
                return 3;
            }

            @Override
            public float[] embed(String text) {
                return unit(text.length(), 1, 0);
            }
        }, SemanticSettings.DEFAULT);
    }

    private static float[] unit(float x, float y, float z) {
        double norm = Math.sqrt(x * x + y * y + z * z);
        return new float[] {(float) (x / norm), (float) (y / norm), (float) (z / norm)};
    }
}
