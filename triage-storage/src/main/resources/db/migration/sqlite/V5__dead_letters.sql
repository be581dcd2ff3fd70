-- Hardening (issue 10): a row the database refuses for its own data (SQLITE_TOOBIG, SQLITE_CONSTRAINT,
-- SQLITE_MISMATCH) is set aside here instead of blocking the rows behind it. entry_json is the row
-- exactly as a spool line (EntryJson), so it can be replayed through a spool once the cause is fixed;
-- cost_picousd keeps the money visible to reports although it is in none of the roll-ups.
CREATE TABLE ledger_dead_letters (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('entry', 'text')),
    request_id   TEXT    NOT NULL,
    attempt      INTEGER NOT NULL, -- 0 for a captured text
    cost_picousd INTEGER NOT NULL, -- 0 for a captured text
    created_at   INTEGER NOT NULL, -- the row's own time (when the attempt started), epoch ms
    refused_at   INTEGER NOT NULL, -- epoch ms
    error_code   TEXT,             -- the extended result code, e.g. SQLITE_CONSTRAINT_CHECK
    error        TEXT    NOT NULL, -- the database's error, one line
    entry_json   TEXT    NOT NULL,
    -- A spool replayed after a crash refuses the same row again: it is set aside once.
    CONSTRAINT ledger_dead_letters_row UNIQUE (kind, request_id, attempt)
) STRICT;
CREATE INDEX ledger_dead_letters_created_at ON ledger_dead_letters (created_at);
