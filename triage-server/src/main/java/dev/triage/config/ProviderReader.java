package dev.triage.config;

import dev.triage.provider.ProviderFactories;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOption;
import dev.triage.provider.ProviderOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code providers:}. What a kind accepts comes from its {@link ProviderFactory}: the HTTP keys
 * if it has a default base URL, an {@code api_key} if it requires one, and its own options.
 */
final class ProviderReader {

    private static final List<String> HTTP_KEYS = List.of("base_url", "api_key", "headers");
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
        p.allowOnly(allKeys());
        Optional<ProviderFactory> found = kind(p);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ProviderFactory kind = found.get();
        Set<String> own = optionKeys(List.of(kind));
        for (String key : optionKeys(ProviderFactories.all())) {
            if (!own.contains(key)) {
                misplaced(p, key, f -> optionKeys(List.of(f)).contains(key));
            }
        }
        ProviderOptions options = options(p, kind);
        if (kind.defaultBaseUrl().isEmpty()) {
            HTTP_KEYS.forEach(key -> misplaced(p, key, f -> f.defaultBaseUrl().isPresent()));
            return Optional.of(new ProviderConfig(name, kind, null, null, Map.of(), options, null));
        }
        URI baseUrl = p.text("base_url").flatMap(u -> baseUrl(p, u)).orElse(kind.defaultBaseUrl().get());
        Map<String, String> headers = headers(p.mapping("headers"), ctx);
        String apiKey = null;
        String disabled = null;
        Node keyNode = p.valueNode("api_key");
        if (keyNode == null) {
            if (kind.requiresApiKey()) {
                p.missing("api_key", kind.configName() + " needs one"
                        + kind.apiKeyVariable().map(v -> ", e.g. api_key: \"${" + v + "}\"").orElse(""));
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
        return Optional.of(new ProviderConfig(name, kind, baseUrl, apiKey, headers, options, disabled));
    }

    /** {@code kind}, the HTTP keys, then every kind's own options. */
    private static List<String> allKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of("kind"));
        keys.addAll(HTTP_KEYS);
        keys.addAll(optionKeys(ProviderFactories.all()));
        return List.copyOf(keys);
    }

    /** The keys of the options of {@code kinds}, each once. */
    private static Set<String> optionKeys(List<ProviderFactory> kinds) {
        Set<String> keys = new LinkedHashSet<>();
        kinds.forEach(f -> f.options().forEach(o -> keys.add(o.key())));
        return keys;
    }

    private static Optional<ProviderFactory> kind(Mapping p) {
        String names = String.join(", ", ProviderFactories.names());
        if (!p.has("kind")) {
            if (p.keyNode("kind") == null) {
                p.missing("kind", "one of " + names);
            } else {
                p.error("kind", "expected one of " + names);
            }
            return Optional.empty();
        }
        return p.text("kind").flatMap(k -> {
            Optional<ProviderFactory> factory = ProviderFactories.named(k);
            if (factory.isEmpty()) {
                p.error("kind", "unknown provider kind '" + k + "' (expected one of " + names + ")"
                        + DidYouMean.hint(k, ProviderFactories.names()));
            }
            return factory;
        });
    }

    /** Every option of {@code kind}: the config's value, else the default. */
    private static ProviderOptions options(Mapping p, ProviderFactory kind) {
        ProviderOptions options = ProviderOptions.NONE;
        for (ProviderOption<?> option : kind.options()) {
            ProviderOptions current = options;
            options = switch (option) {
                case ProviderOption.Millis m -> options.with(m, p.millis(m.key(), 0).orElse(m.defaultValue()));
                case ProviderOption.Count c -> options.with(c, p.integer(c.key(), 0, c.max()).map(Long::intValue).orElse(c.defaultValue()));
                case ProviderOption.Fraction f -> options.with(f, p.fraction(f.key()).orElse(f.defaultValue()));
                case ProviderOption.Choice c -> options.with(c, choice(p, c));
                // a flag left out keeps its default, which may be "the provider decides" (null)
                case ProviderOption.Flag f -> p.bool(f.key()).map(v -> current.with(f, v)).orElse(current);
            };
        }
        return options;
    }

    /** The word given for {@code choice}, or its default (with an error) when the word is not one of its values. */
    private static String choice(Mapping p, ProviderOption.Choice choice) {
        return p.text(choice.key()).map(String::strip).filter(word -> {
            if (choice.values().contains(word)) {
                return true;
            }
            p.error(choice.key(), "expected one of " + String.join(", ", choice.values()) + ", got '" + word + "'"
                    + DidYouMean.hint(word, choice.values()));
            return false;
        }).orElse(choice.defaultValue());
    }

    /** An error if {@code key} is given: it belongs to the kinds that {@code accepting} selects. */
    private static void misplaced(Mapping p, String key, Predicate<ProviderFactory> accepting) {
        if (p.keyNode(key) != null) {
            List<String> kinds = ProviderFactories.all().stream().filter(accepting).map(ProviderFactory::configName).toList();
            p.error(key, "'" + key + "' applies only to " + inWords(kinds) + " providers");
        }
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String inWords(List<String> names) {
        int last = names.size() - 1;
        return last <= 0 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
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
