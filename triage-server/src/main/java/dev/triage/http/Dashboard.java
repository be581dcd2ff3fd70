package dev.triage.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost dashboard: {@code GET /} and its files under {@code /dashboard/}, read once from the
 * classpath. The page holds no data and no secret: it fetches {@code GET /api/report} in the browser
 * with the key its user types, so serving it needs no key.
 */
final class Dashboard {

    static final String PAGE = "/";
    static final String FILES = "/dashboard/{file}";

    private static final String ROOT = "/dev/triage/http/dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html;charset=utf-8",
            "dashboard.js", "text/javascript;charset=utf-8",
            "dashboard.css", "text/css;charset=utf-8",
            "icon.svg", "image/svg+xml");
    // Only this gateway's own files and API: no inline script, no other origin, no framing.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(String contentType, byte[] bytes) {
    }

    private final Map<String, File> files;

    private Dashboard(Map<String, File> files) {
        this.files = files;
    }

    /** Reads the dashboard's files; fails at start-up, not on the first visit, if one is missing. */
    static Dashboard load() {
        Map<String, File> files = new LinkedHashMap<>();
        TYPES.forEach((name, type) -> files.put(name, new File(type, read(name))));
        return new Dashboard(files);
    }

    void page(Context ctx) {
        send(ctx, files.get("index.html"));
    }

    void file(Context ctx) {
        String name = ctx.pathParam("file");
        File file = name.equals("index.html") ? null : files.get(name);
        if (file == null) {
            throw ApiError.notFound("unknown_url", null, "Unknown request URL: GET " + ctx.path());
        }
        send(ctx, file);
    }

    private static void send(Context ctx, File file) {
        // Revalidated on every load, so a new gateway version is never hidden behind a cached script.
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.contentType(file.contentType()).result(file.bytes());
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException(ROOT + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
