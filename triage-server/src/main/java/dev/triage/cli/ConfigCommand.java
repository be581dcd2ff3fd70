package dev.triage.cli;

import dev.triage.app.OnDemandEmbedder;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.learn.Provenance;
import dev.triage.routing.LearnedRouteSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code triage config validate FILE}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with config files.",
        subcommands = ConfigCommand.Validate.class)
final class ConfigCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a config file; errors name the file, line and key. Exit code 0 when valid, 2 when not.")
    static final class Validate implements Callable<Integer> {

        @Parameters(index = "0", description = "the YAML config file")
        Path file;

        @Override
        public Integer call() {
            try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
                TriageConfig cfg = ConfigLoader.load(file, System.getenv(), embedder);
                long enabled = cfg.providers().values().stream().filter(p -> p.enabled()).count();
                System.out.println(file + ": OK (" + cfg.providers().size() + " providers, " + enabled + " enabled; "
                        + cfg.catalog().all().size() + " models; " + cfg.routes().size() + " routes)");
                cfg.warnings().forEach(w -> System.out.println("  warning: " + w));
                cfg.providers().values().stream().filter(p -> !p.enabled())
                        .forEach(p -> System.out.println("  note: provider '" + p.name() + "' is disabled: " + p.disabledReason()));
                cfg.routes().values().stream().filter(r -> r instanceof LearnedRouteSpec).map(r -> (LearnedRouteSpec) r)
                        .forEach(r -> System.out.println("  note: learned route '" + r.name() + "': " + trained(r.modelFile(),
                                r.model().provenance()) + "; candidates " + String.join(", ", r.candidates()) + ", " + r.rule().setting()));
                return 0;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }

        private static String trained(String file, Provenance p) {
            return "model file " + file + " (trained " + p.trainedAt() + " on " + p.examples() + " prompts from " + p.source()
                    + ", embeddings " + p.embedder() + ")";
        }
    }
}
