package dev.triage.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code triage keys revoke NAME}: every secret of the key stops working at once. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a key: every secret of it stops working at once. Its name stays taken.")
final class KeysRevokeCommand extends KeysSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the key's name")
    String name;

    @Override
    int run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as stored
        if (!onKeys(keys -> keys.revoke(name, now))) {
            throw new IllegalArgumentException("there is no active key named '" + name + "'");
        }
        out.println("Revoked key '" + name + "': its secrets stopped working at " + now + ".");
        return 0;
    }
}
