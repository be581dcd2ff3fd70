package dev.triage.cli;

import dev.triage.keys.KeyStore.Issued;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage keys rotate NAME}: a new secret for the key, printed once on the last line; the old one keeps a grace period. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Give a key a new secret (printed alone on the last line, this once); the previous one works "
                + "for the grace period, then stops.")
final class KeysRotateCommand extends KeysSubcommand {

    /** A year: enough for any hand-over, and far from the end of time. */
    static final int MAX_GRACE_MINUTES = 525_600;

    @Parameters(index = "0", paramLabel = "NAME", description = "the key's name")
    String name;

    @Option(names = "--grace-minutes", defaultValue = "60", paramLabel = "M",
            description = "how long the previous secret keeps working, 0-" + MAX_GRACE_MINUTES + " (default: ${DEFAULT-VALUE})")
    int graceMinutes;

    @Override
    int run() {
        if (graceMinutes < 0 || graceMinutes > MAX_GRACE_MINUTES) {
            throw new IllegalArgumentException("--grace-minutes must be 0 to " + MAX_GRACE_MINUTES + ", got " + graceMinutes);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as stored
        Duration grace = Duration.ofMinutes(graceMinutes);
        Issued issued = onKeys(keys -> keys.rotate(name, grace, now));
        out.println("Rotated key '" + name + "': its new secret starts " + issued.key().prefix() + "; " + (graceMinutes == 0
                ? "the previous one stopped working now."
                : "the previous one works until " + now.plus(grace) + " (" + graceMinutes + " min), then stops."));
        out.println(SHOWN_ONCE);
        out.println(issued.secret());
        return 0;
    }
}
