package dev.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.app.DefaultConfig;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.StorageConfig;
import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.learn.ModelFileException;
import dev.triage.learn.Trainer;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.ledger.jdbc.FeedbackTexts;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import dev.triage.provider.Secrets;
import dev.triage.report.ReportPeriod;
import dev.triage.simulate.Dataset;
import dev.triage.simulate.DatasetException;
import dev.triage.simulate.DatasetLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code triage train}: fits a learned router and cascade scorer ({@link Trainer}) to a dataset's
 * recorded outcomes or to the ledger's rated requests, and writes the model file; {@code --show} prints
 * a model file's header. Exit codes: 0 done; 1 the ledger, the embedder or the disk failed on the way;
 * 2 nothing could start (bad arguments, a bad dataset or config, too little data, no embeddings module,
 * an output that cannot be written), and then nothing is written.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a learned router and cascade scorer on recorded outcomes and write it to a model file.",
                "  triage train --dataset FILE.jsonl --out router.bin",
                "  triage train --from-ledger [--config triage.yaml] [--since 90d | --from D --to D] --out router.bin",
                "  triage train --show router.bin [--format json]"})
final class TrainCommand implements Callable<Integer> {

    private static final String DEFAULT_SINCE = "90d";

    @Option(names = "--dataset", description = "learn from a routing-benchmark file (NAME.jsonl with NAME.json beside it)")
    Path dataset;

    @Option(names = "--from-ledger", description = "learn from the ledger's requests that have feedback (POST /v1/feedback) "
            + "and captured text (storage.capture_text)")
    boolean fromLedger;

    @Mixin
    ConfigOption config;

    @Mixin
    TrainingSettingsOptions settings;

    @Option(names = "--since", description = "with --from-ledger: requests of the last Nd days (with today) or Nh hours "
            + "(default: " + DEFAULT_SINCE + ")")
    String since;

    @Option(names = "--from", description = "with --from-ledger, instead of --since: an ISO date or instant")
    String from;

    @Option(names = "--to", description = "with --from-ledger: the end (a date is included whole; default: the end of today, UTC)")
    String to;

    @Option(names = "--models", split = ",", description = "learn only these models' outcomes (default: every model in the data)")
    List<String> models;

    @Option(names = "--out", description = "where to write the model file, e.g. router.bin (replaced atomically)")
    Path out;

    @Option(names = "--show", description = "print the header of this model file (what it was trained on, when, and its models)")
    Path show;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    /** Injected by tests; the real ones otherwise. */
    Clock clock = Clock.systemUTC();
    Map<String, String> env = System.getenv();
    PrintStream stdout = System.out;
    PrintStream err = System.err;
    /** Finds the embedder: the triage-embeddings module through ServiceLoader; tests hand in their own. */
    Supplier<Optional<Embedder>> embedders = Embedders::find;
    /** Whether stderr is a terminal (a progress bar) or not (terse lines); null detects it. */
    Boolean terminal;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) {
            return usage("--format must be table or json");
        }
        int modes = (dataset != null ? 1 : 0) + (fromLedger ? 1 : 0) + (show != null ? 1 : 0);
        if (modes != 1) {
            return usage("give one of --dataset FILE, --from-ledger or --show FILE");
        }
        if (show != null) {
            if (settings.given()) {
                return usage("--neighbours and --l2 are for training; --show prints the settings a model file was trained with");
            }
            return out != null ? usage("--out does not go with --show") : show();
        }
        if (out == null) {
            return usage("--out FILE is required: where to write the model (e.g. --out router.bin)");
        }
        if (!fromLedger && (config.given() || since != null || from != null || to != null)) {
            return usage("--config, --since, --from and --to go with --from-ledger");
        }
        if (since != null && (from != null || to != null)) {
            return usage("give --since or --from/--to, not both");
        }
        String unwritable = unwritable(out);
        if (unwritable != null) {
            return usage("cannot write " + out + ": " + unwritable + "; nothing was written");
        }
        Optional<Embedder> found;
        try {
            found = embedders.get();
        } catch (RuntimeException e) {
            err.println("triage train: the embeddings module failed to load: " + e.getMessage());
            return 1;
        }
        if (found.isEmpty()) {
            return usage("learned routing needs text embeddings, and no embedder is on the class path: run Triage with the "
                    + "triage-embeddings module (it registers dev.triage.embed.EmbedderProvider); nothing was written");
        }
        try (Embedder embedder = found.get()) {
            TrainingData data;
            try {
                data = dataset != null ? fromDataset() : fromLedger();
            } catch (TrainingData.TooLittle e) {
                return usage(e.getMessage() + "; nothing was written");
            } catch (Stop stop) {
                if (stop.getMessage() != null) {
                    err.println(stop.getMessage());
                }
                return stop.exit;
            }
            return train(embedder, data);
        }
    }

    /** Reading the data failed; the message (if any: the config loader prints its own) says why. */
    private static final class Stop extends RuntimeException {
        final int exit;

        Stop(int exit, String message) {
            super(message, null, false, false);
            this.exit = exit;
        }
    }

    private TrainingData fromDataset() {
        Dataset loaded;
        try {
            loaded = DatasetLoader.load(dataset);
        } catch (DatasetException e) {
            throw new Stop(2, e.getMessage()); // file:line: what is wrong, one problem a line
        }
        try {
            return TrainingData.fromDataset(loaded, sha256(dataset), models);
        } catch (IOException e) {
            throw new Stop(2, dataset + ": cannot be read: " + e.getMessage());
        }
    }

    private TrainingData fromLedger() {
        StorageConfig storage;
        try {
            // only storage: a learned route in the config may name the very file this command is about to write
            storage = config.given() ? ConfigLoader.loadStorage(config.file, env) : DefaultConfig.fromEnvironment(env).storage();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            throw new Stop(2, null);
        }
        ReportPeriod period;
        try {
            period = from != null || to != null ? ReportPeriod.parse(from, to, clock.instant())
                    : ReportPeriod.since(since != null ? since : DEFAULT_SINCE, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new Stop(2, "triage train: " + e.getMessage());
        }
        Path file = JdbcLedger.sqliteFile(storage.ledger()).orElse(null);
        if (file != null && !Files.exists(file)) {
            // Opening it would create an empty ledger and report that nothing was rated.
            throw new Stop(2, "triage train: there is no ledger at " + file + " (storage.ledger"
                    + (config.given() ? " in " + config.file : ", the default") + "); give the gateway's config with --config");
        }
        // No spool: a running gateway holds it, and reading needs none.
        try (JdbcLedger ledger = JdbcLedger.open(storage.ledger(),
                LedgerOptions.defaults().withCredentials(storage.ledgerUser(), storage.ledgerPassword()))) {
            FeedbackTexts rated = ledger.feedbackTexts(period);
            return TrainingData.fromLedger(rated, describeLedger(storage.ledger()), period, models);
        } catch (LedgerUnavailableException e) {
            throw new Stop(1, "triage train: " + e.getMessage());
        }
    }

    private int train(Embedder embedder, TrainingData data) {
        int n = data.examples().size();
        ProgressBar bar = terminal == null ? new ProgressBar(err, "triage train") : new ProgressBar(err, "triage train", terminal);
        if (!bar.terminal()) {
            err.printf(Locale.ROOT, "triage train: embedding %,d prompts with %s%n", n, embedder.id());
        }
        long started = System.nanoTime();
        AtomicLong embeddedAt = new AtomicLong(started);
        LearnedModel model;
        try {
            model = new Trainer(embedder, settings.settings(), clock).train(data.examples(), data.source(), done -> {
                bar.update(String.format(Locale.ROOT, "embedding %,d prompts", n), done / (double) n);
                if (done == n) {
                    // What follows (every prompt's nearest neighbours, then the heads) can take longer than embedding.
                    embeddedAt.set(System.nanoTime());
                    bar.update("fitting: nearest neighbours and heads", 1);
                    if (!bar.terminal()) {
                        err.printf(Locale.ROOT, "triage train: embedded in %.1f s; fitting%n", (embeddedAt.get() - started) / 1e9);
                    }
                }
            });
        } catch (RuntimeException e) {
            bar.clear();
            err.println("triage train: training failed: " + e.getMessage() + "; nothing was written");
            return 1;
        }
        bar.clear();
        long bytes;
        JsonNode header;
        try {
            ModelFile.write(model, out);
            bytes = Files.size(out);
            header = ModelFile.header(out);
        } catch (IOException | ModelFileException e) {
            err.println("triage train: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double embedding = (embeddedAt.get() - started) / 1e9;
        if (format.equals("json")) {
            stdout.println(ModelFileText.json(out, bytes, header));
        } else {
            stdout.printf(Locale.ROOT, "Trained on %,d examples in %.1f s (embedding %.1f s) and wrote %s%s%n%n", n, seconds,
                    embedding, out, data.skipped() == 0 ? ""
                            : String.format(Locale.ROOT, " (%,d left out: no outcome of the --models given)", data.skipped()));
            stdout.print(ModelFileText.table(out, bytes, header));
        }
        stdout.flush();
        return 0;
    }

    private int show() {
        if (!Files.isRegularFile(show)) {
            return usage("model file " + show + ": no such file");
        }
        try {
            JsonNode header = ModelFile.header(show);
            long bytes = Files.size(show);
            stdout.print(format.equals("json") ? ModelFileText.json(show, bytes, header) + "\n" : ModelFileText.table(show, bytes, header));
            stdout.flush();
            return 0;
        } catch (ModelFileException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return usage("model file " + show + ": cannot be read: " + e.getMessage());
        }
    }

    private int usage(String message) {
        err.println("triage train: " + message);
        return 2;
    }

    /** Why {@code file} cannot be written, or null: it must not be a directory, and its nearest existing folder must be a writable one. */
    static String unwritable(Path file) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            return "it is a directory";
        }
        for (Path dir = target.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    return dir + " is not a directory";
                }
                return Files.isWritable(dir) ? null : "the directory " + dir + " is not writable";
            }
        }
        return "no directory to write it in";
    }

    /** The ledger URL without its query (which may carry a password) or user info. */
    static String describeLedger(String url) {
        int q = url.indexOf('?');
        String bare = q < 0 ? url : url.substring(0, q);
        return Secrets.redact(bare.replaceFirst("//[^/@]*@", "//"));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
