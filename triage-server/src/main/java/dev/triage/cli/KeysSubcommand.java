package dev.triage.cli;

import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.StorageConfig;
import dev.triage.keys.KeyStore;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the {@code triage keys} subcommands share: the config whose ledger holds the keys, and how they fail.
 * A refused argument (an {@link IllegalArgumentException}, from the command or the store) is one line on
 * stderr and exit code 2, with nothing stored; a ledger that cannot be reached is exit code 1.
 */
abstract class KeysSubcommand implements Callable<Integer> {

    static final String SHOWN_ONCE = "This is the only time the key is shown: store it now. "
            + "Clients send it as \"Authorization: Bearer <key>\".";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "the gateway's YAML config: the keys live in its storage.ledger")
    Path config;

    /** Injected by tests; the system's otherwise. */
    Clock clock = Clock.systemUTC();
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    /** Checks the arguments, then does the work; returns the exit code. */
    abstract int run();

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ConfigException e) {
            err.println(e.getMessage()); // names the file, line and key already
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("triage keys " + spec.name() + ": " + e.getMessage());
            return 2;
        } catch (LedgerUnavailableException e) {
            err.println("triage keys " + spec.name() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Runs {@code work} on the keys in the ledger of the config's {@code storage:} section. */
    <T> T onKeys(Function<KeyStore, T> work) {
        StorageConfig storage = ConfigLoader.loadStorage(config, env);
        try (JdbcLedger ledger = JdbcLedger.open(storage.ledger(),
                LedgerOptions.defaults().withCredentials(storage.ledgerUser(), storage.ledgerPassword()))) {
            return work.apply(ledger.keys());
        }
    }
}
