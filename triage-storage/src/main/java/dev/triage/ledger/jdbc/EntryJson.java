package dev.triage.ledger.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One ledger entry as one line of JSON in the spool, keyed by the column names of {@code ledger_attempts}
 * so that {@code jq} on a spool file reads like the table. {@code "v"} versions the format. A captured
 * text is a line with {@code "kind": "text"} keyed by the columns of {@code ledger_texts}; entry lines
 * carry no kind, so spools written before texts existed read the same.
 */
final class EntryJson {

    private static final int VERSION = 1;
    private static final String TEXT = "text";
    private static final String CACHE = "cache";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private EntryJson() {
    }

    /** The record as UTF-8 JSON followed by a newline; JSON escapes every newline inside strings. */
    static byte[] encode(LedgerRecord record) {
        return switch (record) {
            case LedgerEntry e -> encode(e);
            case CapturedText t -> encode(t);
            case CacheLookup c -> encode(c);
        };
    }

    private static byte[] encode(CacheLookup c) {
        return line(384, g -> {
            g.writeStringField("kind", CACHE);
            g.writeStringField("request_id", c.requestId());
            g.writeStringField("route", c.route());
            g.writeStringField("model", c.model());
            g.writeStringField("outcome", c.outcome());
            g.writeNumberField("saved_picousd", c.saved().picos());
            g.writeStringField("source_request_id", c.sourceRequestId());
            g.writeBooleanField("stream", c.stream());
            g.writeStringField("user_id", c.user());
            g.writeStringField("api_key", c.apiKey());
            g.writeStringField("created_at", c.time().toString());
        });
    }

    private static byte[] encode(CapturedText t) {
        return line(256 + t.prompt().length() + (t.answer() == null ? 0 : t.answer().length()), g -> {
            g.writeStringField("kind", TEXT);
            g.writeStringField("request_id", t.requestId());
            g.writeStringField("route", t.route());
            g.writeStringField("model", t.model());
            g.writeStringField("prompt", t.prompt());
            g.writeStringField("answer", t.answer());
            g.writeStringField("finish_reason", t.finishReason());
            g.writeStringField("created_at", t.time().toString());
        });
    }

    private static byte[] encode(LedgerEntry e) {
        Usage u = e.usage();
        return line(512, g -> {
            g.writeStringField("request_id", e.requestId());
            g.writeNumberField("attempt", e.attempt());
            g.writeStringField("route", e.route());
            g.writeStringField("model", e.model());
            g.writeStringField("provider", e.provider());
            g.writeNumberField("input_tokens", u.inputTokens());
            g.writeNumberField("output_tokens", u.outputTokens());
            g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
            g.writeNumberField("cache_write_tokens", u.cacheWriteTokens());
            g.writeNumberField("reasoning_tokens", u.reasoningTokens());
            g.writeBooleanField("usage_estimated", u.estimated());
            g.writeNumberField("cost_picousd", e.cost().picos());
            g.writeNumberField("cache_saving_picousd", e.cacheSaving().picos());
            g.writeNumberField("latency_ms", e.latencyMs());
            if (e.ttftMs() == null) {
                g.writeNullField("ttft_ms");
            } else {
                g.writeNumberField("ttft_ms", e.ttftMs());
            }
            g.writeStringField("status", e.status().name());
            g.writeStringField("error_kind", e.errorKind());
            g.writeNumberField("http_status", e.httpStatus());
            g.writeBooleanField("stream", e.stream());
            g.writeStringField("user_id", e.user());
            g.writeStringField("task", e.task());
            g.writeStringField("tier", e.tier());
            g.writeStringField("step", e.step());
            g.writeStringField("decision", e.decision());
            if (e.apiKey() != null) {
                g.writeStringField("api_key", e.apiKey());
            }
            if (e.contextArm() != null) {
                g.writeStringField("context_arm", e.contextArm());
            }
            g.writeStringField("created_at", e.time().toString());
        });
    }

    /** Fields written by {@code fields} into one JSON object after this format's version, and a newline. */
    private static byte[] line(int sizeHint, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            fields.write(g);
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Writes an object's fields. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Reads one line (without its newline).
     *
     * @throws IllegalArgumentException if the line is not an entry or a text this version wrote
     */
    static LedgerRecord decode(byte[] line, int offset, int length) {
        JsonNode n;
        try {
            n = JSON.readTree(line, offset, length);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (n == null || !n.isObject() || n.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " ledger entry");
        }
        JsonNode kind = n.get("kind");
        if (kind != null && CACHE.equals(kind.asText())) {
            return new CacheLookup(text(n, "request_id", true), text(n, "route", true), text(n, "model", true),
                    text(n, "outcome", true), new Money(number(n, "saved_picousd")), text(n, "source_request_id", false),
                    bool(n, "stream"), text(n, "user_id", false), text(n, "api_key", false),
                    Instant.parse(text(n, "created_at", true)));
        }
        if (kind != null) {
            if (!TEXT.equals(kind.asText())) {
                throw new IllegalArgumentException("unknown kind " + kind);
            }
            return new CapturedText(text(n, "request_id", true), text(n, "route", true), text(n, "model", true),
                    text(n, "prompt", true), text(n, "answer", false), text(n, "finish_reason", false),
                    Instant.parse(text(n, "created_at", true)));
        }
        Usage usage = new Usage(number(n, "input_tokens"), number(n, "output_tokens"), number(n, "cached_input_tokens"),
                number(n, "cache_write_tokens"), number(n, "reasoning_tokens"), bool(n, "usage_estimated"));
        JsonNode ttft = n.path("ttft_ms");
        return new LedgerEntry(text(n, "request_id", true), (int) number(n, "attempt"), text(n, "route", true),
                text(n, "model", true), text(n, "provider", true), usage, new Money(number(n, "cost_picousd")),
                // Lines spooled before V9 have no saving: zero, as the migration gave the rows already stored.
                new Money(n.has("cache_saving_picousd") ? number(n, "cache_saving_picousd") : 0), number(n, "latency_ms"), ttft.isIntegralNumber() ? ttft.longValue() : null,
                AttemptStatus.valueOf(text(n, "status", true)), text(n, "error_kind", false),
                (int) number(n, "http_status"), bool(n, "stream"), text(n, "user_id", false), text(n, "task", false),
                text(n, "tier", false), text(n, "step", false), text(n, "decision", false),
                // Lines spooled before V10, and attempts outside any context arm, have none: null.
                Instant.parse(text(n, "created_at", true)), text(n, "api_key", false), text(n, "context_arm", false));
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("missing or non-integer " + field);
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("missing or non-boolean " + field);
        }
        return v.booleanValue();
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing " + field);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("non-text " + field);
        }
        return v.textValue();
    }
}
