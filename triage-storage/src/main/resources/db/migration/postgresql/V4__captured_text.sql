-- Learned routing (issue 6): the text of answered requests, written only when storage.capture_text
-- is on, so `triage train --from-ledger` can join it to feedback. One row per request: the prompt's
-- system and user text, the answer the client got and why it ended. No headers, keys or user ids.
CREATE TABLE ledger_texts (
    request_id    TEXT        PRIMARY KEY,
    route         TEXT        NOT NULL,
    model         TEXT        NOT NULL, -- the model that answered
    prompt        TEXT        NOT NULL,
    answer        TEXT,                 -- null when the answer had no text (a tool call)
    finish_reason TEXT,
    created_at    TIMESTAMPTZ NOT NULL  -- when the answer was complete
);
-- For deleting old texts (retention) and reading a period.
CREATE INDEX ledger_texts_created_at ON ledger_texts (created_at);
