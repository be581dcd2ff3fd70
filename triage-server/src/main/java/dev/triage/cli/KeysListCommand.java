package dev.triage.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.keys.KeyStore;
import dev.triage.keys.VirtualKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage keys list}: every key with what it may do and whether it works; never a secret. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the keys (revoked and expired ones too) with their limits and status; never a secret.")
final class KeysListCommand extends KeysSubcommand {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> HEADER = List.of("NAME", "TEAM", "PREFIX", "BUDGET", "MODELS", "ROUTES", "RPM", "TPM",
            "EXPIRES", "CREATED", "STATUS");

    @Option(names = "--json", description = "print the keys as a JSON array")
    boolean json;

    @Override
    int run() {
        Instant now = clock.instant();
        List<VirtualKey> keys = onKeys(KeyStore::list);
        if (json) {
            out.println(json(keys, now));
        } else if (keys.isEmpty()) {
            out.println("No virtual keys yet: create one with triage keys create.");
        } else {
            out.print(table(keys, now));
        }
        return 0;
    }

    static String status(VirtualKey key, Instant now) {
        return key.revokedAt() != null ? "revoked" : key.active(now) ? "active" : "expired";
    }

    /** Sorted and comma-separated, or {@code none} when empty. */
    static String names(Set<String> names, String none) {
        return names.isEmpty() ? none : String.join(",", new TreeSet<>(names));
    }

    static String table(List<VirtualKey> keys, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (VirtualKey k : keys) {
            boolean any = k.models().isEmpty() && k.routes().isEmpty();
            rows.add(List.of(k.name(), orDash(k.team()), k.prefix() == null ? "-" : k.prefix() + "…",
                    k.budget() == null ? "-" : k.budget() + "/" + k.period().wireName(),
                    any ? "any" : names(k.models(), "-"), any ? "any" : names(k.routes(), "-"), orDash(k.rpm()),
                    orDash(k.tpm()), orDash(seconds(k.expiresAt())), seconds(k.createdAt()), status(k, now)));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    static String json(List<VirtualKey> keys, Instant now) {
        ArrayNode array = JSON.createArrayNode();
        for (VirtualKey k : keys) {
            ObjectNode o = array.addObject();
            o.put("name", k.name());
            o.put("team", k.team());
            o.put("prefix", k.prefix());
            o.put("budget_usd", k.budget() == null ? null : k.budget().usd());
            o.put("period", k.period().wireName());
            strings(o.putArray("models"), k.models());
            strings(o.putArray("routes"), k.routes());
            o.put("rpm", k.rpm());
            o.put("tpm", k.tpm());
            o.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
            o.put("created_at", k.createdAt().toString());
            o.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
            o.put("status", status(k, now));
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of keys always serialises", e);
        }
    }

    private static void strings(ArrayNode into, Collection<String> values) {
        new TreeSet<>(values).forEach(into::add);
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
