package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.app.DefaultConfig;
import org.junit.jupiter.api.Test;

/** {@code triage serve --help} tells a newcomer how to get a gateway: the offline demo and the key variables. */
class ServeHelpTest {

    @Test
    void helpNamesTheOfflineDemoAndEveryKeyVariableTheBuiltInConfigReads() {
        CliRun help = CliRun.of("serve", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("offline demo").contains("OPENAI_BASE_URL").contains("${VAR}").contains("--config")
                .contains("--port");
        assertThat(DefaultConfig.keyVariables()).containsExactlyInAnyOrder("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY");
        for (String variable : DefaultConfig.keyVariables()) {
            assertThat(help.out()).contains("  " + variable + " ");
        }
        assertThat(help.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(80));
    }
}
