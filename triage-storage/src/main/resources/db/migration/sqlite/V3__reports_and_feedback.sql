-- Reports (issue 5). A report over a million attempts must answer in well under a second, so the
-- attempts are summed per UTC day as they are written (by the trigger below) and reports read the
-- sums. Key columns hold '' for "none": NULLs would never conflict, and each day would grow a row per
-- attempt without a task or tier.

CREATE TABLE ledger_daily (
    day                        INTEGER NOT NULL, -- UTC day: created_at / 86400000, days since 1970-01-01
    route                      TEXT    NOT NULL,
    model                      TEXT    NOT NULL,
    task                       TEXT    NOT NULL,
    tier                       TEXT    NOT NULL,
    attempts                   INTEGER NOT NULL DEFAULT 0,
    requests                   INTEGER NOT NULL DEFAULT 0, -- attempts numbered 1
    errors                     INTEGER NOT NULL DEFAULT 0,
    cancelled                  INTEGER NOT NULL DEFAULT 0,
    estimated                  INTEGER NOT NULL DEFAULT 0,
    cost_picousd               INTEGER NOT NULL DEFAULT 0,
    input_tokens               INTEGER NOT NULL DEFAULT 0,
    output_tokens              INTEGER NOT NULL DEFAULT 0,
    cached_input_tokens        INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens         INTEGER NOT NULL DEFAULT 0,
    -- A request's answer: its last attempt that is not a scorer's call (step judge/sample), if that one succeeded.
    answers                    INTEGER NOT NULL DEFAULT 0,
    recovered                  INTEGER NOT NULL DEFAULT 0, -- answers after a failed attempt of the same request
    answer_input_tokens        INTEGER NOT NULL DEFAULT 0,
    answer_output_tokens       INTEGER NOT NULL DEFAULT 0,
    answer_cached_input_tokens INTEGER NOT NULL DEFAULT 0,
    answer_cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, route, model, task, tier)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_daily_users (
    day          INTEGER NOT NULL,
    user_id      TEXT    NOT NULL, -- '' for requests without a user field
    attempts     INTEGER NOT NULL DEFAULT 0,
    requests     INTEGER NOT NULL DEFAULT 0,
    cost_picousd INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id)
) STRICT, WITHOUT ROWID;

-- Quality signals (POST /v1/feedback). The request's route, answering model and task are copied in
-- when the feedback arrives, so quality reports never scan the attempts.
CREATE TABLE ledger_feedback (
    id           INTEGER PRIMARY KEY,
    request_id   TEXT    NOT NULL,
    score_micros INTEGER NOT NULL CHECK (score_micros BETWEEN 0 AND 1000000),
    comment      TEXT,
    route        TEXT    NOT NULL,
    model        TEXT,            -- the answering model; null when the request got no answer
    task         TEXT,
    tier         TEXT,
    user_id      TEXT,
    request_at   INTEGER NOT NULL, -- when the request's first attempt started (epoch ms)
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_feedback_request_at ON ledger_feedback (request_at, route, model, task, score_micros);
CREATE INDEX ledger_feedback_request_id ON ledger_feedback (request_id);

-- Rows already in the ledger when this migration runs.
INSERT INTO ledger_daily (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated, cost_picousd,
                          input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, answers, recovered,
                          answer_input_tokens, answer_output_tokens, answer_cached_input_tokens, answer_cache_write_tokens)
SELECT created_at / 86400000, route, model, coalesce(task, ''), coalesce(tier, ''), count(*),
       sum(attempt = 1), sum(status = 'ERROR'), sum(status = 'CANCELLED'), sum(usage_estimated), sum(cost_picousd),
       sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
       sum(is_answer), sum(is_answer * after_error), sum(is_answer * input_tokens), sum(is_answer * output_tokens),
       sum(is_answer * cached_input_tokens), sum(is_answer * cache_write_tokens)
FROM (SELECT a.*,
             (a.status = 'OK' AND (a.step IS NULL OR a.step NOT IN ('judge', 'sample')) AND a.attempt = max(
                 CASE WHEN a.step IS NULL OR a.step NOT IN ('judge', 'sample') THEN a.attempt END) OVER (PARTITION BY a.request_id)) AS is_answer,
             coalesce(min(CASE WHEN a.status = 'ERROR' THEN a.attempt END) OVER (PARTITION BY a.request_id) < a.attempt, 0) AS after_error
      FROM ledger_attempts a)
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO ledger_daily_users (day, user_id, attempts, requests, cost_picousd)
SELECT created_at / 86400000, coalesce(user_id, ''), count(*), sum(attempt = 1), sum(cost_picousd)
FROM ledger_attempts GROUP BY 1, 2;

-- Keeps the sums as attempts are written. Only rows actually inserted fire it: a replayed row that
-- INSERT OR IGNORE skips is not counted twice.
CREATE TRIGGER ledger_attempts_daily AFTER INSERT ON ledger_attempts
BEGIN
    INSERT INTO ledger_daily (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated,
                              cost_picousd, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens)
    VALUES (NEW.created_at / 86400000, NEW.route, NEW.model, coalesce(NEW.task, ''), coalesce(NEW.tier, ''), 1,
            NEW.attempt = 1, NEW.status = 'ERROR', NEW.status = 'CANCELLED', NEW.usage_estimated, NEW.cost_picousd,
            NEW.input_tokens, NEW.output_tokens, NEW.cached_input_tokens, NEW.cache_write_tokens)
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
        cache_write_tokens  = cache_write_tokens + excluded.cache_write_tokens;

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
