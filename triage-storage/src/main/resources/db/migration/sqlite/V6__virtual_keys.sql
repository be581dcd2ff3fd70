-- Virtual keys (issue 13): API keys the gateway issues, each with its own budget, model and route lists
-- and rate limits. A key's secret is never stored: only its id, a random salt and SHA-256(salt ‖ secret)
-- (dev.triage.keys.KeySecrets). Times are epoch milliseconds (UTC), money exact picodollars.
CREATE TABLE virtual_keys (
    name           TEXT    PRIMARY KEY,
    team           TEXT,
    budget_picousd INTEGER CHECK (budget_picousd >= 0), -- per period; null: no budget
    period         TEXT    NOT NULL CHECK (period IN ('day', 'month')),
    models         TEXT    NOT NULL, -- comma-separated model ids; '' for none
    routes         TEXT    NOT NULL, -- comma-separated route names; '' for none
    rpm            INTEGER CHECK (rpm >= 1), -- null: no limit
    tpm            INTEGER CHECK (tpm >= 1),
    expires_at     INTEGER,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER
) STRICT;

-- A key's secrets: its current one (valid_until null) and those rotated out, which work until valid_until.
CREATE TABLE virtual_key_secrets (
    key_id      TEXT    PRIMARY KEY, -- the 8 characters after tk_: a presented secret finds its row by them
    name        TEXT    NOT NULL REFERENCES virtual_keys (name),
    salt        TEXT    NOT NULL, -- 16 random bytes, hex
    hash        TEXT    NOT NULL, -- SHA-256(salt ‖ secret), hex
    prefix      TEXT    NOT NULL, -- tk_ and the id: what lists show
    created_at  INTEGER NOT NULL,
    valid_until INTEGER
) STRICT;
CREATE INDEX virtual_key_secrets_name ON virtual_key_secrets (name);
-- One current secret per key: rotations take turns (JdbcKeyStore locks the key's row), and this holds them to it.
CREATE UNIQUE INDEX virtual_key_secrets_current ON virtual_key_secrets (name) WHERE valid_until IS NULL;
