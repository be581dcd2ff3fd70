-- One row per upstream attempt. STRICT makes SQLite enforce the declared column types.
-- Booleans are 0/1, created_at is epoch milliseconds (UTC), cost is exact picodollars.
CREATE TABLE ledger_attempts (
    id                  INTEGER PRIMARY KEY,
    request_id          TEXT    NOT NULL,
    attempt             INTEGER NOT NULL,
    route               TEXT    NOT NULL,
    model               TEXT    NOT NULL,
    provider            TEXT    NOT NULL,
    input_tokens        INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    cache_write_tokens  INTEGER NOT NULL,
    reasoning_tokens    INTEGER NOT NULL,
    usage_estimated     INTEGER NOT NULL CHECK (usage_estimated IN (0, 1)),
    cost_picousd        INTEGER NOT NULL,
    latency_ms          INTEGER NOT NULL,
    ttft_ms             INTEGER,
    status              TEXT    NOT NULL CHECK (status IN ('OK', 'ERROR', 'CANCELLED')),
    error_kind          TEXT,
    http_status         INTEGER NOT NULL,
    stream              INTEGER NOT NULL CHECK (stream IN (0, 1)),
    user_id             TEXT,
    task                TEXT,
    tier                TEXT,
    created_at          INTEGER NOT NULL,
    CONSTRAINT ledger_attempts_request_attempt UNIQUE (request_id, attempt)
) STRICT;

-- Lookups by request_id use the unique constraint's index (request_id is its leading column),
-- so a separate request_id index would only slow down writes.
CREATE INDEX ledger_attempts_created_at ON ledger_attempts (created_at);
CREATE INDEX ledger_attempts_model_created_at ON ledger_attempts (model, created_at);
