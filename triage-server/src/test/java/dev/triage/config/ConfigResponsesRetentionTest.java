package dev.triage.config;

import static dev.triage.config.TriageYaml.errors;
import static dev.triage.config.TriageYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code storage.responses_retention_days}: how long {@code /v1/responses} answers stored with {@code store: true} are kept. */
class ConfigResponsesRetentionTest {

    @Test
    void storedResponsesAreKeptThirtyDaysByDefault() {
        assertThat(parse("").storage().responsesRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void theRetentionIsReadInDays() {
        assertThat(parse("storage: {responses_retention_days: 7}").storage().responsesRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aRetentionOutsideOneDayToTenYearsIsAnErrorNamingTheKey() {
        assertThat(errors("storage: {responses_retention_days: 0}")).contains("triage.yaml:1").contains("storage.responses_retention_days");
        assertThat(errors("storage: {responses_retention_days: 3651}")).contains("storage.responses_retention_days");
        assertThat(errors("storage: {responses_retention_days: soon}")).contains("storage.responses_retention_days");
    }
}
