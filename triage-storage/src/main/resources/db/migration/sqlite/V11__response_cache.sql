-- Response cache (issue 15): one row per request that looked the cache up. A hit was answered without
-- calling a model (it cost nothing: no ledger_attempts row) and saved what the request that produced the
-- answer cost; a miss was answered upstream as usual (its attempts are in ledger_attempts). Requests that
-- bypassed the cache have no row. Reports read hits, misses and savings by route and model from here.
CREATE TABLE ledger_cache (
    request_id        TEXT    PRIMARY KEY,
    route             TEXT    NOT NULL,
    model             TEXT    NOT NULL, -- the model whose answer the client got
    outcome           TEXT    NOT NULL CHECK (outcome IN ('hit-exact', 'hit-semantic', 'miss')),
    saved_picousd     INTEGER NOT NULL, -- on a hit, the cost of the answer's original request; 0 on a miss
    source_request_id TEXT,             -- on a hit, the request whose answer was served
    stream            INTEGER NOT NULL CHECK (stream IN (0, 1)),
    user_id           TEXT,
    api_key           TEXT,             -- the virtual key's name, or null
    created_at        INTEGER NOT NULL  -- epoch ms
) STRICT;
CREATE INDEX ledger_cache_created_at ON ledger_cache (created_at);
CREATE INDEX ledger_cache_api_key ON ledger_cache (api_key, created_at) WHERE api_key IS NOT NULL;
