package dev.triage.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    @Test
    void onlyTheUrlIsRequiredAndTheRestDefaultsToTheOverheadBenchmark() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {"--url", "http://127.0.0.1:18081/v1/chat/completions"});

        assertThat(options.url()).isEqualTo(URI.create("http://127.0.0.1:18081/v1/chat/completions"));
        assertThat(options.rate()).isEqualTo(1000);
        assertThat(options.durationSeconds()).isEqualTo(20);
        assertThat(options.warmupSeconds()).isEqualTo(5);
        assertThat(options.connections()).isEqualTo(50);
        assertThat(new String(options.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                        + "{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],\"max_tokens\":32}");
        assertThat(options.headers()).isEmpty();
        assertThat(options.label()).isNull();
    }

    @Test
    void repeatedHeadersAreSentInOrderAfterTheManagedOnes() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {
                "--url", "http://localhost:8080/v1/chat/completions?x=1", "--rate", "2000", "--duration", "1.5",
                "--warmup", "0", "--connections", "3", "--label", "gateway",
                "--header", "Authorization: Bearer sk-test", "--header", "x-triage-task:chat"});

        assertThat(new String(options.encodedRequest(), StandardCharsets.ISO_8859_1)).startsWith("""
                POST /v1/chat/completions?x=1 HTTP/1.1\r
                Host: localhost:8080\r
                Content-Type: application/json\r
                Content-Length: 171\r
                Authorization: Bearer sk-test\r
                x-triage-task: chat\r
                \r
                {"model":"fake-model\"""");
        assertThat(options.rate()).isEqualTo(2000);
        assertThat(options.durationSeconds()).isEqualTo(1.5);
        assertThat(options.connections()).isEqualTo(3);
        assertThat(options.label()).isEqualTo("gateway");
    }

    @Test
    void headersTheGeneratorOwnsCannotBeOverridden() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://h:1/", "--header", "Content-Length: 5"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--header may not set Content-Length; the generator sets it");
    }

    @Test
    void httpsIsRefusedBecauseTheGeneratorSpeaksPlainHttpOnly() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "https://api.openai.com/v1/chat/completions"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--url must be an http:// URL with a host, got https://api.openai.com/v1/chat/completions");
    }

    @Test
    void unknownOptionsAndMissingValuesAreErrors() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://h:1/", "--rps", "5"}))
                .hasMessage("unknown option --rps");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://h:1/", "--rate"}))
                .hasMessage("missing value for --rate");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://h:1/", "--connections", "0"}))
                .hasMessage("--connections must be at least 1, got 0");
    }
}
