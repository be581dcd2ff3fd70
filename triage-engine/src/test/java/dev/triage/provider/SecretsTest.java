package dev.triage.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private static final String KEY = "CANARY-sk-ANTHROPIC-api03-Zq81xW7vLmN2pR4t4e6f";

    @BeforeAll
    static void register() {
        Secrets.register(KEY);
    }

    @Test
    void aVirtualKeyIsRedactedByItsShapeThoughNeverRegistered() {
        String key = dev.triage.keys.KeySecrets.newSecret();
        assertThat(Secrets.redact("key " + key + " refused")).isEqualTo("key [redacted] refused");
    }

    @Test
    void aKeyEchoedWholeIsRedacted() {
        assertThat(Secrets.redact("bad key " + KEY + ".")).isEqualTo("bad key [redacted].");
    }

    @Test
    void anyRunOfEightCharactersOfAKeyIsRedacted() {
        assertThat(Secrets.redact("invalid x-api-key: CANARY-sk-ANTH...4e6f")).isEqualTo("invalid x-api-key: [redacted]...4e6f");
        assertThat(Secrets.redact("key ending in Zq81xW7v")).isEqualTo("key ending in [redacted]");
    }

    @Test
    void sevenCharactersOfAKeyAreLeftAlone() {
        assertThat(Secrets.redact("CANARY- and 4e6f")).isEqualTo("CANARY- and 4e6f");
    }

    @Test
    void theKeyInBase64IsRedactedAtEveryAlignmentInBothAlphabets() {
        for (String prefix : new String[]{"", "u:", "ab:", "user:"}) {
            byte[] raw = (prefix + KEY + "\"}").getBytes(StandardCharsets.UTF_8);
            for (String encoded : new String[]{Base64.getEncoder().encodeToString(raw), Base64.getUrlEncoder().encodeToString(raw)}) {
                String redacted = Secrets.redact("Authorization: Basic " + encoded);
                assertThat(redacted).as(encoded).contains("[redacted]");
                // What is left of the encoding is at most the few characters that mix in the bytes around the key.
                assertThat(redacted.replace("Authorization: Basic ", "").replace("[redacted]", "")).as(encoded).hasSizeLessThan(16);
            }
        }
    }

    @Test
    void userInfoInAnyUrlIsNeverPrinted() {
        assertThat(Secrets.redact("base_url: 'https://bob:hunter2-not-registered@llm.example.com/v1' must not carry user info"))
                .isEqualTo("base_url: 'https://[redacted]@llm.example.com/v1' must not carry user info");
        assertThat(Secrets.redact("postgresql://triage:pw@db:5432/ledger")).isEqualTo("postgresql://[redacted]@db:5432/ledger");
    }

    @Test
    void wordsAndNumbersOfAHumanChosenSecretAreMaskedOnlyInsideTheSecret() {
        String password = "provider-postgres-12345678-Vx";
        Secrets.register(password);
        assertThat(Secrets.redact("password " + password + " refused")).isEqualTo("password [redacted] refused");
        // Runs of one kind of character are words and numbers in other text: left alone there.
        assertThat(Secrets.redact("its provider 'openai' is not under providers; got 0.12345678"))
                .isEqualTo("its provider 'openai' is not under providers; got 0.12345678");
        // A run that mixes kinds is still a piece of the secret.
        assertThat(Secrets.redact("ends in 12345678-Vx")).isEqualTo("ends in 12[redacted]");
    }

    @Test
    void oneKindRunsAreTheOnlyOnesLeftOut() {
        assertThat(Secrets.mixesKinds("provider")).isFalse();
        assertThat(Secrets.mixesKinds("12345678")).isFalse();
        assertThat(Secrets.mixesKinds("ANTHROPI")).isFalse();
        assertThat(Secrets.mixesKinds("-_.-_.-_")).isFalse();
        assertThat(Secrets.mixesKinds("Zq81xW7v")).isTrue();
        assertThat(Secrets.mixesKinds("st-01234")).isTrue();
    }

    @Test
    void ordinaryTextIsUntouched() {
        String text = "The upstream says 400: 'messages' must be an array; see https://platform.example.com/docs";
        assertThat(Secrets.redact(text)).isSameAs(text);
    }
}
