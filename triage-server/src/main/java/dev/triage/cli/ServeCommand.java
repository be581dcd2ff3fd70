package dev.triage.cli;

import dev.triage.app.DefaultConfig;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.app.TriageApp;
import dev.triage.config.TriageConfig;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.catalog.ModelInfo;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage serve}: runs the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        // One element per line, each under picocli's 80 columns, so no path or variable is wrapped mid-word.
        description = {"Run the gateway: the OpenAI-compatible API (/v1/chat/completions, /v1/models),",
                "the cost dashboard at / and, by default, the ledger in ./triage-data/.",
                "Without --config, a provider is enabled for each key variable that is set;",
                "with none set, it serves the offline demo: every model and route of the",
                "built-in config answered by the simulated provider (synthetic answers, no",
                "network, no key), costed at the real models' prices."},
        footer = {"", "Environment (the built-in config, without --config):",
                "  OPENAI_API_KEY      enables OpenAI",
                "  OPENAI_BASE_URL     another OpenAI-compatible server (vLLM, Ollama, ...)",
                "  ANTHROPIC_API_KEY   enables Anthropic",
                "  GEMINI_API_KEY      enables Google Gemini",
                "  (none of the keys)  the offline demo",
                "A config file reads the variables it names as $${VAR} instead;",
                "check one with: triage config validate FILE"})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--port", description = "Port to listen on (overrides server.port)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        // found only if a learned route needs it; the app closes it on shutdown
        OnDemandEmbedder embedder = ConfigOption.embedders.get();
        TriageConfig cfg = config.loadOrReport(env, System.err, embedder);
        if (cfg == null) {
            embedder.close();
            return 2;
        }
        if (port != null) {
            cfg = cfg.withPort(port);
        }
        boolean demo = !config.given() && DefaultConfig.isOfflineDemo(env);
        TriageApp app;
        try {
            app = TriageApp.start(cfg, embedder);
        } catch (LedgerUnavailableException e) {
            System.err.println("Triage: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        long grace = cfg.server().shutdownGrace().toMillis();
        // SIGTERM and SIGINT run this hook; the JVM exits only when it returns.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Triage: shutting down: no new connections; requests in flight get up to " + grace
                    + " ms to finish, then the ledger is flushed");
            try {
                app.close();
                long spooled = app.ledger().spooledBytes();
                System.err.println(spooled == 0 ? "Triage: stopped; every ledger entry is in the database"
                        : "Triage: stopped; " + spooled + " bytes of ledger entries wait in the spool for the next start");
            } finally {
                stopped.countDown();
            }
        }, "triage-shutdown"));
        banner(cfg, app, demo);
        stopped.await();
        return 0;
    }

    private static void banner(TriageConfig cfg, TriageApp app, boolean demo) {
        StringBuilder b = new StringBuilder();
        if (demo) {
            b.append("""
                    ==========================================================================
                     OFFLINE DEMO: none of %s
                     is set, so every model is answered by the 'simulated' provider.
                     Answers are synthetic; token counts and costs follow the real prices.
                     Set a key (or pass --config FILE) to call real models.
                    ==========================================================================
                    """.formatted(String.join(", ", DefaultConfig.keyVariables())));
        }
        String base = "http://" + cfg.server().host() + ":" + app.port();
        b.append("Triage gateway listening on ").append(base).append("/v1\n");
        b.append("Ledger: ").append(cfg.storage().ledger().replaceAll("password=[^&]*", "password=[redacted]")).append('\n');
        b.append("Ledger spool: ").append(cfg.storage().spoolEnabled()
                ? cfg.storage().spoolDirectory().toAbsolutePath().normalize() + " (up to " + cfg.storage().spoolMaxBytes() / (1024 * 1024) + " MiB)"
                : "off (storage.spool_max_bytes: 0)").append('\n');
        if (cfg.storage().captureText()) {
            b.append("Text capture: on (storage.capture_text): each answered request's prompt and answer are kept in the ledger\n");
        }
        b.append("Providers: ").append(app.providers().isEmpty() ? "(none configured)" : String.join(", ", app.providers().keySet())).append('\n');
        long servable = app.catalog().all().stream().map(ModelInfo::provider).filter(app.providers()::containsKey).count();
        b.append("Models available: ").append(servable).append(" (GET ").append(base).append("/v1/models)\n");
        // A route name is a model name to clients; the built-in default's "auto" picks a current model for the prompt.
        String example = cfg.routes().containsKey("auto") ? "auto" : cfg.routes().keySet().stream().findFirst()
                .orElseGet(() -> app.catalog().all().stream().filter(m -> !m.retired() && app.providers().containsKey(m.provider()))
                        .map(ModelInfo::id).findFirst().orElse("MODEL"));
        b.append("Try: curl ").append(base).append("/v1/chat/completions -H 'content-type: application/json' ")
                .append("-d '{\"model\":\"").append(example).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'\n");
        System.out.print(b);
        System.out.flush();
    }
}
