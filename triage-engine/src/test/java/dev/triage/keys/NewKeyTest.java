package dev.triage.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NewKeyTest {

    static NewKey named(String name) {
        return new NewKey(name, null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null);
    }

    @Test
    void namesAreUpTo64LettersDigitsAndPunctuationStartingWithALetterOrDigit() {
        assertThat(named("a").name()).isEqualTo("a");
        assertThat(named("CI_bot-2.prod").name()).isEqualTo("CI_bot-2.prod");
        assertThat(named("x".repeat(64)).name()).hasSize(64);
        for (String bad : new String[] {"", "-lead", ".hidden", "_x", "has space", "x".repeat(65), "ünï", "a/b", "a,b"}) {
            assertThatThrownBy(() -> named(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a key's name is 1 to 64 letters");
        }
    }

    @Test
    void aTeamIsShortPrintableText() {
        assertThat(new NewKey("k", "ML platform", null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null).team())
                .isEqualTo("ML platform");
        for (String bad : new String[] {"", "  ", "x".repeat(65), "a\nb"}) {
            assertThatThrownBy(() -> new NewKey("k", bad, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("a team is 1 to 64 characters");
        }
    }

    @Test
    void budgetsAndLimitsCannotGoBelowTheirFloor() {
        assertThatThrownBy(() -> new NewKey("k", null, new Money(-1), KeyPeriod.DAY, Set.of(), Set.of(), null, null, null))
                .hasMessage("a budget cannot be negative, got $-0.000000000001");
        assertThatThrownBy(() -> new NewKey("k", null, null, KeyPeriod.DAY, Set.of(), Set.of(), 0, null, null))
                .hasMessage("rpm and tpm are at least 1, got rpm 0, tpm null");
        assertThatThrownBy(() -> new NewKey("k", null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, -5, null))
                .hasMessage("rpm and tpm are at least 1, got rpm null, tpm -5");
        assertThat(new NewKey("k", null, Money.ZERO, KeyPeriod.DAY, Set.of(), Set.of(), 1, 1, null).budget()).isEqualTo(Money.ZERO);
    }

    @Test
    void listNamesMustSurviveBeingStoredCommaSeparated() {
        assertThatThrownBy(() -> new NewKey("k", null, null, KeyPeriod.DAY, Set.of("a,b"), Set.of(), null, null, null))
                .hasMessage("a model or route name cannot be empty or hold a comma, got 'a,b'");
        assertThatThrownBy(() -> new NewKey("k", null, null, KeyPeriod.DAY, Set.of(), Set.of(""), null, null, null))
                .hasMessage("a model or route name cannot be empty or hold a comma, got ''");
    }
}
