/**
 * The ledger on SQLite or PostgreSQL: {@link dev.triage.ledger.jdbc.JdbcLedger#open} with a URL and
 * {@link dev.triage.ledger.jdbc.LedgerOptions}. Writes go through an in-memory queue and a single
 * batching writer thread; the schema is migrated by Flyway on open.
 */
package dev.triage.ledger.jdbc;
