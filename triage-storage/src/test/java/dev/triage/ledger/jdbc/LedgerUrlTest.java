package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LedgerUrlTest {

    @Test
    void shortSqliteFormBecomesAJdbcUrl() {
        assertThat(LedgerUrl.parse("sqlite:./triage-data/ledger.db"))
                .isEqualTo(new LedgerUrl(Dialect.SQLITE, "jdbc:sqlite:./triage-data/ledger.db"));
    }

    @Test
    void jdbcUrlsArePassedThroughWithTheirDialect() {
        assertThat(LedgerUrl.parse("jdbc:sqlite:/var/lib/triage/ledger.db"))
                .isEqualTo(new LedgerUrl(Dialect.SQLITE, "jdbc:sqlite:/var/lib/triage/ledger.db"));
        assertThat(LedgerUrl.parse("jdbc:postgresql://db:5432/triage?sslmode=require"))
                .isEqualTo(new LedgerUrl(Dialect.POSTGRESQL, "jdbc:postgresql://db:5432/triage?sslmode=require"));
    }

    @Test
    void parameterNamesComeFromTheQueryString() {
        assertThat(LedgerUrl.parse("sqlite:ledger.db?busy_timeout=50&journal_mode=DELETE").parameterNames())
                .containsExactlyInAnyOrder("busy_timeout", "journal_mode");
        assertThat(LedgerUrl.parse("jdbc:postgresql://db/triage").parameterNames()).isEmpty();
    }

    @Test
    void inMemorySqliteIsRefusedBecauseEachPooledConnectionWouldSeeItsOwnDatabase() {
        assertThatThrownBy(() -> LedgerUrl.parse("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerUrl.parse("sqlite:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerUrl.parse("jdbc:sqlite:file:x?mode=memory")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsupportedSchemeIsNamedWithoutEchoingTheRestOfTheUrl() {
        assertThatThrownBy(() -> LedgerUrl.parse("mysql://root:hunter22@db/triage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported ledger URL scheme 'mysql'; use sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
    }

    @Test
    void toStringNeverShowsTheUrl() {
        assertThat(LedgerUrl.parse("jdbc:postgresql://db/triage?password=hunter22")).hasToString("LedgerUrl[POSTGRESQL]");
    }
}
