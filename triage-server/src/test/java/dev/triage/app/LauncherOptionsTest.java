package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 1: a gateway out of heap may no longer record money, so the JVM options {@code ./triage}
 * starts it with make any {@link OutOfMemoryError} end the process, even one a thread catches and ignores.
 */
class LauncherOptionsTest {

    @Test
    void anOutOfMemoryErrorEndsAJvmStartedWithTheLauncherOptionsEvenWhenTheThreadSwallowsIt() throws Exception {
        List<String> options = GatewayProcess.launcherOptions();
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError");

        Process p = new ProcessBuilder(GatewayProcess.java(options, Hoarder.class.getName())).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out).contains("Terminating due to java.lang.OutOfMemoryError").doesNotContain("still running");
        assertThat(p.exitValue()).as(out).isNotZero();
    }

    /** Fills the heap on a worker thread that swallows the error, then claims to carry on. */
    public static final class Hoarder {
        public static void main(String[] args) throws Exception {
            Thread worker = new Thread(() -> {
                List<long[]> hoard = new ArrayList<>();
                try {
                    while (true) {
                        hoard.add(new long[1 << 20]);
                    }
                } catch (OutOfMemoryError swallowed) {
                    hoard.clear();
                }
            });
            worker.start();
            worker.join();
            System.out.println("still running");
        }
    }
}
