package dev.triage.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The longest period a report may cover. */
    public static final int MAX_DAYS = 366;
    private static final Pattern SINCE = Pattern.compile("(\\d{1,4})([dh])");

    /**
     * A period from {@code GET /api/report?from=&to=} or {@code triage report --from --to}: each an ISO
     * date ({@code 2026-03-01}: {@code from} at the start of that UTC day, {@code to} at its end, so
     * both days are included) or an instant with an offset ({@code 2026-03-01T12:00:00Z},
     * {@code 2026-03-01T20:00:00+08:00}). Without {@code to}: the end of today (UTC); without
     * {@code from}: 30 days before {@code to}.
     *
     * @throws IllegalArgumentException naming the parameter, when a value cannot be read or the period is empty or too long
     */
    public static ReportPeriod parse(String from, String to, Instant now) {
        Instant end = blank(to) ? startOf(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1)) : point("to", to, true);
        Instant start = blank(from) ? end.minus(Duration.ofDays(30)) : point("from", from, false);
        return checked(start, end);
    }

    /**
     * {@code triage report --since}: {@code Nd} is the last N UTC calendar days with today, {@code Nh} the
     * last N hours up to now.
     */
    public static ReportPeriod since(String since, Instant now) {
        Matcher m = SINCE.matcher(since.trim());
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            throw new IllegalArgumentException("since: expected a number of days or hours such as 7d, 30d or 24h, not '" + since + "'");
        }
        int n = Integer.parseInt(m.group(1));
        if (m.group(2).equals("h")) {
            return checked(now.minus(Duration.ofHours(n)), now);
        }
        if (n > MAX_DAYS) {
            throw new IllegalArgumentException("since: a report covers at most " + MAX_DAYS + " days");
        }
        return lastDays(n, now);
    }

    private static ReportPeriod checked(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("from: the period must start before it ends (" + start + " .. " + end + ")");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new IllegalArgumentException("from: a report covers at most " + MAX_DAYS + " days");
        }
        return new ReportPeriod(start, end);
    }

    private static Instant point(String name, String value, boolean endOfDay) {
        String v = value.trim();
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return startOf(endOfDay ? day.plusDays(1) : day);
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected an ISO date (2026-03-01) or an instant with an offset "
                    + "(2026-03-01T12:00:00Z), not '" + value + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
