package dev.triage.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import org.junit.jupiter.api.Test;

/** The text forms of {@code triage report} (table and Markdown), over the hand-built ledger of the engine's {@link ReportEngineTest}. */
class ReportTextTest {

    private final ReportEngineTest ledger = new ReportEngineTest();

    @Test
    void deadLettersAreReportedWithTheirMoneyInEveryTextFormat() {
        ledger.source.deadLetters = new DeadLetterRow(3, 1, Money.ofUsd("0.0123"));

        Report r = ledger.report();

        assertThat(ReportText.table(r)).contains("Dead letters           $0.0123 in 3 attempts the ledger database "
                + "refused (and 1 captured texts): spent, but in none of these figures until replayed from ledger_dead_letters");
        assertThat(ReportText.markdown(r)).contains("- **Dead letters:** $0.0123 in 3 attempts");
    }

    @Test
    void withoutDeadLettersTheTextReportDoesNotMentionThem() {
        Report r = ledger.report();

        assertThat(r.deadLetters()).isEqualTo(DeadLetterRow.NONE);
        assertThat(ReportText.table(r)).doesNotContain("Dead letters");
        assertThat(ReportText.markdown(r)).doesNotContain("Dead letters");
    }
}
