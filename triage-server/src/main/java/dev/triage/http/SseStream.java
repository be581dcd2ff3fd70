package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.provider.ClientGoneException;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes Server-Sent Events to the client (OpenAI's data-only ones, or Anthropic's named ones), flushing each as it goes. */
final class SseStream {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.US_ASCII);
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

    /** A named event: {@code event: <name>} then its data, as Anthropic's Messages stream sends them. */
    void send(String name, ObjectNode data) {
        try {
            out.write(EVENT);
            out.write(name.getBytes(StandardCharsets.UTF_8));
            out.write(NEWLINE);
            out.write(DATA);
            out.write(json.writeValueAsBytes(data));
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
