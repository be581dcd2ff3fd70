package dev.triage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code triage cache}: the response cache's offline tools. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "Tools for the response cache.",
        subcommands = {CacheEvalCommand.class})
final class CacheCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
