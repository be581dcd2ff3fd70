package dev.triage.cli;

import dev.triage.app.OnDemandEmbedder;
import dev.triage.config.StorageConfig;
import dev.triage.config.TriageConfig;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import dev.triage.report.Report;
import dev.triage.report.KeySpend;
import dev.triage.report.ReportEngine;
import dev.triage.report.ReportJson;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportScope;
import dev.triage.report.ReportSource;
import dev.triage.report.ReportSettings;
import dev.triage.report.ReportText;
import dev.triage.report.TierSpend;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage report}: the cost report, read from the configured ledger. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Cost report from the ledger: totals, spend by model/route/task/tier/user/virtual key/team, daily spend, budgets, "
                + "quality, routing efficiency and recommendations.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--since", defaultValue = "30d",
            description = "how far back: Nd = the last N UTC days with today, Nh = the last N hours (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--from", description = "start instead of --since: an ISO date (2026-03-01) or instant (2026-03-01T12:00:00Z)")
    String from;

    @Option(names = "--to", description = "end (a date is included whole; default: the end of today, UTC)")
    String to;

    @Option(names = "--key", description = "only the requests made with this virtual key")
    String key;

    @Option(names = "--team", description = "only the requests made with the virtual keys of this team")
    String team;

    @Option(names = "--format", defaultValue = "table", description = "table, json or markdown (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--allow-empty", description = "print an empty report when the SQLite ledger file does not exist, instead of "
            + "failing (a report never creates the file)")
    boolean allowEmpty;

    /** Injected by tests; the system clock otherwise. */
    Clock clock = Clock.systemUTC();
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json") && !format.equals("markdown")) {
            err.println("triage report: --format must be table, json or markdown");
            return 2;
        }
        try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
            return report(embedder);
        }
    }

    private int report(OnDemandEmbedder embedder) {
        TriageConfig cfg = config.loadOrReport(env, err, embedder);
        if (cfg == null) {
            return 2;
        }
        ReportPeriod period;
        ReportScope scope;
        try {
            period = from != null || to != null ? ReportPeriod.parse(from, to, clock.instant()) : ReportPeriod.since(since, clock.instant());
            scope = ReportScope.of(key, team);
        } catch (IllegalArgumentException e) {
            err.println("triage report: " + e.getMessage());
            return 2;
        }
        StorageConfig storage = cfg.storage();
        Optional<Path> file = JdbcLedger.sqliteFile(storage.ledger());
        if (file.isPresent() && !Files.exists(file.get())) {
            // Opening it would create an empty ledger and report $0 as if nothing had been spent.
            if (!allowEmpty) {
                err.println("triage report: there is no ledger at " + file.get().toAbsolutePath().normalize() + " (storage.ledger"
                        + (config.given() ? " in " + config.file : ", the default") + "); give the gateway's config with --config, "
                        + "or --allow-empty for an empty report");
                return 1;
            }
            return print(engine(ReportSource.EMPTY, cfg, KeySpend.NONE), period, scope);
        }
        try (JdbcLedger ledger = JdbcLedger.open(storage.ledger(),
                LedgerOptions.defaults().withCredentials(storage.ledgerUser(), storage.ledgerPassword()))) {
            return print(engine(ledger.reports(), cfg, KeySpend.fromLedger(ledger.keys(), ledger.reports(), clock)), period, scope);
        } catch (LedgerUnavailableException e) {
            err.println("triage report: " + e.getMessage());
            return 1;
        }
    }

    /** Away from the gateway there is no budget store to ask: today's tier and key spend is read from the ledger. */
    private ReportEngine engine(ReportSource source, TriageConfig cfg, KeySpend keys) {
        return new ReportEngine(source, cfg.catalog(), cfg.routes(), TierSpend.fromLedger(source, clock), keys, clock,
                ReportSettings.defaults());
    }

    private int print(ReportEngine engine, ReportPeriod period, ReportScope scope) {
        Report report;
        try {
            report = engine.report(period, scope);
        } catch (ReportScope.UnknownException e) {
            err.println("triage report: " + e.getMessage());
            return 2;
        }
        switch (format) {
            case "json" -> out.println(new String(ReportJson.bytes(report), StandardCharsets.UTF_8));
            case "markdown" -> out.print(ReportText.markdown(report));
            default -> out.print(ReportText.table(report));
        }
        out.flush();
        return 0;
    }
}
