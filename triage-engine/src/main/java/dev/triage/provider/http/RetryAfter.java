package dev.triage.provider.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long an upstream asks us to wait: {@code retry-after-ms}, else {@code Retry-After} (seconds or HTTP date). */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Duration parse(HttpHeaders headers) {
        var ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").map(RetryAfter::parseValue).orElse(null);
    }

    static Duration parseValue(String value) {
        String v = value.trim();
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
