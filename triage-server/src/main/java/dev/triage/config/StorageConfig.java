package dev.triage.config;

/**
 * Where Triage keeps its state ({@code storage:}).
 *
 * @param ledger         {@code sqlite:PATH} (embedded, the default) or a {@code jdbc:postgresql://} URL
 * @param ledgerUser     database user, or null
 * @param ledgerPassword database password, or null
 */
public record StorageConfig(String ledger, String ledgerUser, String ledgerPassword) {

    public static final String DEFAULT_LEDGER = "sqlite:./triage-data/ledger.db";

    public static StorageConfig defaults() {
        return new StorageConfig(DEFAULT_LEDGER, null, null);
    }

    public boolean ledgerIsSqlite() {
        return ledger.startsWith("sqlite:") || ledger.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
        return "StorageConfig[ledger=" + ledger + ", ledgerUser=" + ledgerUser
                + ", ledgerPassword=" + (ledgerPassword == null ? null : "[redacted]") + "]";
    }
}
