package dev.triage.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The values of a provider's own {@link ProviderOption}s; an option without a value has its default. */
public final class ProviderOptions {

    /** No values: every option has its default. */
    public static final ProviderOptions NONE = new ProviderOptions(Map.of());

    private final Map<ProviderOption<?>, Object> values;

    private ProviderOptions(Map<ProviderOption<?>, Object> values) {
        this.values = values;
    }

    /** These values and {@code option} set to {@code value}. */
    public <T> ProviderOptions with(ProviderOption<T> option, T value) {
        Map<ProviderOption<?>, Object> more = new LinkedHashMap<>(values);
        more.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
        return new ProviderOptions(Collections.unmodifiableMap(more));
    }

    /** The value of {@code option}, or its default. */
    @SuppressWarnings("unchecked") // with() only stores a T under a ProviderOption<T>
    public <T> T get(ProviderOption<T> option) {
        Object value = values.get(option);
        return value == null ? option.defaultValue() : (T) value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
