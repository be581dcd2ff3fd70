package dev.triage.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not send: any {@code Host}
 * header, malformed request lines, oversized headers. One request per connection ({@code Connection: close}).
 */
final class RawHttp {

    /** A response as read off the wire. */
    record Response(int status, String head, String body) {

        Optional<String> header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).strip());
                }
            }
            return Optional.empty();
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line that ends them; {@code Connection:
     * close} and the body's {@code Content-Length} are added) and {@code body}, and reads the whole response.
     */
    static Response send(int port, String head, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String lengthHeader = body == null ? "" : "Content-Length: " + bytes.length + "\r\n";
        return exchange(port, (head + "\r\n" + lengthHeader + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8), bytes);
    }

    /** Writes {@code raw} bytes as they are, then reads the whole response. */
    static Response exchange(int port, byte[] raw, byte[] body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(raw);
            out.write(body);
            out.flush();
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            Response r = new Response(status, head, rest);
            boolean chunked = r.header("transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
            return chunked ? new Response(status, head, dechunk(rest)) : r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
