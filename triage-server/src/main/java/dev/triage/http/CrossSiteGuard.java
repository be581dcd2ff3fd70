package dev.triage.http;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages of other sites from using the gateway through a visitor's browser. The gateway
 * usually listens on loopback without keys, so any page its user opens could otherwise spend their
 * credits or read their reports:
 * <ul>
 *   <li>a request whose {@code Origin} is neither the gateway's own (the origin of a page it served,
 *       such as the dashboard) nor listed in {@code server.allowed_origins} is refused with 403, on
 *       every endpoint; CORS preflights included, so a browser never sends the real request;</li>
 *   <li>a request whose {@code Host} is not a loopback name, the bind address or listed in
 *       {@code server.allowed_hosts} is refused with 421: a page that re-points its own domain name at
 *       127.0.0.1 (DNS rebinding) is same-origin with itself, sends no foreign {@code Origin}, but still
 *       names its own domain in {@code Host}. The health checks are left out of this one: they tell
 *       nothing, and orchestrators probe them by the instance's address (a pod IP);</li>
 *   <li>{@link #requireJson} keeps out the bodies a page can send without a preflight
 *       ({@code text/plain}, form encodings).</li>
 * </ul>
 * Clients that are not browsers send no {@code Origin} and a {@code Host} naming the address they were
 * given, and pass.
 */
final class CrossSiteGuard {

    /** Always accepted: a page cannot make its own domain resolve to these names. */
    static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");
    private static final int ECHO_CHARS = 100;

    private final Set<String> hosts = new HashSet<>();
    private final Set<String> origins = new HashSet<>();

    /**
     * @param bindHost       the address the gateway listens on
     * @param allowedHosts   more host names (no port) that clients may reach the gateway by
     * @param allowedOrigins more origins ({@code scheme://host[:port]}) whose pages may call the gateway
     */
    CrossSiteGuard(String bindHost, List<String> allowedHosts, List<String> allowedOrigins) {
        LOOPBACK_HOSTS.forEach(h -> hosts.add(hostName(h)));
        hosts.add(hostName(bindHost));
        allowedHosts.forEach(h -> hosts.add(hostName(h)));
        allowedOrigins.forEach(o -> origins.add(origin(o)));
    }

    /**
     * Refuses a request addressed to a name the gateway does not answer to.
     *
     * @param host the {@code Host} header, or null (HTTP/1.0 clients, which are not browsers)
     */
    void checkHost(String host) {
        if (host != null && !hosts.contains(hostName(withoutPort(host)))) {
            throw new ApiError(421, ApiError.typeFor(421), "host_not_allowed", "Host", "This gateway does not answer to the host '"
                    + echo(host) + "'; if clients reach it by that name, add the name to server.allowed_hosts", null);
        }
    }

    /**
     * Refuses a request from a page of a foreign origin.
     *
     * @param origin the {@code Origin} header, or null
     * @param host   the {@code Host} header, or null
     */
    void checkOrigin(String origin, String host) {
        if (origin != null && !isOwn(origin, host) && !origins.contains(origin(origin))) {
            throw new ApiError(403, ApiError.typeFor(403), "origin_not_allowed", "Origin", "Requests from pages of origin '"
                    + echo(origin) + "' are not accepted; add the origin to server.allowed_origins to let its pages call the gateway", null);
        }
    }

    /**
     * Refuses a body that is not {@code application/json} (a {@code charset} parameter of UTF-8 is accepted):
     * the types a page can send without a CORS preflight never reach the handlers.
     */
    static void requireJson(String contentType) {
        if (contentType == null || !isJson(contentType)) {
            throw new ApiError(415, ApiError.typeFor(415), "unsupported_media_type", "Content-Type",
                    "The body must be sent as 'Content-Type: application/json'" + (contentType == null ? "" : ", not '" + echo(contentType) + "'"), null);
        }
    }

    private static boolean isJson(String contentType) {
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                return false;
            }
            String charset = parameter.substring(eq + 1).strip().replace("\"", "");
            if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                return false;
            }
        }
        return true;
    }

    /** A page the gateway served has the gateway's own origin: the same host and port the request was sent to. */
    private static boolean isOwn(String origin, String host) {
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host.strip());
    }

    /** {@code localhost:8080} → {@code localhost}; {@code [::1]:8080} → {@code [::1]}. */
    static String withoutPort(String host) {
        String h = host.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        // More than one colon is an IPv6 address without brackets, which a Host header never is: keep it whole.
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    /** Lower case, IPv6 addresses in brackets. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    private static String origin(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String echo(String value) {
        return value.length() <= ECHO_CHARS ? value : value.substring(0, ECHO_CHARS) + "...";
    }
}
