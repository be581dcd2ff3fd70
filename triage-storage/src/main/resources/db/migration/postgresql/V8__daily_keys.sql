-- Spend by virtual key (issue 13): the attempts of each key summed per UTC day as they are written,
-- like ledger_daily_users, so a report's key and team lines read sums, not attempts. '' is "no
-- virtual key" (a server.api_keys key or none).
CREATE TABLE ledger_daily_keys (
    day           DATE   NOT NULL,
    api_key       TEXT   NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    requests      BIGINT NOT NULL DEFAULT 0,
    cost_picousd  BIGINT NOT NULL DEFAULT 0,
    input_tokens  BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, api_key)
);

INSERT INTO ledger_daily_keys (day, api_key, attempts, requests, cost_picousd, input_tokens, output_tokens)
SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(api_key, ''), count(*), count(*) FILTER (WHERE attempt = 1),
       LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807), sum(input_tokens), sum(output_tokens)
FROM ledger_attempts GROUP BY 1, 2;

-- Once per INSERT statement over the rows it really inserted, keys upserted in sorted order (as
-- ledger_attempts_daily does) so concurrent writers take their row locks in the same order.
CREATE FUNCTION ledger_attempts_daily_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_daily_keys AS k (day, api_key, attempts, requests, cost_picousd, input_tokens, output_tokens)
    SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(api_key, ''), count(*), count(*) FILTER (WHERE attempt = 1),
           LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807), sum(input_tokens), sum(output_tokens)
    FROM new_attempts
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (day, api_key) DO UPDATE SET
        attempts      = k.attempts + excluded.attempts,
        requests      = k.requests + excluded.requests,
        -- Saturates instead of overflowing: a sum must never make the database refuse a ledger row.
        cost_picousd  = LEAST(GREATEST(k.cost_picousd::numeric + excluded.cost_picousd, -9223372036854775808), 9223372036854775807)::bigint,
        input_tokens  = k.input_tokens + excluded.input_tokens,
        output_tokens = k.output_tokens + excluded.output_tokens;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_attempts_daily_keys AFTER INSERT ON ledger_attempts
    REFERENCING NEW TABLE AS new_attempts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_attempts_daily_keys();
