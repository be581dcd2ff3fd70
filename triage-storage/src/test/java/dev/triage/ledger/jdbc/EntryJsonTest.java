package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryJsonTest {

    static final LedgerEntry FULL = new LedgerEntry("req-full", 2, "smart", "claude-sonnet-4", "anthropic",
            new Usage(3_000_000_123L, 2_000_000_456L, 1_500_000_000L, 250_000_000L, 1_000_000_001L, true),
            new Money(9_007_199_254_740_993L), new Money(-1_875_000_000L), 4_321, 187L, AttemptStatus.ERROR, "RATE_LIMITED", 429,
            true, "user-42\n\"quoted\" ✓", "code", "premium", "stage 1/3", "cascade: a -> b\nsecond line",
            Instant.parse("2026-03-14T09:26:53.589793238Z"), "checkout-app", "compact");
    static final LedgerEntry SPARSE = new LedgerEntry("req-sparse", 1, "smart", "gpt-4.1", "openai", Usage.ZERO,
            Money.ZERO, 0, null, AttemptStatus.CANCELLED, null, 0, false, null, null, null, Instant.ofEpochMilli(1));

    @Test
    void everyFieldRoundTripsExactlyIncludingNanosecondsAndNulls() {
        for (LedgerEntry e : new LedgerEntry[] {FULL, SPARSE}) {
            byte[] line = EntryJson.encode(e);
            assertThat(EntryJson.decode(line, 0, line.length - 1)).isEqualTo(e);
        }
    }

    @Test
    void anEntryIsOneLineKeyedByTheTableColumns() {
        String line = new String(EntryJson.encode(SPARSE), StandardCharsets.UTF_8);

        assertThat(line).isEqualTo("{\"v\":1,\"request_id\":\"req-sparse\",\"attempt\":1,\"route\":\"smart\","
                + "\"model\":\"gpt-4.1\",\"provider\":\"openai\",\"input_tokens\":0,\"output_tokens\":0,"
                + "\"cached_input_tokens\":0,\"cache_write_tokens\":0,\"reasoning_tokens\":0,\"usage_estimated\":false,"
                + "\"cost_picousd\":0,\"cache_saving_picousd\":0,\"latency_ms\":0,\"ttft_ms\":null,\"status\":\"CANCELLED\",\"error_kind\":null,"
                + "\"http_status\":0,\"stream\":false,\"user_id\":null,\"task\":null,\"tier\":null,\"step\":null,"
                + "\"decision\":null,\"created_at\":\"1970-01-01T00:00:00.001Z\"}\n");
        // Newlines inside strings are escaped, so a newline byte always ends an entry.
        String withNewlines = new String(EntryJson.encode(FULL), StandardCharsets.UTF_8);
        assertThat(withNewlines.indexOf('\n')).isEqualTo(withNewlines.length() - 1);
        assertThat(withNewlines).contains("\"user_id\":\"user-42\\n\\\"quoted\\\" ✓\"");
    }

    @Test
    void aLineSpooledBeforeThePromptCacheSavingExistedReadsWithASavingOfZero() {
        String v8 = "{\"v\":1,\"request_id\":\"req-old\",\"attempt\":1,\"route\":\"smart\",\"model\":\"claude-sonnet-4\","
                + "\"provider\":\"anthropic\",\"input_tokens\":10000,\"output_tokens\":200,\"cached_input_tokens\":8000,"
                + "\"cache_write_tokens\":0,\"reasoning_tokens\":0,\"usage_estimated\":false,\"cost_picousd\":11400000000,"
                + "\"latency_ms\":812,\"ttft_ms\":null,\"status\":\"OK\",\"error_kind\":null,\"http_status\":200,\"stream\":false,"
                + "\"user_id\":null,\"task\":null,\"tier\":null,\"step\":null,\"decision\":null,\"created_at\":\"2026-03-14T09:26:53Z\"}";
        byte[] bytes = v8.getBytes(StandardCharsets.UTF_8);

        LedgerEntry e = (LedgerEntry) EntryJson.decode(bytes, 0, bytes.length);

        assertThat(e.cost()).isEqualTo(Money.ofUsd("0.0114"));
        assertThat(e.cacheSaving()).isEqualTo(Money.ZERO);
        assertThat(e.usage().cachedInputTokens()).isEqualTo(8_000);
        // And a saving that is not an integer is refused like any other malformed number.
        byte[] bad = v8.replace("\"cost_picousd\"", "\"cache_saving_picousd\":\"lots\",\"cost_picousd\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EntryJson.decode(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache_saving_picousd");
    }

    @Test
    void theContextArmIsWrittenOnlyWhenThereIsOneAndALineWithoutItReadsAsNone() {
        assertThat(new String(EntryJson.encode(FULL), StandardCharsets.UTF_8)).contains("\"context_arm\":\"compact\"");
        assertThat(new String(EntryJson.encode(SPARSE), StandardCharsets.UTF_8)).doesNotContain("context_arm");
        // A line spooled before V10 (its fields as version 9 wrote them) has no arm.
        String v9 = "{\"v\":1,\"request_id\":\"req-old\",\"attempt\":1,\"route\":\"agent\",\"model\":\"claude-sonnet-4\","
                + "\"provider\":\"anthropic\",\"input_tokens\":10000,\"output_tokens\":200,\"cached_input_tokens\":0,"
                + "\"cache_write_tokens\":0,\"reasoning_tokens\":0,\"usage_estimated\":false,\"cost_picousd\":33000000000,"
                + "\"cache_saving_picousd\":0,\"latency_ms\":812,\"ttft_ms\":null,\"status\":\"OK\",\"error_kind\":null,"
                + "\"http_status\":200,\"stream\":false,\"user_id\":null,\"task\":null,\"tier\":null,\"step\":null,"
                + "\"decision\":null,\"api_key\":\"ops\",\"created_at\":\"2026-03-14T09:26:53Z\"}";
        byte[] bytes = v9.getBytes(StandardCharsets.UTF_8);

        LedgerEntry e = (LedgerEntry) EntryJson.decode(bytes, 0, bytes.length);

        assertThat(e.contextArm()).isNull();
        assertThat(e.apiKey()).isEqualTo("ops");
        assertThat(e.cost()).isEqualTo(Money.ofUsd("0.033"));
        byte[] bad = v9.replace("\"api_key\"", "\"context_arm\":7,\"api_key\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EntryJson.decode(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context_arm");
    }

    @Test
    void aCapturedTextIsALineOfKindTextThatRoundTrips() {
        CapturedText text = new CapturedText("req-t", "smart", "gpt-4.1", "system\nuser \"q\" ✓", "line 1\nline 2", "length",
                Instant.parse("2026-03-14T09:26:53.589793238Z"));
        CapturedText toolCall = new CapturedText("req-u", "gpt-4.1", "gpt-4.1", "", null, null, Instant.ofEpochMilli(1));

        for (CapturedText t : new CapturedText[] {text, toolCall}) {
            byte[] line = EntryJson.encode(t);
            assertThat(EntryJson.decode(line, 0, line.length - 1)).isEqualTo(t);
        }
        assertThat(new String(EntryJson.encode(toolCall), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"kind\":\"text\","
                + "\"request_id\":\"req-u\",\"route\":\"gpt-4.1\",\"model\":\"gpt-4.1\",\"prompt\":\"\",\"answer\":null,"
                + "\"finish_reason\":null,\"created_at\":\"1970-01-01T00:00:00.001Z\"}\n");
        String withNewlines = new String(EntryJson.encode(text), StandardCharsets.UTF_8);
        assertThat(withNewlines.indexOf('\n')).isEqualTo(withNewlines.length() - 1);
    }

    @Test
    void linesThatAreNotEntriesOfThisVersionAreRefused() {
        for (String bad : new String[] {"", "not json", "[1,2]", "{\"v\":2,\"request_id\":\"r\"}", "{\"v\":1}",
                "{\"v\":1,\"request_id\":\"r\",\"attempt\":\"one\"}", "\u0000\u0000\u0000",
                "{\"v\":1,\"kind\":\"photo\",\"request_id\":\"r\"}", "{\"v\":1,\"kind\":\"text\",\"request_id\":\"r\"}"}) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> EntryJson.decode(bytes, 0, bytes.length)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }
}
