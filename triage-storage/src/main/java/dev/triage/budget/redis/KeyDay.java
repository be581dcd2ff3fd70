package dev.triage.budget.redis;

import java.time.LocalDate;
import java.util.Objects;

/** One budget key on one day (a tier's day, or the first day of a virtual key's period). */
record KeyDay(String key, LocalDate day) {

    KeyDay {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(day, "day");
    }
}
