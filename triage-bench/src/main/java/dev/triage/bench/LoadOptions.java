package dev.triage.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the load generator sends, how fast, for how long and over how many connections.
 *
 * @param url             an {@code http://} URL; the request is a POST to its path
 * @param rate            requests per second, fixed (open loop)
 * @param durationSeconds length of the measured window
 * @param warmupSeconds   load sent before the window at the same rate and not measured
 * @param connections     exact number of persistent connections
 * @param body            the request body sent every time
 * @param headers         extra request headers, {@code [name, value]} pairs, in order
 * @param label           free text copied into the result line (e.g. {@code direct} or {@code gateway})
 */
public record LoadOptions(URI url, double rate, double durationSeconds, double warmupSeconds, int connections,
                          byte[] body, List<String[]> headers, String label) {

    /** A small chat request, about what an application sends for a one-line answer. */
    public static final String DEFAULT_BODY = """
            {"model":"fake-model","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}""";

    static final String USAGE = """
            usage: LoadGenerator --url http://HOST:PORT/PATH [--rate N] [--duration S] [--warmup S]
                                 [--connections N] [--body-file FILE] [--header 'Name: value']... [--label TEXT]
              --rate         requests per second, open loop (default 1000)
              --duration     measured seconds (default 20)
              --warmup       unmeasured seconds before that, same rate (default 5)
              --connections  persistent HTTP/1.1 connections (default 50)
              --body-file    JSON request body (default: a small chat request for model fake-model)
              --header       extra header, repeatable""";

    public LoadOptions {
        if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http:// URL with a host, got " + url);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive, got " + rate);
        }
        if (!(durationSeconds > 0) || warmupSeconds < 0) {
            throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
        }
        headers = List.copyOf(headers);
    }

    /** Parses the command line described in {@link #USAGE}. */
    public static LoadOptions parse(String[] args) throws IOException {
        URI url = null;
        double rate = 1000;
        double duration = 20;
        double warmup = 5;
        int connections = 50;
        byte[] body = DEFAULT_BODY.getBytes(StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        String label = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> url = URI.create(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = Double.parseDouble(value);
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--body-file" -> body = Files.readAllBytes(Path.of(value));
                case "--label" -> label = value;
                case "--header" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--header must look like 'Name: value', got " + value);
                    }
                    String headerName = value.substring(0, colon).trim();
                    if (isManaged(headerName)) {
                        throw new IllegalArgumentException("--header may not set " + headerName + "; the generator sets it");
                    }
                    headers.add(new String[] {headerName, value.substring(colon + 1).trim()});
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LoadOptions(url, rate, duration, warmup, connections, body, headers, label);
    }

    private static boolean isManaged(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        return lower.equals("host") || lower.equals("content-length") || lower.equals("content-type")
                || lower.equals("transfer-encoding");
    }

    /** The complete request bytes, encoded once. */
    byte[] encodedRequest() {
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        return Http1Connection.encodePost(url.getHost() + ":" + port, path, headers, body);
    }
}
