package dev.triage.app;

import java.nio.file.Path;
import mockwebserver3.MockWebServer;

/** The YAML sections that test gateways share, so that each test's config shows only what the test is about. */
final class GatewayYaml {

    private GatewayYaml() {
    }

    /** {@code server:} on 127.0.0.1 at a free port. */
    static String server() {
        return server("");
    }

    /** {@code server:} on 127.0.0.1 at a free port, with more keys, e.g. {@code ", shutdown_grace_ms: 300"}. */
    static String server(String extra) {
        return "server: {host: 127.0.0.1, port: 0" + extra + "}\n";
    }

    /** {@code storage:} with a SQLite ledger ({@code ledger.db}) and its spool ({@code spool}) in {@code dir}. */
    static String sqliteStorage(Path dir) {
        return storage("sqlite:" + dir.resolve("ledger.db"), dir.resolve("spool"));
    }

    /** {@code storage:} with the ledger at {@code ledgerUrl} and the spool in {@code spoolDir}. */
    static String storage(String ledgerUrl, Path spoolDir) {
        return "storage: {ledger: \"" + ledgerUrl + "\", spool_dir: \"" + spoolDir + "\"}\n";
    }

    /** {@code providers:} and {@code models:}: {@code fast} (gpt-4o-mini, $1/$2 per 1M tokens) on the OpenAI-compatible {@code up}. */
    static String fastFrom(String baseUrl) {
        return """
                providers:
                  up: {kind: openai, base_url: "%s", api_key: "sk-test-0123456789abcdef"}
                models:
                  fast: {provider: up, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2}
                """.formatted(baseUrl);
    }

    /** The {@code base_url} of a fake OpenAI upstream: its {@code /v1}. */
    static String baseUrl(MockWebServer upstream) {
        return upstream.url("/v1").toString().replaceAll("/$", "");
    }

    /** {@code routes:} with {@code tiered} (UTC): high and medium on {@code steady}, low on {@code fast}, at these daily USD budgets. */
    static String tieredRoute(String high, String medium, String low) {
        return """
                routes:
                  tiered:
                    policy: tiered
                    time_zone: UTC
                    tiers:
                      high:   {models: [steady], daily_budget_usd: %s}
                      medium: {models: [steady], daily_budget_usd: %s}
                      low:    {models: [fast],   daily_budget_usd: %s}
                """.formatted(high, medium, low);
    }
}
