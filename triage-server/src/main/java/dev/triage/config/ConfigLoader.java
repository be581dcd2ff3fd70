package dev.triage.config;

import dev.triage.caching.PromptCachePolicy;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.PromptCache;
import dev.triage.context.ContextSettings;
import dev.triage.embed.Embedder;
import dev.triage.http.BodyBudget;
import dev.triage.provider.Secrets;
import dev.triage.provider.simulated.SimulatedFactory;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.routing.RouteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads Triage's YAML config. Reading is all-or-nothing and has no side effects until it
 * succeeds: every problem in the file is collected and reported together in one
 * {@link ConfigException}, each as {@code FILE:LINE:COL: key.path: message}.
 *
 * <p>Learned routes and scorers read trained model files ({@code model_file:}, relative to the config
 * file's directory) and predict with an {@link Embedder}; the loader asks the supplier it is given for
 * one only when the config has such a route, so other configs never load the embeddings model. The
 * overloads without a supplier have no embedder: a learned route in them is an error.
 */
public final class ConfigLoader {

    /** No embedder: learned routes and scorers are refused. */
    public static final Supplier<Optional<Embedder>> NO_EMBEDDER = Optional::empty;

    private static final List<String> TOP_KEYS = List.of("server", "storage", "providers", "models", "resilience", "routes", "alerts",
            "prompt_cache", "cache");
    private static final List<String> PROMPT_CACHE_KEYS = List.of("enabled", "ttl", "off_for", "cache_aware_routing");
    private static final List<String> ALERT_KEYS = List.of("webhook_url", "thresholds_pct");
    private static final List<String> SERVER_KEYS = List.of("host", "port", "api_keys", "max_body_bytes",
            "request_timeout_ms", "stream_idle_timeout_ms", "shutdown_grace_ms", "max_body_heap_bytes", "allowed_hosts",
            "allowed_origins", "max_connections", "header_timeout_ms", "idle_timeout_ms");
    // A DNS name or IPv4 address, or an IPv6 address with or without brackets; never a port, scheme or path.
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");
    private static final Pattern ORIGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]+/?");
    private static final List<String> STORAGE_KEYS = List.of("ledger", "ledger_user", "ledger_password", "spool_dir",
            "spool_max_bytes", "spool_linger_ms", "capture_text", "redis", "redis_timeout_ms", "redis_outage",
            "responses_retention_days");
    private static final List<String> RESILIENCE_KEYS = List.of("max_retries", "backoff_initial_ms", "backoff_max_ms",
            "breaker_failure_threshold", "breaker_open_ms");
    private static final String BUILT_IN_DEFAULT = "default-config.yaml";
    private static final String BUILT_IN_LABEL = "(built-in " + BUILT_IN_DEFAULT + ")";

    private ConfigLoader() {
    }

    /** Reads {@code file}, substituting {@code ${NAME}} from {@code env} (usually {@code System.getenv()}). */
    public static TriageConfig load(Path file, Map<String, String> env) {
        return load(file, env, NO_EMBEDDER);
    }

    /**
     * As {@link #load(Path, Map)}; learned routes and scorers predict with {@code embedders.get()}, asked
     * at most once and only when the file has one.
     */
    public static TriageConfig load(Path file, Map<String, String> env, Supplier<Optional<Embedder>> embedders) {
        String yaml = readText(file);
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, file.toString(), env, PriceCatalog.builtIn(), UnaryOperator.identity(),
                new ModelFiles(dir == null ? Path.of("") : dir, embedders));
    }

    /**
     * Only the {@code storage:} section of {@code file}, checked as {@link #load} checks it; the rest is
     * not read. {@code triage train --from-ledger} needs no more, and must work before the model file a
     * learned route names exists: it is what that command writes.
     */
    public static StorageConfig loadStorage(Path file, Map<String, String> env) {
        String yaml = readText(file);
        String sourceName = file.toString();
        ReadContext ctx = new ReadContext(sourceName, new EnvSubstitution(env));
        Optional<Node> root = compose(yaml, sourceName);
        StorageConfig storage = storage(Mapping.of(root.orElse(null), root.orElse(null), "", ctx).mapping("storage"));
        if (ctx.failed()) {
            throw new ConfigException(ctx.errors());
        }
        return storage;
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (CharacterCodingException e) {
            throw unreadable(file, "not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<Node> compose(String yaml, String sourceName) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(sourceName).setSchema(new CoreSchema()).build();
            return new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            throw new ConfigException(List.of(syntaxError(sourceName, e)));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(new ConfigError(sourceName, 0, 0, "", Secrets.redact(e.getMessage()))));
        }
    }

    /** Reads YAML text; {@code sourceName} is the file name used in error messages. */
    public static TriageConfig parse(String yaml, String sourceName, Map<String, String> env) {
        return parse(yaml, sourceName, env, PriceCatalog.builtIn());
    }

    /**
     * As {@link #parse(String, String, Map)}, with model files resolved against {@code baseDir} and
     * learned routes predicting with {@code embedders.get()} (asked only when a route needs it).
     */
    public static TriageConfig parse(String yaml, String sourceName, Map<String, String> env, Path baseDir,
                                     Supplier<Optional<Embedder>> embedders) {
        return parse(yaml, sourceName, env, PriceCatalog.builtIn(), UnaryOperator.identity(), new ModelFiles(baseDir, embedders));
    }

    /** {@link #parse(String, String, Map)} against another base catalog than the bundled one. */
    public static TriageConfig parse(String yaml, String sourceName, Map<String, String> env, PriceCatalog bundled) {
        return parse(yaml, sourceName, env, bundled, UnaryOperator.identity(), new ModelFiles(Path.of(""), NO_EMBEDDER));
    }

    /** @param providerSwap replaces the providers read before models and routes are checked against them */
    private static TriageConfig parse(String yaml, String sourceName, Map<String, String> env, PriceCatalog bundled,
                                      UnaryOperator<Map<String, ProviderConfig>> providerSwap, ModelFiles modelFiles) {
        ReadContext ctx = new ReadContext(sourceName, new EnvSubstitution(env));
        Optional<Node> root = compose(yaml, sourceName);
        Mapping top = Mapping.of(root.orElse(null), root.orElse(null), "", ctx);
        TriageConfig config = read(top, bundled, providerSwap, modelFiles, ctx);
        if (ctx.failed()) {
            throw new ConfigException(ctx.errors());
        }
        registerSecrets(config);
        return config.withWarnings(ctx.warnings());
    }

    /**
     * The config Triage uses when started without one: every default, plus the OpenAI, Anthropic and
     * Google providers, each enabled only when its {@code *_API_KEY} variable is set.
     */
    public static TriageConfig builtInDefault(Map<String, String> env) {
        return parse(builtInDefaultYaml(), BUILT_IN_LABEL, env);
    }

    /**
     * The built-in default with each of its providers replaced by a {@code simulated} one of the same
     * name behaving as {@code simulation}: the same models and routes, answered offline.
     */
    public static TriageConfig builtInSimulated(SimulatedProvider.Settings simulation) {
        return parse(builtInDefaultYaml(), BUILT_IN_LABEL, Map.of(), PriceCatalog.builtIn(), read -> {
            Map<String, ProviderConfig> simulated = new LinkedHashMap<>();
            read.keySet().forEach(name -> simulated.put(name,
                    new ProviderConfig(name, new SimulatedFactory(), null, null, Map.of(), SimulatedFactory.options(simulation), null)));
            return simulated;
        }, new ModelFiles(Path.of(""), NO_EMBEDDER));
    }

    private static String builtInDefaultYaml() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(BUILT_IN_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_DEFAULT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TriageConfig read(Mapping top, PriceCatalog bundled, UnaryOperator<Map<String, ProviderConfig>> providerSwap,
                                     ModelFiles modelFiles, ReadContext ctx) {
        top.allowOnly(TOP_KEYS);
        Mapping providerSection = top.mapping("providers");
        Map<String, ProviderConfig> providers = providerSwap.apply(ProviderReader.read(providerSection, ctx));
        Map<String, ModelConfig> models = ModelReader.read(top.mapping("models"), providerSection.keys(), bundled, ctx);
        Map<String, RouteSpec> routes = RouteReader.read(top.mapping("routes"), models, bundled, providers, modelFiles, ctx);
        return new TriageConfig(server(top.mapping("server"), ctx), storage(top.mapping("storage")), providers, models,
                resilience(top.mapping("resilience")), routes, alerts(top.mapping("alerts"), ctx),
                promptCache(top.mapping("prompt_cache"), routes.keySet(), models.keySet(), bundled, ctx),
                contexts(top.mapping("routes"), routes.keySet(), models.keySet(), bundled),
                ResponseCacheReader.read(top.mapping("cache"), top.mapping("routes"), routes.keySet()));
    }

    private static final List<String> CONTEXT_KEYS = List.of("share", "compact_after_tokens", "keep_last_turns", "summarizer",
            "experiment");

    /** Each route's {@code context: {share, compact_after_tokens, keep_last_turns, summarizer, experiment}}. */
    private static Map<String, ContextSettings> contexts(Mapping routes, java.util.Set<String> routeNames,
                                                         java.util.Set<String> models, PriceCatalog bundled) {
        Map<String, ContextSettings> out = new LinkedHashMap<>();
        for (String name : routes.keys()) {
            if (!routeNames.contains(name) || !(routes.valueNode(name) instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
                continue;
            }
            Mapping r = routes.mapping(name);
            if (r.keyNode(RouteReader.CONTEXT_KEY) == null) {
                continue;
            }
            Mapping c = r.mapping(RouteReader.CONTEXT_KEY);
            c.allowOnly(CONTEXT_KEYS);
            if (!c.bool("share").orElse(false)) {
                if (!c.has("share")) {
                    c.missing("share", "true to share context across models on this route");
                }
                continue;
            }
            String summarizer = c.text("summarizer").map(String::strip).orElse(null);
            if (summarizer == null) {
                c.missing("summarizer", "the model that writes the shared context, a cheap one such as gpt-4.1-mini");
                continue;
            }
            if (!models.contains(summarizer) && bundled.find(summarizer).isEmpty()) {
                c.error("summarizer", "'" + summarizer + "' is not a model in the catalog or under models:");
                continue;
            }
            int after = c.integer("compact_after_tokens", 1, 10_000_000).map(Long::intValue)
                    .orElse(ContextSettings.DEFAULT_COMPACT_AFTER_TOKENS);
            int keep = c.integer("keep_last_turns", 1, 1_000).map(Long::intValue).orElse(ContextSettings.DEFAULT_KEEP_LAST_TURNS);
            double experiment = c.fraction("experiment").orElse(1.0);
            out.put(name, new ContextSettings(after, keep, summarizer, experiment));
        }
        return out;
    }

    /** {@code prompt_cache: {enabled, ttl, off_for, cache_aware_routing}}; {@code off_for} names routes or models. */
    private static PromptCachePolicy promptCache(Mapping c, java.util.Set<String> routes, java.util.Set<String> models,
                                                 PriceCatalog bundled, ReadContext ctx) {
        c.allowOnly(PROMPT_CACHE_KEYS);
        boolean enabled = c.bool("enabled").orElse(true);
        PromptCache.Ttl ttl = PromptCache.Ttl.FIVE_MINUTES;
        Optional<String> ttlText = c.text("ttl").map(String::strip);
        if (ttlText.isPresent()) {
            try {
                ttl = PromptCache.Ttl.parse(ttlText.get());
            } catch (IllegalArgumentException e) {
                c.error("ttl", "expected 5m or 1h (Anthropic's two cache lifetimes)");
            }
        }
        java.util.Set<String> off = new java.util.LinkedHashSet<>();
        for (Mapping.Item item : c.items("off_for").orElse(List.of())) {
            String name = item.text().strip();
            if (!routes.contains(name) && !models.contains(name) && bundled.find(name).isEmpty()) {
                ctx.error(item.node(), item.path(), "'" + name + "' is not a route or a model" + DidYouMean.hint(name, routes));
            } else {
                off.add(name);
            }
        }
        return new PromptCachePolicy(enabled, ttl, off, c.bool("cache_aware_routing").orElse(true));
    }

    private static ServerConfig server(Mapping s, ReadContext ctx) {
        s.allowOnly(SERVER_KEYS);
        ServerConfig d = ServerConfig.defaults();
        String host = s.text("host").orElse(d.host());
        if (host.isBlank()) {
            s.error("host", "cannot be empty");
        }
        List<String> keys = new ArrayList<>();
        s.items("api_keys").ifPresent(items -> items.forEach(item -> {
            String key = item.text().strip();
            if (key.isEmpty()) {
                ctx.error(item.node(), item.path(), "an API key cannot be empty");
            } else if (key.length() < ServerConfig.MIN_API_KEY_CHARS) {
                // The key itself is not echoed: it is a secret even when it is a bad one.
                ctx.error(item.node(), item.path(), "an API key must have at least " + ServerConfig.MIN_API_KEY_CHARS
                        + " characters, this one has " + key.length());
            } else {
                keys.add(key);
            }
        }));
        long maxBodyBytes = s.integer("max_body_bytes", 1, Integer.MAX_VALUE).orElse(d.maxBodyBytes());
        long oneBody = BodyBudget.charge(maxBodyBytes);
        long bodyHeap = s.integer("max_body_heap_bytes", 1, Long.MAX_VALUE).orElse(ServerConfig.defaultMaxBodyHeapBytes(
                maxBodyBytes, Runtime.getRuntime().maxMemory()));
        if (bodyHeap < oneBody) {
            s.error("max_body_heap_bytes", "must be at least " + BodyBudget.HEAP_PER_BODY_BYTE + " x max_body_bytes = " + oneBody
                    + " (what one body of the largest size claims), got " + bodyHeap);
        }
        List<String> hosts = new ArrayList<>();
        s.items("allowed_hosts").ifPresent(items -> items.forEach(item -> {
            if (HOST_NAME.matcher(item.text().strip()).matches()) {
                hosts.add(item.text().strip());
            } else {
                ctx.error(item.node(), item.path(), "expected a host name or IP address without scheme, port or path"
                        + " (any port is accepted), got '" + item.text() + "'");
            }
        }));
        List<String> origins = new ArrayList<>();
        s.items("allowed_origins").ifPresent(items -> items.forEach(item -> {
            if (ORIGIN.matcher(item.text().strip()).matches()) {
                origins.add(item.text().strip());
            } else {
                ctx.error(item.node(), item.path(), "expected an origin such as https://app.example.com or http://localhost:3000"
                        + " (scheme, host and port, no path; '*' and 'null' are not accepted), got '" + item.text() + "'");
            }
        }));
        return new ServerConfig(host.strip(), s.integer("port", 0, 65535).map(Long::intValue).orElse(d.port()), keys,
                maxBodyBytes, s.millis("request_timeout_ms", 1).orElse(d.requestTimeout()),
                s.millis("stream_idle_timeout_ms", 1).orElse(d.streamIdleTimeout()),
                s.millis("shutdown_grace_ms", 0).orElse(d.shutdownGrace()), bodyHeap, hosts, origins,
                s.integer("max_connections", 1, 1_000_000).map(Long::intValue).orElse(d.maxConnections()),
                s.millis("header_timeout_ms", 1).orElse(d.headerTimeout()),
                s.millis("idle_timeout_ms", 1).orElse(d.idleTimeout()));
    }

    private static StorageConfig storage(Mapping s) {
        s.allowOnly(STORAGE_KEYS);
        String ledger = s.text("ledger").map(String::strip).orElse(StorageConfig.DEFAULT_LEDGER);
        boolean known = ledger.startsWith("sqlite:") || ledger.startsWith("jdbc:sqlite:") || ledger.startsWith("jdbc:postgresql:");
        if (!known || ledger.endsWith(":")) {
            // Not echoed: a JDBC URL may carry a password.
            s.error("ledger", "expected sqlite:PATH or a jdbc:postgresql://HOST/DATABASE URL");
        }
        String spoolDir = s.text("spool_dir").map(String::strip).orElse(null);
        if (spoolDir != null && spoolDir.isEmpty()) {
            s.error("spool_dir", "cannot be empty; leave it out for the default");
            spoolDir = null;
        }
        long spoolMaxBytes = s.integer("spool_max_bytes", 0, Long.MAX_VALUE).orElse(StorageConfig.DEFAULT_SPOOL_MAX_BYTES);
        if (spoolMaxBytes > 0 && spoolMaxBytes < StorageConfig.MIN_SPOOL_MAX_BYTES) {
            s.error("spool_max_bytes", "must be 0 (no spool) or at least " + StorageConfig.MIN_SPOOL_MAX_BYTES
                    + " (1 MiB), got " + spoolMaxBytes);
        }
        StorageConfig out = new StorageConfig(ledger, s.text("ledger_user").orElse(null), s.text("ledger_password").orElse(null),
                spoolDir, spoolMaxBytes,
                s.integer("spool_linger_ms", 0, StorageConfig.MAX_SPOOL_LINGER_MS).map(Duration::ofMillis)
                        .orElse(StorageConfig.DEFAULT_SPOOL_LINGER),
                s.bool("capture_text").orElse(false), redis(s),
                s.millis("redis_timeout_ms", 1).orElse(StorageConfig.DEFAULT_REDIS_TIMEOUT), redisOutage(s),
                s.integer("responses_retention_days", 1, StorageConfig.MAX_RESPONSES_RETENTION_DAYS).map(Duration::ofDays)
                        .orElse(StorageConfig.DEFAULT_RESPONSES_RETENTION));
        for (String key : List.of("redis_timeout_ms", "redis_outage")) {
            if (out.redis() == null && s.keyNode(key) != null) {
                s.error(key, "applies only with storage.redis");
            }
        }
        if (out.ledgerIsSqlite()) {
            for (String key : List.of("ledger_user", "ledger_password")) {
                if (s.keyNode(key) != null) {
                    s.error(key, "'" + key + "' applies only to a PostgreSQL ledger");
                }
            }
        }
        return out;
    }

    /** {@code storage.redis_outage}: fail_closed (the default) or allow_local. */
    private static StorageConfig.RedisOutage redisOutage(Mapping s) {
        List<String> names = Arrays.stream(StorageConfig.RedisOutage.values()).map(StorageConfig.RedisOutage::wireName).toList();
        if (!s.has("redis_outage")) {
            if (s.keyNode("redis_outage") != null) {
                s.error("redis_outage", "expected one of " + String.join(", ", names));
            }
            return StorageConfig.RedisOutage.FAIL_CLOSED;
        }
        String name = s.text("redis_outage").map(String::strip).orElse(null);
        if (name == null) {
            return StorageConfig.RedisOutage.FAIL_CLOSED;
        }
        for (StorageConfig.RedisOutage o : StorageConfig.RedisOutage.values()) {
            if (o.wireName().equals(name)) {
                return o;
            }
        }
        s.error("redis_outage", "unknown value '" + name + "' (expected one of " + String.join(", ", names) + ")"
                + DidYouMean.hint(name, names));
        return StorageConfig.RedisOutage.FAIL_CLOSED;
    }

    private static final String REDIS_FORM = "expected redis://HOST[:PORT][/DB] or rediss://HOST[:PORT][/DB], e.g."
            + " redis://127.0.0.1:6379/0 (a password goes before the host, after ':')";

    /** {@code storage.redis}: a redis:// or rediss:// URI with a host; not echoed in errors (it may carry a password). */
    private static String redis(Mapping s) {
        String uri = s.text("redis").map(String::strip).orElse(null);
        if (uri == null) {
            return null;
        }
        try {
            java.net.URI parsed = new java.net.URI(uri);
            String path = parsed.getPath() == null ? "" : parsed.getPath();
            if (!("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme())) || parsed.getHost() == null
                    || !path.matches("(/\\d{1,2})?/?")) {
                s.error("redis", REDIS_FORM);
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            s.error("redis", REDIS_FORM);
            return null;
        }
        return uri;
    }

    /** {@code alerts: {webhook_url: URL, thresholds_pct: [80, 100]}}; the URL is never echoed (it may hold a token). */
    private static AlertsConfig alerts(Mapping a, ReadContext ctx) {
        a.allowOnly(ALERT_KEYS);
        String url = a.text("webhook_url").map(String::strip).orElse(null);
        if (url != null) {
            try {
                java.net.URI u = new java.net.URI(url);
                if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                    a.error("webhook_url", "expected an http:// or https:// URL");
                    url = null;
                }
            } catch (java.net.URISyntaxException e) {
                a.error("webhook_url", "expected an http:// or https:// URL");
                url = null;
            }
        }
        List<Integer> thresholds = new ArrayList<>();
        Optional<List<Mapping.Item>> items = a.items("thresholds_pct");
        for (Mapping.Item item : items.orElse(List.of())) {
            String text = item.text().strip();
            int pct = text.matches("\\d{1,4}") ? Integer.parseInt(text) : -1;
            if (pct < 1 || pct > 1000) {
                ctx.error(item.node(), item.path(), "expected a percentage from 1 to 1000, got '" + text + "'");
            } else if (thresholds.contains(pct)) {
                ctx.error(item.node(), item.path(), pct + " is already a threshold");
            } else {
                thresholds.add(pct);
            }
        }
        if (items.isPresent() && items.get().isEmpty()) {
            a.error("thresholds_pct", "give at least one percentage, e.g. [80, 100], or leave the key out");
        }
        if (url == null && a.keyNode("thresholds_pct") != null && a.keyNode("webhook_url") == null) {
            a.error("thresholds_pct", "applies only with alerts.webhook_url");
        }
        return new AlertsConfig(url, items.isPresent() && !thresholds.isEmpty() ? thresholds.stream().sorted().toList()
                : AlertsConfig.DEFAULT_THRESHOLDS);
    }

    private static ResilienceConfig resilience(Mapping r) {
        r.allowOnly(RESILIENCE_KEYS);
        ResilienceConfig d = ResilienceConfig.defaults();
        ResilienceConfig out = new ResilienceConfig(
                r.integer("max_retries", 0, 100).map(Long::intValue).orElse(d.maxRetries()),
                r.millis("backoff_initial_ms", 0).orElse(d.backoffInitial()),
                r.millis("backoff_max_ms", 0).orElse(d.backoffMax()),
                r.integer("breaker_failure_threshold", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(d.breakerFailureThreshold()),
                r.millis("breaker_open_ms", 1).orElse(d.breakerOpen()));
        if (out.backoffMax().compareTo(out.backoffInitial()) < 0) {
            r.error(r.keyNode("backoff_max_ms") != null ? "backoff_max_ms" : "backoff_initial_ms",
                    "backoff_max_ms (" + out.backoffMax().toMillis() + ") is less than backoff_initial_ms ("
                            + out.backoffInitial().toMillis() + ")");
        }
        return out;
    }

    private static ConfigError syntaxError(String source, MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
        String message = (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem();
        return new ConfigError(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                "", "YAML syntax: " + Secrets.redact(message));
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "", why)));
    }

    // So that a key echoed by an upstream or a stack trace never reaches a log or an error body.
    private static void registerSecrets(TriageConfig config) {
        config.server().apiKeys().forEach(Secrets::register);
        config.providers().values().forEach(p -> {
            Secrets.register(p.apiKey());
            p.headers().values().forEach(Secrets::register);
        });
        Secrets.register(config.storage().ledgerPassword());
        Secrets.register(config.alerts().webhookUrl());
        if (config.storage().redis() != null) {
            // redis://user:password@host or redis://:password@host
            String userInfo = java.net.URI.create(config.storage().redis()).getUserInfo();
            if (userInfo != null) {
                Secrets.register(userInfo.substring(userInfo.indexOf(':') + 1));
            }
        }
    }
}
