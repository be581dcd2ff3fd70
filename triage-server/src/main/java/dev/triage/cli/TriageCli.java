package dev.triage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code triage}: the command line. Each subcommand lives in its own class. */
@Command(name = "triage", mixinStandardHelpOptions = true, version = "triage 0.1.0",
        description = "A cost-aware gateway for teams that use several LLMs.",
        subcommands = {ServeCommand.class, RouteCommand.class, SimulateCommand.class, TrainCommand.class, ReportCommand.class, ModelsCommand.class, KeysCommand.class, CacheCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class TriageCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TriageCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
