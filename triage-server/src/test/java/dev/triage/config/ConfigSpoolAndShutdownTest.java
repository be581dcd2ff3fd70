package dev.triage.config;

import static dev.triage.config.TriageYaml.errors;
import static dev.triage.config.TriageYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code storage.spool_dir}, {@code storage.spool_max_bytes} and {@code server.shutdown_grace_ms}. */
class ConfigSpoolAndShutdownTest {

    @Test
    void byDefaultTheSpoolHoldsUpTo256MibNextToTheSqliteLedgerAndShutdownWaitsThirtySeconds() {
        TriageConfig config = parse("");

        assertThat(config.storage().spoolEnabled()).isTrue();
        assertThat(config.storage().spoolMaxBytes()).isEqualTo(268_435_456L);
        assertThat(config.storage().spoolDirectory()).isEqualTo(Path.of("./triage-data/spool"));
        assertThat(config.storage().spoolLinger()).isEqualTo(Duration.ofMillis(2));
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theSpoolLingerIsReadAndBounded() {
        assertThat(parse("storage: {spool_linger_ms: 0}").storage().spoolLinger()).isEqualTo(Duration.ZERO);
        assertThat(parse("storage: {spool_linger_ms: 10}").storage().spoolLinger()).isEqualTo(Duration.ofMillis(10));
        assertThat(errors("storage: {spool_linger_ms: 5000}")).contains("triage.yaml:1").contains("storage.spool_linger_ms");
        assertThat(errors("storage: {spool_linger_ms: -1}")).contains("storage.spool_linger_ms");
    }

    @Test
    void theDefaultSpoolDirectoryFollowsASqliteLedgerAndIsTriageDataForPostgresql() {
        assertThat(parse("storage: {ledger: \"sqlite:/var/lib/triage/ledger.db\"}").storage().spoolDirectory())
                .isEqualTo(Path.of("/var/lib/triage/spool"));
        assertThat(parse("storage: {ledger: \"jdbc:sqlite:data/costs.db?busy_timeout=100\"}").storage().spoolDirectory())
                .isEqualTo(Path.of("data/spool"));
        assertThat(parse("storage: {ledger: \"jdbc:postgresql://db:5432/triage\"}").storage().spoolDirectory())
                .isEqualTo(Path.of("./triage-data/spool"));
    }

    @Test
    void explicitValuesAreRead() {
        TriageConfig config = parse("""
                server: {shutdown_grace_ms: 5000}
                storage: {ledger: "jdbc:postgresql://db/triage", spool_dir: /var/spool/triage, spool_max_bytes: 1048576}
                """);

        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db/triage", null, null,
                "/var/spool/triage", 1_048_576));
        assertThat(config.storage().spoolDirectory()).isEqualTo(Path.of("/var/spool/triage"));
    }

    @Test
    void zeroTurnsTheSpoolOffAndZeroGraceStopsAtOnce() {
        TriageConfig config = parse("""
                server: {shutdown_grace_ms: 0}
                storage: {spool_max_bytes: 0}
                """);

        assertThat(config.storage().spoolEnabled()).isFalse();
        assertThat(config.server().shutdownGrace()).isZero();
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        assertThat(errors("storage: {spool_max_bytes: 65536}")).isEqualTo(
                "triage.yaml:1:28: storage.spool_max_bytes: must be 0 (no spool) or at least 1048576 (1 MiB), got 65536");
        assertThat(errors("storage: {spool_max_bytes: -1}"))
                .isEqualTo("triage.yaml:1:28: storage.spool_max_bytes: must be at least 0, got -1");
        assertThat(errors("storage: {spool_dir: \"  \"}"))
                .isEqualTo("triage.yaml:1:22: storage.spool_dir: cannot be empty; leave it out for the default");
        assertThat(errors("server: {shutdown_grace_ms: -5}"))
                .isEqualTo("triage.yaml:1:29: server.shutdown_grace_ms: must be at least 0, got -5");
        assertThat(errors("storage: {spool_max_byte: 1}"))
                .isEqualTo("triage.yaml:1:11: storage.spool_max_byte: unknown key; did you mean 'spool_max_bytes'?");
    }
}
