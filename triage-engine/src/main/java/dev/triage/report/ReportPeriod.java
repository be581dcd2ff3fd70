package dev.triage.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The time a report covers: {@code from <= t < to}. Report days are UTC days.
 *
 * @param from first instant included
 * @param to   first instant after the period
 */
public record ReportPeriod(Instant from, Instant to) {

    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a report period must end after it starts: " + from + " .. " + to);
        }
    }

    /** The last {@code days} UTC calendar days, today included: from midnight {@code days - 1} days ago to midnight tonight. */
    public static ReportPeriod lastDays(int days, Instant now) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
        LocalDate tomorrow = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        return new ReportPeriod(startOf(tomorrow.minusDays(days)), startOf(tomorrow));
    }

    /** The UTC days the period touches, in order. */
    public List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** Midnight UTC at the start of {@code day}. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
