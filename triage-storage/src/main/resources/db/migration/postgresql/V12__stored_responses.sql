-- Responses API (issue 16): answers to POST /v1/responses kept with store: true, for previous_response_id and
-- GET /v1/responses/{id}. Each row holds its whole conversation (input_items: the items up to and including its
-- request's input), so a continuation reads one row. Read per tenant only; gone after expires_at
-- (storage.responses_retention_days). JSON is kept as TEXT: JSONB refuses the \u0000 a client may send.
CREATE TABLE stored_responses (
    id          TEXT        PRIMARY KEY, -- resp_...
    tenant      TEXT        NOT NULL,    -- key:NAME, gateway:SHA-256 of the gateway key, or open
    request_id  TEXT        NOT NULL,    -- the gateway request that produced it (ledger_attempts.request_id)
    input_items TEXT        NOT NULL,    -- JSON array
    response    TEXT        NOT NULL,    -- the Response object, JSON
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX stored_responses_expires_at ON stored_responses (expires_at);
