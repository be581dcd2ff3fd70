-- Provider prompt caching (issue 14): what caching saved on each attempt, exact picodollars: its cost
-- with every input token at the plain input price (no cached-read discount, no cache-write premium)
-- minus its real cost. Negative when a cache write cost more than the reads saved. Summed per day in
-- ledger_daily for reports by model and route.
--
-- Rows written before this migration get 0: the saving depends on the prices the gateway was
-- configured with when it billed them, which the database does not know. Their cached and cache-write
-- tokens are kept, so hit rates cover them; only the saving of those days is under-reported.
ALTER TABLE ledger_attempts ADD COLUMN cache_saving_picousd INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_daily ADD COLUMN cache_saving_picousd INTEGER NOT NULL DEFAULT 0;

-- The V3 trigger, with the saving summed like the cost. SQLite cannot replace a trigger: drop and create
-- it in this migration's transaction, so no attempt is written between the two.
DROP TRIGGER ledger_attempts_daily;
CREATE TRIGGER ledger_attempts_daily AFTER INSERT ON ledger_attempts
BEGIN
    INSERT INTO ledger_daily (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated,
                              cost_picousd, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                              cache_saving_picousd)
    VALUES (NEW.created_at / 86400000, NEW.route, NEW.model, coalesce(NEW.task, ''), coalesce(NEW.tier, ''), 1,
            NEW.attempt = 1, NEW.status = 'ERROR', NEW.status = 'CANCELLED', NEW.usage_estimated, NEW.cost_picousd,
            NEW.input_tokens, NEW.output_tokens, NEW.cached_input_tokens, NEW.cache_write_tokens, NEW.cache_saving_picousd)
    ON CONFLICT (day, route, model, task, tier) DO UPDATE SET
        attempts            = attempts + 1,
        requests            = requests + excluded.requests,
        errors              = errors + excluded.errors,
        cancelled           = cancelled + excluded.cancelled,
        estimated           = estimated + excluded.estimated,
        -- Saturates instead of overflowing: a sum must never make the database refuse a ledger row.
        cost_picousd = CASE WHEN excluded.cost_picousd > 0 AND cost_picousd > 9223372036854775807 - excluded.cost_picousd THEN 9223372036854775807
                                 WHEN excluded.cost_picousd < 0 AND cost_picousd < (-9223372036854775807 - 1) - excluded.cost_picousd THEN (-9223372036854775807 - 1)
                                 ELSE cost_picousd + excluded.cost_picousd END,
        input_tokens        = input_tokens + excluded.input_tokens,
        output_tokens       = output_tokens + excluded.output_tokens,
        cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens  = cache_write_tokens + excluded.cache_write_tokens,
        -- Saturates like the cost (a saving is negative when a cache write cost more than it saved).
        cache_saving_picousd = CASE WHEN excluded.cache_saving_picousd > 0 AND cache_saving_picousd > 9223372036854775807 - excluded.cache_saving_picousd THEN 9223372036854775807
                                    WHEN excluded.cache_saving_picousd < 0 AND cache_saving_picousd < (-9223372036854775807 - 1) - excluded.cache_saving_picousd THEN (-9223372036854775807 - 1)
                                    ELSE cache_saving_picousd + excluded.cache_saving_picousd END;

    INSERT INTO ledger_daily_users (day, user_id, attempts, requests, cost_picousd)
    VALUES (NEW.created_at / 86400000, coalesce(NEW.user_id, ''), 1, NEW.attempt = 1, NEW.cost_picousd)
    ON CONFLICT (day, user_id) DO UPDATE SET
        attempts     = attempts + 1,
        requests     = requests + excluded.requests,
        cost_picousd = CASE WHEN excluded.cost_picousd > 0 AND cost_picousd > 9223372036854775807 - excluded.cost_picousd THEN 9223372036854775807
                                 WHEN excluded.cost_picousd < 0 AND cost_picousd < (-9223372036854775807 - 1) - excluded.cost_picousd THEN (-9223372036854775807 - 1)
                                 ELSE cost_picousd + excluded.cost_picousd END;

    -- When the new attempt becomes its request's last non-scorer attempt, the answer moves to it:
    -- first take it off the attempt that held it (if that one had succeeded)...
    UPDATE ledger_daily SET
        answers                    = answers - 1,
        recovered                  = recovered - p.after_error,
        answer_input_tokens        = answer_input_tokens - p.p_input,
        answer_output_tokens       = answer_output_tokens - p.p_output,
        answer_cached_input_tokens = answer_cached_input_tokens - p.p_cached,
        answer_cache_write_tokens  = answer_cache_write_tokens - p.p_cache_write
    FROM (SELECT a.created_at / 86400000 AS p_day, a.route AS p_route, a.model AS p_model,
                 coalesce(a.task, '') AS p_task, coalesce(a.tier, '') AS p_tier, a.status AS p_status,
                 a.input_tokens AS p_input, a.output_tokens AS p_output, a.cached_input_tokens AS p_cached,
                 a.cache_write_tokens AS p_cache_write,
                 EXISTS (SELECT 1 FROM ledger_attempts e
                         WHERE e.request_id = a.request_id AND e.attempt < a.attempt AND e.status = 'ERROR') AS after_error
          FROM ledger_attempts a
          WHERE a.request_id = NEW.request_id AND a.attempt < NEW.attempt
            AND (a.step IS NULL OR a.step NOT IN ('judge', 'sample'))
          ORDER BY a.attempt DESC LIMIT 1) AS p
    WHERE p.p_status = 'OK'
      AND day = p.p_day AND route = p.p_route AND model = p.p_model AND task = p.p_task AND tier = p.p_tier
      AND (NEW.step IS NULL OR NEW.step NOT IN ('judge', 'sample'))
      AND NOT EXISTS (SELECT 1 FROM ledger_attempts b
                      WHERE b.request_id = NEW.request_id AND b.attempt > NEW.attempt
                        AND (b.step IS NULL OR b.step NOT IN ('judge', 'sample')));

    -- ...then give it to the new attempt if it succeeded.
    UPDATE ledger_daily SET
        answers                    = answers + 1,
        recovered                  = recovered + EXISTS (SELECT 1 FROM ledger_attempts e
                                         WHERE e.request_id = NEW.request_id AND e.attempt < NEW.attempt AND e.status = 'ERROR'),
        answer_input_tokens        = answer_input_tokens + NEW.input_tokens,
        answer_output_tokens       = answer_output_tokens + NEW.output_tokens,
        answer_cached_input_tokens = answer_cached_input_tokens + NEW.cached_input_tokens,
        answer_cache_write_tokens  = answer_cache_write_tokens + NEW.cache_write_tokens
    WHERE day = NEW.created_at / 86400000 AND route = NEW.route AND model = NEW.model
      AND task = coalesce(NEW.task, '') AND tier = coalesce(NEW.tier, '')
      AND NEW.status = 'OK'
      AND (NEW.step IS NULL OR NEW.step NOT IN ('judge', 'sample'))
      AND NOT EXISTS (SELECT 1 FROM ledger_attempts b
                      WHERE b.request_id = NEW.request_id AND b.attempt > NEW.attempt
                        AND (b.step IS NULL OR b.step NOT IN ('judge', 'sample')));
END;
