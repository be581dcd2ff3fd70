package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.keys.KeySecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage keys create | list | revoke | rotate} against a SQLite ledger in a temporary directory. */
class KeysCommandTest {

    @TempDir
    Path dir;
    private String config;

    @BeforeEach
    void writeConfig() throws Exception {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, """
                storage: {ledger: "sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  cheap: {provider: sim, input_per_mtok: 0.1, output_per_mtok: 0.4}
                routes:
                  thrifty: {policy: cheapest, models: [cheap]}
                """.formatted(dir.resolve("ledger.db")));
        config = file.toString();
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.getLast();
    }

    @Test
    void createPrintsTheKeyAloneOnTheLastLineAndListNeverShowsIt() throws Exception {
        CliRun created = CliRun.of("keys", "create", "--config", config, "--name", "checkout", "--team", "growth", "--budget-usd", "2.5",
                "--period", "month", "--models", "cheap", "--routes", "thrifty", "--rpm", "60", "--tpm", "10000", "--expires", "2099-01-01");
        assertThat(created.exit()).as(created.err()).isZero();
        String key = lastLine(created.out());
        assertThat(KeySecrets.idOf(key)).isPresent();
        assertThat(created.out()).contains("created key 'checkout' (" + KeySecrets.visiblePrefix(key) + "…)")
                .contains("$2.5/month, routes thrifty, models cheap, 60 rpm, 10000 tpm, expires 2099-01-01T00:00:00Z");

        CliRun list = CliRun.of("keys", "list", "--config", config);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("checkout").contains("active").contains(KeySecrets.visiblePrefix(key) + "…").doesNotContain(key);
        CliRun json = CliRun.of("keys", "list", "--config", config, "--json");
        JsonNode k = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(k.get("name").asText()).isEqualTo("checkout");
        assertThat(k.get("team").asText()).isEqualTo("growth");
        assertThat(k.get("budget_usd").asText()).isEqualTo("2.5");
        assertThat(k.get("status").asText()).isEqualTo("active");
        assertThat(json.out()).doesNotContain(key);
        assertThat(dump()).doesNotContain(key).doesNotContain(key.substring(12));
    }

    @Test
    void revokeAndRotate() {
        CliRun created = CliRun.of("keys", "create", "--config", config, "--name", "app");
        String first = lastLine(created.out());
        CliRun rotated = CliRun.of("keys", "rotate", "--config", config, "app", "--grace-minutes", "5");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String second = lastLine(rotated.out());
        assertThat(KeySecrets.idOf(second)).isPresent();
        assertThat(second).isNotEqualTo(first);
        assertThat(rotated.out()).contains("the old secret works for 5 more minutes");

        CliRun revoked = CliRun.of("keys", "revoke", "--config", config, "app");
        assertThat(revoked.exit()).isZero();
        assertThat(CliRun.of("keys", "list", "--config", config).out()).contains("revoked");
        CliRun again = CliRun.of("keys", "revoke", "--config", config, "app");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("no active key named 'app'");
        assertThat(CliRun.of("keys", "rotate", "--config", config, "nobody").exit()).isEqualTo(2);
    }

    @Test
    void badInputIsOneClearLineAndStoresNothing() {
        String[][] bad = {
                {"--name", "bad name"},
                {"--name", "x", "--budget-usd", "-1"},
                {"--name", "x", "--budget-usd", "0.0000001"},
                {"--name", "x", "--period", "week"},
                {"--name", "x", "--models", "gpt-9"},
                {"--name", "x", "--routes", "nowhere"},
                {"--name", "x", "--rpm", "0"},
                {"--name", "x", "--expires", "2001-01-01"},
                {"--name", "x", "--expires", "soon"},
        };
        String[] expected = {"name", "--budget-usd", "--budget-usd", "expected day or month", "unknown model 'gpt-9'",
                "unknown route 'nowhere'", "rpm and tpm are at least 1", "--expires must be in the future", "--expires must be an ISO date"};
        for (int i = 0; i < bad.length; i++) {
            String[] args = new String[4 + bad[i].length];
            args[0] = "keys";
            args[1] = "create";
            args[2] = "--config";
            args[3] = config;
            System.arraycopy(bad[i], 0, args, 4, bad[i].length);
            CliRun r = CliRun.of(args);
            assertThat(r.exit()).as(String.join(" ", bad[i])).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", bad[i])).contains(expected[i]);
            assertThat(r.out()).isEmpty();
        }
        CliRun.of("keys", "create", "--config", config, "--name", "dup");
        CliRun dup = CliRun.of("keys", "create", "--config", config, "--name", "dup");
        assertThat(dup.exit()).isEqualTo(2);
        assertThat(CliRun.of("keys", "list", "--config", config, "--json").out()).doesNotContain("\"x\"");
    }

    /** Every column of every row of every table, as text. */
    private String dump() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
             Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            List<String> names = new java.util.ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String t : names) {
                try (Statement q = c.createStatement(); ResultSet rows = q.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= n; i++) {
                            all.append(rows.getString(i)).append('|');
                        }
                    }
                }
            }
        }
        return all.toString();
    }
}
