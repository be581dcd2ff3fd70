package dev.triage.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Where a model is in its vendor's life cycle, as the vendor's deprecation page said on the catalog's date. A retired
 * model stays in the catalog so that old ledgers, datasets and configs still price exactly; calling it upstream fails.
 */
public sealed interface ModelStatus {

    /** Served and not scheduled for retirement. */
    record Current() implements ModelStatus {
    }

    /** Still served, with a published retirement date. */
    record Deprecated(LocalDate retires) implements ModelStatus {
        public Deprecated {
            Objects.requireNonNull(retires, "retires");
        }
    }

    /** No longer served by its vendor since {@code since}. */
    record Retired(LocalDate since) implements ModelStatus {
        public Retired {
            Objects.requireNonNull(since, "since");
        }
    }

    ModelStatus CURRENT = new Current();

    /** {@code current}, {@code deprecated} or {@code retired}: the catalog's word for it. */
    default String label() {
        return switch (this) {
            case Current c -> "current";
            case Deprecated d -> "deprecated";
            case Retired r -> "retired";
        };
    }

    /** The retirement date, past or coming; null for a current model. */
    default LocalDate retirementDate() {
        return switch (this) {
            case Current c -> null;
            case Deprecated d -> d.retires();
            case Retired r -> r.since();
        };
    }

    /**
     * The status as the catalog writes it: {@code status} and, unless current, the retirement date
     * ({@code retires}, or {@code retired} for a retired model).
     */
    static ModelStatus of(String label, LocalDate date) {
        return switch (label) {
            case "current" -> CURRENT;
            case "deprecated" -> new Deprecated(date);
            case "retired" -> new Retired(date);
            default -> throw new IllegalArgumentException("unknown model status '" + label + "' (expected current, deprecated or retired)");
        };
    }
}
