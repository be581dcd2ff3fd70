/**
 * The ledger on SQLite or PostgreSQL: {@link dev.triage.ledger.jdbc.JdbcLedger#open} with a URL and
 * {@link dev.triage.ledger.jdbc.LedgerOptions}. Writes go through an in-memory queue and a single
 * writer thread; with a spool ({@code Spool}, fsynced JSON lines on disk) that thread only appends to
 * it and a drainer thread ({@code SpoolDrainer}) moves the rows to the database. Texts are made storable
 * on the way in ({@code Storable}); a row the database still refuses is set aside ({@code DeadLetters}).
 * The schema is migrated by Flyway on open. The same database holds the gateway's virtual keys
 * ({@code JdbcKeyStore}, {@link dev.triage.ledger.jdbc.JdbcLedger#keys()}), read and written directly.
 */
package dev.triage.ledger.jdbc;
