package dev.triage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code triage keys}: virtual keys, kept in the ledger database of the config given. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Issue, list, revoke and rotate virtual keys (kept in the config's ledger database).",
        subcommands = {KeysCreateCommand.class, KeysListCommand.class, KeysRevokeCommand.class, KeysRotateCommand.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
