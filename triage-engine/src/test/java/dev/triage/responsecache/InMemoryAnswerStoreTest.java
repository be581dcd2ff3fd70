package dev.triage.responsecache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The in-process store's bounds: entries, bytes together, and an answer too large to keep. */
class InMemoryAnswerStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration HOUR = Duration.ofHours(1);

    private static CachedAnswer answer(String text) {
        ObjectNode completion = JsonNodeFactory.instance.objectNode();
        completion.putArray("choices").addObject().putObject("message").put("content", text);
        return new CachedAnswer(completion, "fast", Money.ofUsd("0.001"), "req_1", CLOCK.instant());
    }

    @Test
    void theSizeIsTheCompletionAsJson() {
        // {"choices":[{"message":{"content":"abc"}}]}
        assertThat(answer("abc").jsonBytes()).isEqualTo("{\"choices\":[{\"message\":{\"content\":\"abc\"}}]}".length());
        assertThat(answer("é").jsonBytes()).as("UTF-8 bytes, not characters").isEqualTo(answer("ab").jsonBytes());
    }

    @Test
    void theLeastRecentlyUsedGoWhenTheBytesTogetherPassTheBound() {
        InMemoryAnswerStore store = new InMemoryAnswerStore(100, 250, CLOCK);
        store.put("a", answer("a"), 100, HOUR);
        store.put("b", answer("b"), 100, HOUR);
        assertThat(store.get("a")).isPresent(); // a is now the more recently used
        store.put("c", answer("c"), 100, HOUR);
        assertThat(store.get("b")).as("evicted: 300 bytes would pass 250").isEmpty();
        assertThat(store.get("a")).isPresent();
        assertThat(store.get("c")).isPresent();
        assertThat(store.bytes()).isEqualTo(200);

        // replacing an answer counts its new size only
        store.put("a", answer("a2"), 50, HOUR);
        assertThat(store.bytes()).isEqualTo(150);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void anAnswerLargerThanTheWholeBoundIsNotKeptAndEvictsNothing() {
        InMemoryAnswerStore store = new InMemoryAnswerStore(100, 250, CLOCK);
        store.put("a", answer("a"), 100, HOUR);
        store.put("huge", answer("h"), 251, HOUR);
        assertThat(store.get("huge")).isEmpty();
        assertThat(store.get("a")).isPresent();
        assertThat(store.bytes()).isEqualTo(100);
    }

    @Test
    void theEntryBoundStillHolds() {
        InMemoryAnswerStore store = new InMemoryAnswerStore(2, 1_000_000, CLOCK);
        store.put("a", answer("a"), 10, HOUR);
        store.put("b", answer("b"), 10, HOUR);
        store.put("c", answer("c"), 10, HOUR);
        assertThat(store.get("a")).isEmpty();
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.bytes()).isEqualTo(20);
    }

    @Test
    void anExpiredAnswerIsGoneAndItsBytesFreed() {
        InMemoryAnswerStore store = new InMemoryAnswerStore(10, 1000, CLOCK);
        store.put("a", answer("a"), 100, Duration.ZERO);
        assertThat(store.get("a")).isEmpty();
        assertThat(store.bytes()).isZero();
    }
}
