package dev.triage.responsecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The SHA-256 of a request in canonical form: object keys sorted, numbers by value ({@code 1} and
 * {@code 1.0} are one temperature), every string length-prefixed so no two different requests can
 * serialise alike. Two requests with the same digest ask exactly the same question with the same
 * parameters; a different parameter, tool, tool choice or message changes it.
 *
 * <p>Only the fields that cannot change the answer are left out ({@link #IGNORED}): whether it is
 * streamed, and the end user's id (OpenAI's {@code user} is for abuse monitoring; the cache is shared
 * within a tenant, never across tenants, which the caller puts first).
 */
public final class RequestDigest {

    /** Body fields that do not change what the model answers. */
    static final Set<String> IGNORED = Set.of("stream", "stream_options", "user");

    private static final byte OBJECT = 'o';
    private static final byte ARRAY = 'a';
    private static final byte STRING = 's';
    private static final byte NUMBER = 'n';
    private static final byte TRUE = 't';
    private static final byte FALSE = 'f';
    private static final byte NULL = 'z';
    private static final byte END = 'e';

    private final MessageDigest sha;

    private RequestDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A digest over {@code parts} (tenant, route, hints…), then the body without {@code skip}ped top-level fields. */
    static String of(List<String> parts, ObjectNode body, Set<String> skip) {
        RequestDigest d = new RequestDigest();
        for (String part : parts) {
            d.string(part == null ? "" : part);
        }
        d.object(body, skip);
        return HexFormat.of().formatHex(d.sha.digest());
    }

    /** A digest of plain text parts only. */
    static String ofParts(List<String> parts) {
        RequestDigest d = new RequestDigest();
        for (String part : parts) {
            d.string(part == null ? "" : part);
        }
        return HexFormat.of().formatHex(d.sha.digest());
    }

    private void node(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> object((ObjectNode) n, Set.of());
            case ARRAY -> {
                sha.update(ARRAY);
                for (JsonNode item : (ArrayNode) n) {
                    node(item);
                }
                sha.update(END);
            }
            case STRING -> {
                sha.update(STRING);
                string(n.textValue());
            }
            case NUMBER -> {
                sha.update(NUMBER);
                BigDecimal value = n.decimalValue();
                string(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
            }
            case BOOLEAN -> sha.update(n.booleanValue() ? TRUE : FALSE);
            default -> sha.update(NULL);
        }
    }

    private void object(ObjectNode o, Set<String> skip) {
        sha.update(OBJECT);
        List<String> names = new ArrayList<>(o.size());
        o.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        for (String name : names) {
            if (!skip.contains(name)) {
                string(name);
                node(o.get(name));
            }
        }
        sha.update(END);
    }

    private void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        sha.update((byte) (n >>> 24));
        sha.update((byte) (n >>> 16));
        sha.update((byte) (n >>> 8));
        sha.update((byte) n);
        sha.update(bytes);
    }
}
