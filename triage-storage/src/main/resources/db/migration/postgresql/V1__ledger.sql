-- One row per upstream attempt; cost is exact picodollars (BIGINT), never a float.
CREATE TABLE ledger_attempts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id          TEXT        NOT NULL,
    attempt             INTEGER     NOT NULL,
    route               TEXT        NOT NULL,
    model               TEXT        NOT NULL,
    provider            TEXT        NOT NULL,
    input_tokens        BIGINT      NOT NULL,
    output_tokens       BIGINT      NOT NULL,
    cached_input_tokens BIGINT      NOT NULL,
    cache_write_tokens  BIGINT      NOT NULL,
    reasoning_tokens    BIGINT      NOT NULL,
    usage_estimated     BOOLEAN     NOT NULL,
    cost_picousd        BIGINT      NOT NULL,
    latency_ms          BIGINT      NOT NULL,
    ttft_ms             BIGINT,
    status              TEXT        NOT NULL CHECK (status IN ('OK', 'ERROR', 'CANCELLED')),
    error_kind          TEXT,
    http_status         INTEGER     NOT NULL,
    stream              BOOLEAN     NOT NULL,
    user_id             TEXT,
    task                TEXT,
    tier                TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    CONSTRAINT ledger_attempts_request_attempt UNIQUE (request_id, attempt)
);

-- Lookups by request_id use the unique constraint's index (request_id is its leading column),
-- so a separate request_id index would only slow down writes.
CREATE INDEX ledger_attempts_created_at ON ledger_attempts (created_at);
CREATE INDEX ledger_attempts_model_created_at ON ledger_attempts (model, created_at);
