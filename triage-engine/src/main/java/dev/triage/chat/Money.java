package dev.triage.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount of US dollars, held as an integer number of picodollars (10^-12 USD).
 *
 * <p>Prices are quoted per million tokens; a price with up to six decimal places (e.g. $0.01875/M)
 * is an integer number of picodollars per token, so every cost is exact. One long holds up to about
 * $9.2 million, far above any single call.
 */
public record Money(long picos) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);
    private static final BigDecimal PICOS_PER_USD = BigDecimal.TEN.pow(12);

    public static Money ofUsd(BigDecimal usd) {
        return new Money(usd.multiply(PICOS_PER_USD).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
    }

    public static Money ofUsd(String usd) {
        return ofUsd(new BigDecimal(usd));
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(picos, other.picos));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(picos, other.picos));
    }

    public Money times(long n) {
        return new Money(Math.multiplyExact(picos, n));
    }

    public boolean isNegative() {
        return picos < 0;
    }

    public BigDecimal usd() {
        return BigDecimal.valueOf(picos, 12).stripTrailingZeros();
    }

    /** Plain decimal string without exponent, e.g. {@code 0.000123}. */
    public String toUsdString() {
        BigDecimal usd = usd();
        return usd.signum() == 0 ? "0" : usd.toPlainString();
    }

    @Override
    public int compareTo(Money o) {
        return Long.compare(picos, o.picos);
    }

    @Override
    public String toString() {
        return "$" + toUsdString();
    }
}
