package dev.triage.simulate.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request trace in Mooncake's format (kvcache-ai/Mooncake, {@code FAST25-release/traces}): one
 * JSON object per line with {@code timestamp} (ms), {@code input_length}, {@code output_length} and
 * {@code hash_ids}, the prompt's {@value TraceRequest#BLOCK_TOKENS}-token blocks. Other fields are
 * ignored; blank lines are skipped. The first bad line stops the reading with a {@link TraceException}
 * naming it.
 */
public final class TraceReader {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TraceReader() {
    }

    public static Trace read(Path file) throws IOException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(name, in);
        } catch (NoSuchFileException e) {
            throw new TraceException(file + ": no such file");
        }
    }

    static Trace read(String name, InputStream in) throws IOException {
        List<TraceRequest> requests = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 12);
        int number = 0;
        long previous = Long.MIN_VALUE;
        boolean more = true;
        while (more) {
            line.reset();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            more = b != -1;
            if (!more && line.size() == 0) {
                break;
            }
            number++;
            String at = name + ":" + number + ": ";
            byte[] bytes = line.toByteArray();
            if (new String(bytes, StandardCharsets.ISO_8859_1).isBlank()) {
                continue;
            }
            TraceRequest r = request(bytes, at);
            if (r.timestampMs() < previous) {
                throw new TraceException(at + "\"timestamp\" " + r.timestampMs() + " is earlier than the line before's ("
                        + previous + "); a trace is in time order");
            }
            previous = r.timestampMs();
            requests.add(r);
        }
        if (requests.isEmpty()) {
            throw new TraceException(name + ": no requests (one JSON object per line expected)");
        }
        return new Trace(name, requests);
    }

    private static TraceRequest request(byte[] bytes, String at) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new TraceException(at + "malformed JSON at column " + e.getLocation().getColumnNr() + ": " + why);
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen: the bytes are in memory
        }
        if (root == null || !root.isObject()) {
            throw new TraceException(at + "expected a JSON object with timestamp, input_length, output_length and hash_ids");
        }
        long timestamp = integer(root, "timestamp", at, Long.MAX_VALUE);
        int input = (int) integer(root, "input_length", at, Integer.MAX_VALUE);
        int output = (int) integer(root, "output_length", at, Integer.MAX_VALUE);
        JsonNode ids = root.get("hash_ids");
        if (ids == null || !ids.isArray()) {
            throw new TraceException(at + "\"hash_ids\" must be an array of block ids, found " + (ids == null ? "nothing" : ids));
        }
        int[] blocks = new int[ids.size()];
        for (int i = 0; i < blocks.length; i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw new TraceException(at + "\"hash_ids\" must hold whole numbers from 0 to " + Integer.MAX_VALUE + ", found " + id);
            }
            blocks[i] = id.intValue();
        }
        int expected = (input + TraceRequest.BLOCK_TOKENS - 1) / TraceRequest.BLOCK_TOKENS;
        if (input == 0) {
            throw new TraceException(at + "\"input_length\" is 0: a request has a prompt");
        }
        if (blocks.length != expected) {
            throw new TraceException(at + "an input_length of " + input + " tokens is " + expected + " blocks of "
                    + TraceRequest.BLOCK_TOKENS + ", but hash_ids has " + blocks.length);
        }
        return new TraceRequest(timestamp, input, output, blocks);
    }

    private static long integer(JsonNode root, String field, String at, long max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new TraceException(at + "\"" + field + "\" is missing");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > max) {
            throw new TraceException(at + "\"" + field + "\" must be a whole number from 0 to " + max + ", found " + n);
        }
        return n.longValue();
    }
}
