-- Provider prompt caching (issue 14): what caching saved on each attempt, exact picodollars: its cost
-- with every input token at the plain input price (no cached-read discount, no cache-write premium)
-- minus its real cost. Negative when a cache write cost more than the reads saved. Summed per day in
-- ledger_daily for reports by model and route.
--
-- Rows written before this migration get 0: the saving depends on the prices the gateway was
-- configured with when it billed them, which the database does not know. Their cached and cache-write
-- tokens are kept, so hit rates cover them; only the saving of those days is under-reported.

-- Other gateway instances may be writing: hold their inserts until the column and the new trigger
-- function are in place (adding a column with a constant default rewrites no rows).
LOCK TABLE ledger_attempts IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE ledger_attempts ADD COLUMN cache_saving_picousd BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_daily ADD COLUMN cache_saving_picousd BIGINT NOT NULL DEFAULT 0;

-- The V3 trigger function, with the saving summed like the cost. The statement trigger that calls it
-- stays as it is.
CREATE OR REPLACE FUNCTION ledger_attempts_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_daily AS d (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated,
                                   cost_picousd, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                                   cache_saving_picousd)
    SELECT (created_at AT TIME ZONE 'UTC')::date, route, model, coalesce(task, ''), coalesce(tier, ''), count(*),
           count(*) FILTER (WHERE attempt = 1), count(*) FILTER (WHERE status = 'ERROR'),
           count(*) FILTER (WHERE status = 'CANCELLED'), count(*) FILTER (WHERE usage_estimated), LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807),
           sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
           LEAST(GREATEST(sum(cache_saving_picousd), -9223372036854775808), 9223372036854775807)
    FROM new_attempts
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, route, model, task, tier) DO UPDATE SET
        attempts            = d.attempts + excluded.attempts,
        requests            = d.requests + excluded.requests,
        errors              = d.errors + excluded.errors,
        cancelled           = d.cancelled + excluded.cancelled,
        estimated           = d.estimated + excluded.estimated,
        -- Saturates instead of overflowing: a sum must never make the database refuse a ledger row.
        cost_picousd        = LEAST(GREATEST(d.cost_picousd::numeric + excluded.cost_picousd, -9223372036854775808), 9223372036854775807)::bigint,
        input_tokens        = d.input_tokens + excluded.input_tokens,
        output_tokens       = d.output_tokens + excluded.output_tokens,
        cached_input_tokens = d.cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens  = d.cache_write_tokens + excluded.cache_write_tokens,
        -- Saturates like the cost (a saving is negative when a cache write cost more than it saved).
        cache_saving_picousd = LEAST(GREATEST(d.cache_saving_picousd::numeric + excluded.cache_saving_picousd, -9223372036854775808), 9223372036854775807)::bigint;

    INSERT INTO ledger_daily_users AS u (day, user_id, attempts, requests, cost_picousd)
    SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(user_id, ''), count(*), count(*) FILTER (WHERE attempt = 1),
           LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807)
    FROM new_attempts
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (day, user_id) DO UPDATE SET
        attempts     = u.attempts + excluded.attempts,
        requests     = u.requests + excluded.requests,
        cost_picousd = LEAST(GREATEST(u.cost_picousd::numeric + excluded.cost_picousd, -9223372036854775808), 9223372036854775807)::bigint;

    -- Each touched request's answer may move: from its last non-scorer attempt before this statement
    -- to its last one now. Take it off the old holder (if that succeeded), give it to the new (if that did).
    WITH touched AS (
        SELECT request_id, array_agg(attempt) AS new_numbers FROM new_attempts GROUP BY request_id
    ), finals AS (
        SELECT (SELECT a.id FROM ledger_attempts a
                WHERE a.request_id = t.request_id AND (a.step IS NULL OR a.step NOT IN ('judge', 'sample'))
                ORDER BY a.attempt DESC LIMIT 1) AS now_id,
               (SELECT a.id FROM ledger_attempts a
                WHERE a.request_id = t.request_id AND (a.step IS NULL OR a.step NOT IN ('judge', 'sample'))
                  AND a.attempt <> ALL (t.new_numbers)
                ORDER BY a.attempt DESC LIMIT 1) AS before_id
        FROM touched t
    ), moves AS (
        SELECT before_id AS id, -1 AS sign FROM finals WHERE before_id IS NOT NULL AND before_id IS DISTINCT FROM now_id
        UNION ALL
        SELECT now_id, 1 FROM finals WHERE now_id IS NOT NULL AND now_id IS DISTINCT FROM before_id
    )
    INSERT INTO ledger_daily AS d (day, route, model, task, tier, answers, recovered, answer_input_tokens,
                                   answer_output_tokens, answer_cached_input_tokens, answer_cache_write_tokens)
    SELECT (a.created_at AT TIME ZONE 'UTC')::date, a.route, a.model, coalesce(a.task, ''), coalesce(a.tier, ''),
           sum(m.sign),
           sum(m.sign * CASE WHEN EXISTS (SELECT 1 FROM ledger_attempts e WHERE e.request_id = a.request_id
                                          AND e.attempt < a.attempt AND e.status = 'ERROR') THEN 1 ELSE 0 END),
           sum(m.sign * a.input_tokens), sum(m.sign * a.output_tokens), sum(m.sign * a.cached_input_tokens),
           sum(m.sign * a.cache_write_tokens)
    FROM moves m JOIN ledger_attempts a ON a.id = m.id
    WHERE a.status = 'OK'
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, route, model, task, tier) DO UPDATE SET
        answers                    = d.answers + excluded.answers,
        recovered                  = d.recovered + excluded.recovered,
        answer_input_tokens        = d.answer_input_tokens + excluded.answer_input_tokens,
        answer_output_tokens       = d.answer_output_tokens + excluded.answer_output_tokens,
        answer_cached_input_tokens = d.answer_cached_input_tokens + excluded.answer_cached_input_tokens,
        answer_cache_write_tokens  = d.answer_cache_write_tokens + excluded.answer_cache_write_tokens;
    RETURN NULL;
END
$$;
