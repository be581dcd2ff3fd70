package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress on a terminal (a bar redrawn in place) and elsewhere (a plain line per tenth or per quiet spell). */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalALineIsPrintedForEachTenthNotForEachUpdate() {
        ProgressBar bar = new ProgressBar(err, "triage simulate", false, nanos::get);

        for (int done = 0; done <= 200; done++) {
            bar.update("item " + done + "/200", done / 200.0);
        }
        bar.clear();

        assertThat(written()).doesNotContain("\r").startsWith("triage simulate:   0% item 0/200\n")
                .contains("triage simulate:  10% item 20/200\n").contains("triage simulate:  50% item 100/200\n")
                .endsWith("triage simulate: 100% item 200/200\n");
        assertThat(written().lines()).hasSize(11);
    }

    @Test
    void offATerminalASlowTenthStillShowsProgressEveryFiveSeconds() {
        ProgressBar bar = new ProgressBar(err, "triage train", false, nanos::get);

        bar.update("embedding 1/1000", 0.001);
        nanos.addAndGet(4_900_000_000L);
        bar.update("embedding 2/1000", 0.002); // same tenth, 4.9 s later: nothing
        nanos.addAndGet(200_000_000L);
        bar.update("embedding 3/1000", 0.003); // 5.1 s after the last line
        bar.update("embedding 4/1000", 0.004);

        assertThat(written()).isEqualTo("triage train:   0% embedding 1/1000\ntriage train:   0% embedding 3/1000\n");
    }

    @Test
    void aNewPhaseStartingOverAtZeroIsShown() {
        ProgressBar bar = new ProgressBar(err, "triage simulate", false, nanos::get);

        bar.update("always-strong", 1.0);
        bar.update("cascade", 0.0);

        assertThat(written()).isEqualTo("triage simulate: 100% always-strong\ntriage simulate:   0% cascade\n");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndClearedAtTheEnd() {
        ProgressBar bar = new ProgressBar(err, "triage simulate", true, nanos::get);

        bar.update("half", 0.5);
        bar.update("half", 0.5);
        bar.clear();

        String bar50 = "\r[" + "#".repeat(15) + " ".repeat(15) + "]  50% half";
        assertThat(written()).isEqualTo(bar50 + "\r" + " ".repeat(bar50.length()) + "\r");
    }

    @Test
    void stderrIsATerminalWhenItsDescriptorLinksToATerminalDevice() {
        assertThat(StderrTerminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("pipe:[48213]")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/home/ci/build.log")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/dev/null")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("socket:[991]")).isFalse();
    }
}
