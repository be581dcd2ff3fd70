-- Virtual keys (issue 13): the name of the key each attempt was made with, so spend is reported by key
-- and by the key's team. Null for requests with a server.api_keys key or none.
ALTER TABLE ledger_attempts ADD COLUMN api_key TEXT;
CREATE INDEX ledger_attempts_api_key ON ledger_attempts (api_key, created_at);
