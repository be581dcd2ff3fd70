package dev.triage.config;

import static dev.triage.config.TriageYaml.errors;
import static dev.triage.config.TriageYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage.capture_text}: off unless turned on, and only true or false. */
class ConfigCaptureTextTest {

    @Test
    void textIsNotCapturedUnlessTurnedOn() {
        assertThat(parse("").storage().captureText()).isFalse();
        assertThat(parse("storage: {ledger: \"sqlite:x.db\"}").storage().captureText()).isFalse();
        assertThat(ConfigLoader.builtInDefault(Map.of()).storage().captureText()).isFalse();
        assertThat(parse("storage: {capture_text: false}").storage().captureText()).isFalse();
    }

    @Test
    void trueTurnsItOn() {
        TriageConfig config = parse("""
                storage:
                  ledger: "jdbc:postgresql://db/triage"
                  capture_text: true
                """);

        assertThat(config.storage().captureText()).isTrue();
        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db/triage", null, null, null,
                StorageConfig.DEFAULT_SPOOL_MAX_BYTES, StorageConfig.DEFAULT_SPOOL_LINGER, true));
        assertThat(config.storage().toString()).contains("captureText=true");
    }

    @Test
    void anythingButTrueOrFalseIsAnErrorWithFileLineAndKey() {
        assertThat(errors("storage:\n  capture_text: yes\n"))
                .isEqualTo("triage.yaml:2:17: storage.capture_text: expected true or false, got 'yes'");
        assertThat(errors("storage: {capture_text: 1}"))
                .isEqualTo("triage.yaml:1:25: storage.capture_text: expected true or false, got '1'");
        assertThat(errors("storage: {capture_texts: true}"))
                .isEqualTo("triage.yaml:1:11: storage.capture_texts: unknown key; did you mean 'capture_text'?");
    }
}
