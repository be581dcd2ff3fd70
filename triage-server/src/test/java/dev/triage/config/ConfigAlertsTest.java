package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code alerts.webhook_url} and {@code alerts.thresholds_pct}. */
class ConfigAlertsTest {

    private static TriageConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "triage.yaml", Map.of("HOOK", "https://hooks.example.com/services/T0/B0/s3cr3t-hook"));
    }

    private static String errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void noAlertsByDefaultAnd80And100PercentWithAWebhook() {
        assertThat(parse("").alerts().webhookUrl()).isNull();
        AlertsConfig a = parse("alerts: {webhook_url: \"${HOOK}\"}").alerts();
        assertThat(a.webhookUrl()).isEqualTo("https://hooks.example.com/services/T0/B0/s3cr3t-hook");
        assertThat(a.thresholds()).containsExactly(80, 100);
        assertThat(a.toString()).doesNotContain("s3cr3t");
        assertThat(parse("alerts: {webhook_url: \"${HOOK}\", thresholds_pct: [100, 50, 90]}").alerts().thresholds())
                .containsExactly(50, 90, 100);
    }

    @Test
    void badValuesAreErrorsWithTheirPlaceAndTheUrlIsNotEchoed() {
        assertThat(errors("alerts: {webhook_url: \"ftp://hooks/s3cr3t-path\"}"))
                .contains("triage.yaml:1:23: alerts.webhook_url: expected an http:// or https:// URL").doesNotContain("s3cr3t");
        assertThat(errors("alerts: {webhook_url: \"${HOOK}\", thresholds_pct: [80, 0, 80, x]}"))
                .contains("alerts.thresholds_pct[1]: expected a percentage from 1 to 1000, got '0'")
                .contains("alerts.thresholds_pct[2]: 80 is already a threshold")
                .contains("alerts.thresholds_pct[3]: expected a percentage from 1 to 1000, got 'x'");
        assertThat(errors("alerts: {thresholds_pct: [80]}")).contains("alerts.thresholds_pct: applies only with alerts.webhook_url");
        assertThat(errors("alerts: {webhook: x}")).contains("alerts.webhook: unknown key");
        assertThat(List.of(errors("alerts: {webhook_url: \"${HOOK}\", thresholds_pct: []}")))
                .singleElement().asString().contains("give at least one percentage");
    }
}
