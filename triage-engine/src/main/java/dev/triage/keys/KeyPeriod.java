package dev.triage.keys;

import java.time.LocalDate;

/** How often a virtual key's budget starts again: each UTC day or each UTC calendar month. */
public enum KeyPeriod {
    DAY, MONTH;

    /** The first day of the period {@code today} falls in. */
    public LocalDate start(LocalDate today) {
        return this == DAY ? today : today.withDayOfMonth(1);
    }

    /** The first day of the next period. */
    public LocalDate next(LocalDate today) {
        return this == DAY ? today.plusDays(1) : today.withDayOfMonth(1).plusMonths(1);
    }

    /** As written in config and on the command line: {@code day} or {@code month}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code day} or {@code month}. */
    public static KeyPeriod parse(String text) {
        return switch (text) {
            case "day" -> DAY;
            case "month" -> MONTH;
            default -> throw new IllegalArgumentException("expected day or month, got '" + text + "'");
        };
    }
}
