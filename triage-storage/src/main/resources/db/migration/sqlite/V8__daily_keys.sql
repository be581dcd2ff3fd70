-- Spend by virtual key (issue 13): the attempts of each key summed per UTC day as they are written,
-- like ledger_daily_users, so a report's key and team lines read sums, not attempts. '' is "no
-- virtual key" (a server.api_keys key or none).
CREATE TABLE ledger_daily_keys (
    day           INTEGER NOT NULL, -- created_at / 86400000
    api_key       TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    requests      INTEGER NOT NULL DEFAULT 0,
    cost_picousd  INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, api_key)
) STRICT, WITHOUT ROWID;

INSERT INTO ledger_daily_keys (day, api_key, attempts, requests, cost_picousd, input_tokens, output_tokens)
SELECT created_at / 86400000, coalesce(api_key, ''), count(*), sum(attempt = 1), sum(cost_picousd),
       sum(input_tokens), sum(output_tokens)
FROM ledger_attempts GROUP BY 1, 2;

-- Only rows actually inserted fire it: a replayed row that INSERT OR IGNORE skips is not counted twice.
CREATE TRIGGER ledger_attempts_daily_keys AFTER INSERT ON ledger_attempts
BEGIN
    INSERT INTO ledger_daily_keys (day, api_key, attempts, requests, cost_picousd, input_tokens, output_tokens)
    VALUES (NEW.created_at / 86400000, coalesce(NEW.api_key, ''), 1, NEW.attempt = 1, NEW.cost_picousd,
            NEW.input_tokens, NEW.output_tokens)
    ON CONFLICT (day, api_key) DO UPDATE SET
        attempts      = attempts + 1,
        requests      = requests + excluded.requests,
        -- Saturates instead of overflowing: a sum must never make the database refuse a ledger row.
        cost_picousd  = CASE WHEN excluded.cost_picousd > 0 AND cost_picousd > 9223372036854775807 - excluded.cost_picousd THEN 9223372036854775807
                             WHEN excluded.cost_picousd < 0 AND cost_picousd < (-9223372036854775807 - 1) - excluded.cost_picousd THEN (-9223372036854775807 - 1)
                             ELSE cost_picousd + excluded.cost_picousd END,
        input_tokens  = input_tokens + excluded.input_tokens,
        output_tokens = output_tokens + excluded.output_tokens;
END;
