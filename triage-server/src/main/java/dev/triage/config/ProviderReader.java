package dev.triage.config;

import dev.triage.provider.ProviderKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code providers:}. */
final class ProviderReader {

    private static final List<String> HTTP_KEYS = List.of("base_url", "api_key", "headers");
    private static final List<String> SIMULATED_KEYS = List.of("latency_ms", "tokens_per_second", "output_tokens", "failure_rate");
    private static final List<String> ALL_KEYS = Stream.of(List.of("kind"), HTTP_KEYS, SIMULATED_KEYS).flatMap(List::stream).toList();
    private static final List<String> KIND_NAMES = Arrays.stream(ProviderKind.values()).map(ProviderKind::configName).toList();
    // RFC 9110 token characters.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");

    private ProviderReader() {
    }

    static Map<String, ProviderConfig> read(Mapping section, ReadContext ctx) {
        Map<String, ProviderConfig> out = new LinkedHashMap<>();
        for (String name : section.keys()) {
            if (!Mapping.isName(name)) {
                ctx.error(section.keyNode(name), section.pathOf(name),
                        "a provider name uses letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
            Mapping p = section.mapping(name);
            if (p.wrongType()) {
                continue;
            }
            readOne(name, p, ctx).ifPresent(config -> out.put(name, config));
        }
        return out;
    }

    private static Optional<ProviderConfig> readOne(String name, Mapping p, ReadContext ctx) {
        p.allowOnly(ALL_KEYS);
        Optional<ProviderKind> kind = kind(p);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (kind.get() == ProviderKind.SIMULATED) {
            misplaced(p, HTTP_KEYS, "openai, anthropic and gemini providers");
            ProviderConfig.Simulation d = ProviderConfig.Simulation.defaults();
            ProviderConfig.Simulation sim = new ProviderConfig.Simulation(
                    p.millis("latency_ms", 0).orElse(d.latency()),
                    p.integer("tokens_per_second", 0, 1_000_000).map(Long::intValue).orElse(d.tokensPerSecond()),
                    p.integer("output_tokens", 0, 1_000_000).map(Long::intValue).orElse(d.outputTokens()),
                    p.fraction("failure_rate").orElse(d.failureRate()));
            return Optional.of(new ProviderConfig(name, kind.get(), null, null, Map.of(), sim, null));
        }
        misplaced(p, SIMULATED_KEYS, "simulated providers");
        URI baseUrl = p.text("base_url").flatMap(u -> baseUrl(p, u)).orElse(ProviderConfig.defaultBaseUrl(kind.get()));
        Map<String, String> headers = headers(p.mapping("headers"), ctx);
        String apiKey = null;
        String disabled = null;
        Node keyNode = p.valueNode("api_key");
        if (keyNode == null) {
            if (kind.get() != ProviderKind.OPENAI) {
                p.missing("api_key", kind.get().configName() + " needs one, e.g. api_key: \"${"
                        + kind.get().name() + "_API_KEY}\"");
            }
        } else if (ReadContext.isNull(keyNode)) {
            disabled = "api_key is empty";
        } else if (!(keyNode instanceof ScalarNode scalar)) {
            ctx.error(keyNode, p.pathOf("api_key"), "expected text, got " + ReadContext.describe(keyNode));
        } else {
            // An unset key variable disables the provider instead of failing the whole config,
            // so one default config serves whichever keys a user happens to have.
            switch (ctx.substitute(scalar)) {
                case EnvSubstitution.Result.Value v when v.text().isBlank() -> disabled = "api_key is empty";
                case EnvSubstitution.Result.Value v -> apiKey = v.text().strip();
                case EnvSubstitution.Result.Unset u -> disabled = "environment variable " + u.names().get(0) + " is not set";
                case EnvSubstitution.Result.Malformed m -> ctx.error(keyNode, p.pathOf("api_key"), m.reason());
            }
        }
        return Optional.of(new ProviderConfig(name, kind.get(), baseUrl, apiKey, headers, null, disabled));
    }

    private static Optional<ProviderKind> kind(Mapping p) {
        if (!p.has("kind")) {
            if (p.keyNode("kind") == null) {
                p.missing("kind", "one of " + String.join(", ", KIND_NAMES));
            } else {
                p.error("kind", "expected one of " + String.join(", ", KIND_NAMES));
            }
            return Optional.empty();
        }
        return p.text("kind").flatMap(k -> {
            try {
                return Optional.of(ProviderKind.fromConfig(k));
            } catch (IllegalArgumentException e) {
                p.error("kind", "unknown provider kind '" + k + "' (expected one of " + String.join(", ", KIND_NAMES) + ")"
                        + DidYouMean.hint(k, KIND_NAMES));
                return Optional.empty();
            }
        });
    }

    private static void misplaced(Mapping p, List<String> keys, String onlyFor) {
        for (String key : keys) {
            if (p.keyNode(key) != null) {
                p.error(key, "'" + key + "' applies only to " + onlyFor);
            }
        }
    }

    private static Optional<URI> baseUrl(Mapping p, String text) {
        String why;
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                why = "must be an http:// or https:// URL";
            } else if (uri.getHost() == null) {
                why = "has no host";
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                // Credentials belong in api_key or headers, never in a URL that ends up in logs; the error names
                // the URL without the parts that may hold them.
                String bare = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
                p.error("base_url", "'" + bare + "' must not carry user info, a query or a fragment"
                        + " (put credentials in api_key or headers)");
                return Optional.empty();
            } else {
                String s = uri.toString();
                return Optional.of(URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s));
            }
        } catch (URISyntaxException e) {
            why = "is not a valid URL (" + e.getReason() + ")";
        }
        p.error("base_url", "'" + text.replaceFirst("(?<=://)[^/]*@", "[redacted]@") + "' " + why);
        return Optional.empty();
    }

    private static Map<String, String> headers(Mapping h, ReadContext ctx) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : h.keys()) {
            if (!HEADER_NAME.matcher(name).matches()) {
                ctx.error(h.keyNode(name), h.pathOf(name), "not a valid HTTP header name");
                continue;
            }
            if (!h.has(name)) {
                ctx.error(h.keyNode(name), h.pathOf(name), "a header needs a value");
                continue;
            }
            // Values are not echoed in errors: headers often carry credentials.
            h.text(name).ifPresent(v -> {
                if (v.contains("\r") || v.contains("\n")) {
                    ctx.error(h.valueNode(name), h.pathOf(name), "a header value cannot contain line breaks");
                } else {
                    out.put(name, v);
                }
            });
        }
        return out;
    }
}
