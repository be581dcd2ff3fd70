package dev.triage.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 client connection that sends a pre-encoded request and reads the whole
 * response (Content-Length, chunked, or until close). The load generator owns a fixed number of
 * these, which is what lets it cap connections exactly; the JDK HttpClient cannot.
 */
final class Http1Connection implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private final byte[] buffer = new byte[16 * 1024];
    private final StringBuilder line = new StringBuilder(128);
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int position;
    private int limit;
    private int reconnects = -1;

    Http1Connection(InetSocketAddress address) {
        this.address = address;
    }

    /** Opens the socket now, so that connecting is not part of the first request's latency. */
    void connect() throws IOException {
        close();
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        s.connect(address, READ_TIMEOUT_MILLIS);
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        position = 0;
        limit = 0;
        reconnects++;
    }

    /** Times this connection had to be opened again after the first time. */
    int reconnects() {
        return Math.max(reconnects, 0);
    }

    /**
     * Sends {@code request} (a complete HTTP/1.1 request) and reads the response to its end.
     *
     * @return the response status code
     */
    int exchange(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private int readResponse() throws IOException {
        int status;
        boolean chunked;
        long contentLength;
        boolean closeAfter;
        do {
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            status = Integer.parseInt(statusLine, 9, 12, 10);
            closeAfter = statusLine.startsWith("HTTP/1.0");
            chunked = false;
            contentLength = -1;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    throw new IOException("malformed header line: " + header);
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    closeAfter = value.equalsIgnoreCase("close");
                }
            }
        } while (status >= 100 && status < 200); // interim responses carry no body

        if (status == 204 || status == 304) {
            contentLength = 0;
        }
        if (chunked) {
            readChunkedBody();
        } else if (contentLength >= 0) {
            skip(contentLength);
        } else {
            while (fill()) {
                position = limit;
            }
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return status;
    }

    private void readChunkedBody() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                // Trailers, if any, end with an empty line.
                while (!readLine().isEmpty()) {
                    // discard
                }
                return;
            }
            skip(size);
            if (!readLine().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private void skip(long count) throws IOException {
        long remaining = count;
        while (remaining > 0) {
            if (position == limit && !fill()) {
                throw new EOFException("connection closed " + remaining + " bytes before the end of the body");
            }
            int n = (int) Math.min(remaining, limit - position);
            position += n;
            remaining -= n;
        }
    }

    /** Reads one CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            if (position == limit && !fill()) {
                throw new EOFException("connection closed in the middle of a response head");
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing to do: the connection is being thrown away.
            }
            socket = null;
        }
    }

    /** Encodes a POST with a fixed body once, so each send is a single write of ready bytes. */
    static byte[] encodePost(String hostHeader, String path, Iterable<String[]> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }
}
