package dev.triage.provider;

import java.time.Duration;
import java.util.List;

/**
 * A key a provider reads under {@code providers.NAME} besides {@code kind} and the HTTP ones
 * ({@code base_url}, {@code api_key}, {@code headers}), declared by its {@link ProviderFactory#options()}.
 * The config loader reads and checks every option by its type, so a provider with its own keys needs
 * no change to the loader.
 *
 * @param <T> the type of the option's value
 */
public sealed interface ProviderOption<T> {

    /** The key in the config, e.g. {@code latency_ms}. */
    String key();

    /** The value when the config leaves the key out. */
    T defaultValue();

    /** A duration written in whole milliseconds, 0 or more. */
    record Millis(String key, Duration defaultValue) implements ProviderOption<Duration> {
    }

    /** A whole number from 0 to {@code max}. */
    record Count(String key, int max, Integer defaultValue) implements ProviderOption<Integer> {
    }

    /** A share from 0 to 1. */
    record Fraction(String key, Double defaultValue) implements ProviderOption<Double> {
    }

    /** One word of a fixed list, e.g. {@code auto} or {@code off}. */
    record Choice(String key, List<String> values, String defaultValue) implements ProviderOption<String> {
        public Choice {
            values = List.copyOf(values);
            if (!values.contains(defaultValue)) {
                throw new IllegalArgumentException(key + ": the default '" + defaultValue + "' is not one of " + values);
            }
        }
    }

    /** true or false; a null default means "the provider decides" when the key is left out. */
    record Flag(String key, Boolean defaultValue) implements ProviderOption<Boolean> {
    }
}
