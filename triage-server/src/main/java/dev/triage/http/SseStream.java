package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.provider.ClientGoneException;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes OpenAI-style Server-Sent Events to the client, flushing each event as it goes. */
final class SseStream {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServletOutputStream out;
    private final ObjectMapper json;

    SseStream(ServletOutputStream out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    void send(ObjectNode event) {
        try {
            out.write(DATA);
            out.write(json.writeValueAsBytes(event));
            out.write(END);
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** A named event ({@code event:} line), as the Responses API streams them. */
    void send(String name, ObjectNode event) {
        try {
            out.write(EVENT);
            out.write(name.getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
            out.write(DATA);
            out.write(json.writeValueAsBytes(event));
            out.write(END);
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    void done() {
        try {
            out.write(DONE);
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
