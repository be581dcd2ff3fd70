package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.triage.provider.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway's own logback.xml masks registered secrets in messages and in stack traces. */
class RedactedLogTest {

    @Test
    void aSecretInAMessageOrInAnExceptionCauseIsMaskedByTheShippedLogConfiguration() throws Exception {
        String key = "sk-" + UUID.randomUUID().toString().replace("-", "") + "Xy";
        Secrets.register(key);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            joran.doConfigure(RedactedLogTest.class.getResource("/logback.xml"));
            context.getLogger("dev.triage.test").warn("upstream said: bad key {}", key.substring(0, 20),
                    new IllegalStateException("wrapped", new RuntimeException("jdbc://u:" + key + "@db refused")));
        } finally {
            context.stop();
            System.setErr(original);
        }
        String log = err.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("upstream said: bad key [redacted]").contains("IllegalStateException: wrapped")
                .contains("RuntimeException: jdbc://[redacted]@db refused").contains("at dev.triage.app.RedactedLogTest");
        assertThat(log).doesNotContain(key.substring(3, 11)).doesNotContain(key.substring(12, 20));
    }
}
