package dev.triage.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void tenthPlusTwoTenthsIsExactlyThreeTenths() {
        Money sum = Money.ofUsd("0.1").plus(Money.ofUsd("0.2"));

        assertThat(sum).isEqualTo(Money.ofUsd("0.3"));
        assertThat(sum.toUsdString()).isEqualTo("0.3");
    }

    @Test
    void onePicodollarIsTheSmallestAmount() {
        assertThat(Money.ofUsd("0.000000000001").picos()).isEqualTo(1);
        assertThat(new Money(1).toUsdString()).isEqualTo("0.000000000001");
    }

    @Test
    void amountsFinerThanAPicodollarAreRejected() {
        assertThatThrownBy(() -> Money.ofUsd("0.0000000000001")).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void usdStringHasNoExponentAndNoTrailingZeros() {
        assertThat(Money.ofUsd("0.000120").toUsdString()).isEqualTo("0.00012");
        assertThat(Money.ofUsd("1500").toUsdString()).isEqualTo("1500");
        assertThat(Money.ofUsd("2.50").toString()).isEqualTo("$2.5");
        assertThat(Money.ZERO.toUsdString()).isEqualTo("0");
        assertThat(Money.ofUsd("0.000").toUsdString()).isEqualTo("0");
    }

    @Test
    void minusCanGoBelowZero() {
        Money left = Money.ofUsd("1.25").minus(Money.ofUsd("1.75"));

        assertThat(left.isNegative()).isTrue();
        assertThat(left.toUsdString()).isEqualTo("-0.5");
    }

    @Test
    void timesMultipliesExactly() {
        // $0.000015 per token (= $15 / 1M) times 333,333 tokens
        assertThat(Money.ofUsd("0.000015").times(333_333).toUsdString()).isEqualTo("4.999995");
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThatThrownBy(() -> new Money(Long.MAX_VALUE).plus(new Money(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new Money(Long.MAX_VALUE / 2 + 1).times(2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void usdRoundTripsThroughBigDecimal() {
        Money m = Money.ofUsd(new BigDecimal("12.345678901234"));

        assertThat(m.usd()).isEqualByComparingTo("12.345678901234");
        assertThat(Money.ofUsd(m.usd())).isEqualTo(m);
    }

    @Test
    void moneyOrdersByAmount() {
        assertThat(Money.ofUsd("0.01")).isLessThan(Money.ofUsd("0.02"));
        assertThat(Money.ofUsd("-1")).isLessThan(Money.ZERO);
    }
}
