package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LedgerOptionsTest {

    @Test
    void defaultsQueueOneHundredThousandEntriesAndWriteBatchesOfFiveHundredEveryFiftyMilliseconds() {
        LedgerOptions defaults = LedgerOptions.defaults();

        assertThat(defaults.queueCapacity()).isEqualTo(100_000);
        assertThat(defaults.batchSize()).isEqualTo(500);
        assertThat(defaults.batchLinger()).isEqualTo(Duration.ofMillis(50));
        assertThat(defaults.enqueueTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.flushTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.user()).isNull();
        assertThat(defaults.password()).isNull();
        assertThat(defaults.spoolDir()).isNull();
        assertThat(defaults.spoolMaxBytes()).isEqualTo(268_435_456L);
    }

    @Test
    void aSpoolNeedsADirectoryAndAPositiveSize() {
        LedgerOptions spooled = LedgerOptions.defaults().withSpool(Path.of("/var/spool/triage"), 1_048_576);

        assertThat(spooled.spoolDir()).isEqualTo(Path.of("/var/spool/triage"));
        assertThat(spooled.spoolMaxBytes()).isEqualTo(1_048_576);
        assertThat(spooled.withBatching(10, Duration.ZERO).spoolDir()).isEqualTo(spooled.spoolDir());
        assertThatThrownBy(() -> LedgerOptions.defaults().withSpool(Path.of("x"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("spoolMaxBytes must be positive");
    }

    @Test
    void toStringRedactsThePassword() {
        String text = LedgerOptions.defaults().withCredentials("triage", "hunter22").toString();

        assertThat(text).contains("user=triage", "password=[redacted]").doesNotContain("hunter22");
    }

    @Test
    void nonPositiveSizesAreRefused() {
        assertThatThrownBy(() -> LedgerOptions.defaults().withQueueCapacity(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerOptions.defaults().withBatching(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerOptions.defaults().withFlushTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
