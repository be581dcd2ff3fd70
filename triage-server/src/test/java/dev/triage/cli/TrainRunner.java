package dev.triage.cli;

import dev.triage.embed.Embedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs {@code triage train} with an embedder and clock of the test's choosing (for tests outside this package too). */
public final class TrainRunner {

    /** What the command did: its exit code and what it printed. */
    public record Run(int exit, String out, String err) {
    }

    private TrainRunner() {
    }

    /** @param embedder the embedder the command finds, or null for none (no embeddings module) */
    public static Run train(Embedder embedder, Clock clock, String... args) {
        return train(() -> Optional.ofNullable(embedder), clock, args);
    }

    static Run train(Supplier<Optional<Embedder>> embedders, Clock clock, String... args) {
        TrainCommand command = new TrainCommand();
        command.clock = clock;
        command.env = Map.of();
        command.embedders = embedders;
        command.terminal = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(command).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
