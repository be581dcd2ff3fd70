package dev.triage.report;

import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** The report's decimal arithmetic and how it prints amounts: exact inputs, one rounding at the end, never a double. */
final class Amounts {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final long MILLIS_PER_MONTH = Duration.ofDays(30).toMillis();

    private Amounts() {
    }

    /** part / whole × 100 to 2 places, null when whole is zero. */
    static BigDecimal pct(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).multiply(HUNDRED).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_EVEN);
    }

    static BigDecimal pct(Money part, Money whole) {
        return pct(part.picos(), whole.picos());
    }

    /** A ratio to 4 places, null when the divisor is zero. */
    static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? null : numerator.divide(denominator, 4, RoundingMode.HALF_EVEN);
    }

    /** cost / n in USD to the picodollar, null when n is zero. */
    static BigDecimal perRequest(Money cost, long n) {
        return n == 0 ? null : BigDecimal.valueOf(cost.picos(), 12).divide(BigDecimal.valueOf(n), 12, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    /** A mean score 0..1 to 4 places from a sum of millionths. */
    static BigDecimal meanScore(long scoreMicros, long count) {
        return count == 0 ? null : BigDecimal.valueOf(scoreMicros).divide(BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(1_000_000)),
                4, RoundingMode.HALF_EVEN);
    }

    /** An amount seen over {@code window} scaled to 30 days, USD to 6 places. */
    static BigDecimal monthly(Money amount, Duration window) {
        BigInteger scaled = BigInteger.valueOf(amount.picos()).multiply(BigInteger.valueOf(MILLIS_PER_MONTH));
        return new BigDecimal(scaled, 12).divide(BigDecimal.valueOf(window.toMillis()), 6, RoundingMode.HALF_EVEN);
    }

    /** Whole days to 2 places, for evidence. */
    static BigDecimal days(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).divide(BigDecimal.valueOf(Duration.ofDays(1).toMillis()), 2, RoundingMode.HALF_EVEN);
    }

    /** {@code $1,734.20} from a dollar up, {@code $0.000123} (six places at most) under it; {@code -$0.006} below zero. */
    static String usd(BigDecimal usd) {
        if (usd.signum() == 0) {
            return "$0";
        }
        if (usd.signum() < 0) {
            return "-" + usd(usd.negate());
        }
        if (usd.abs().compareTo(BigDecimal.ONE) >= 0) {
            return String.format(Locale.ROOT, "$%,.2f", usd);
        }
        BigDecimal rounded = usd.setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (rounded.signum() == 0) {
            return "under $0.000001";
        }
        return "$" + (rounded.scale() < 2 ? rounded.setScale(2) : rounded).toPlainString();
    }

    static String usd(Money m) {
        return usd(m.usd());
    }

    /** A percentage for sentences: whole numbers, or one place under 10. */
    static String pctText(BigDecimal pct) {
        BigDecimal p = pct.abs().compareTo(BigDecimal.TEN) < 0 ? pct.setScale(1, RoundingMode.HALF_EVEN) : pct.setScale(0, RoundingMode.HALF_EVEN);
        return p.toPlainString() + "%";
    }
}
