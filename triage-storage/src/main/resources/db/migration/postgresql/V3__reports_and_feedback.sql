-- Reports (issue 5). A report over a million attempts must answer in well under a second, so the
-- attempts are summed per UTC day as they are written (by the trigger below) and reports read the
-- sums. Key columns hold '' for "none": NULLs would never conflict.

-- Other gateway instances may be writing: hold their inserts until the sums and the trigger exist,
-- so no row is summed twice or missed (their writers retry).
LOCK TABLE ledger_attempts IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE ledger_daily (
    day                        DATE   NOT NULL, -- UTC day of created_at
    route                      TEXT   NOT NULL,
    model                      TEXT   NOT NULL,
    task                       TEXT   NOT NULL,
    tier                       TEXT   NOT NULL,
    attempts                   BIGINT NOT NULL DEFAULT 0,
    requests                   BIGINT NOT NULL DEFAULT 0, -- attempts numbered 1
    errors                     BIGINT NOT NULL DEFAULT 0,
    cancelled                  BIGINT NOT NULL DEFAULT 0,
    estimated                  BIGINT NOT NULL DEFAULT 0,
    cost_picousd               BIGINT NOT NULL DEFAULT 0,
    input_tokens               BIGINT NOT NULL DEFAULT 0,
    output_tokens              BIGINT NOT NULL DEFAULT 0,
    cached_input_tokens        BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens         BIGINT NOT NULL DEFAULT 0,
    -- A request's answer: its last attempt that is not a scorer's call (step judge/sample), if that one succeeded.
    answers                    BIGINT NOT NULL DEFAULT 0,
    recovered                  BIGINT NOT NULL DEFAULT 0, -- answers after a failed attempt of the same request
    answer_input_tokens        BIGINT NOT NULL DEFAULT 0,
    answer_output_tokens       BIGINT NOT NULL DEFAULT 0,
    answer_cached_input_tokens BIGINT NOT NULL DEFAULT 0,
    answer_cache_write_tokens  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, route, model, task, tier)
);

CREATE TABLE ledger_daily_users (
    day          DATE   NOT NULL,
    user_id      TEXT   NOT NULL, -- '' for requests without a user field
    attempts     BIGINT NOT NULL DEFAULT 0,
    requests     BIGINT NOT NULL DEFAULT 0,
    cost_picousd BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id)
);

-- Quality signals (POST /v1/feedback). The request's route, answering model and task are copied in
-- when the feedback arrives, so quality reports never scan the attempts.
CREATE TABLE ledger_feedback (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   TEXT        NOT NULL,
    score_micros INTEGER     NOT NULL CHECK (score_micros BETWEEN 0 AND 1000000),
    comment      TEXT,
    route        TEXT        NOT NULL,
    model        TEXT,                 -- the answering model; null when the request got no answer
    task         TEXT,
    tier         TEXT,
    user_id      TEXT,
    request_at   TIMESTAMPTZ NOT NULL, -- when the request's first attempt started
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_feedback_request_at ON ledger_feedback (request_at, route, model, task, score_micros);
CREATE INDEX ledger_feedback_request_id ON ledger_feedback (request_id);

-- Rows already in the ledger when this migration runs.
INSERT INTO ledger_daily (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated, cost_picousd,
                          input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, answers, recovered,
                          answer_input_tokens, answer_output_tokens, answer_cached_input_tokens, answer_cache_write_tokens)
SELECT (created_at AT TIME ZONE 'UTC')::date, route, model, coalesce(task, ''), coalesce(tier, ''), count(*),
       count(*) FILTER (WHERE attempt = 1), count(*) FILTER (WHERE status = 'ERROR'),
       count(*) FILTER (WHERE status = 'CANCELLED'), count(*) FILTER (WHERE usage_estimated), LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807),
       sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
       count(*) FILTER (WHERE is_answer), count(*) FILTER (WHERE is_answer AND after_error),
       coalesce(sum(input_tokens) FILTER (WHERE is_answer), 0), coalesce(sum(output_tokens) FILTER (WHERE is_answer), 0),
       coalesce(sum(cached_input_tokens) FILTER (WHERE is_answer), 0),
       coalesce(sum(cache_write_tokens) FILTER (WHERE is_answer), 0)
FROM (SELECT a.*,
             (a.status = 'OK' AND (a.step IS NULL OR a.step NOT IN ('judge', 'sample')) AND a.attempt = max(a.attempt)
                 FILTER (WHERE a.step IS NULL OR a.step NOT IN ('judge', 'sample')) OVER (PARTITION BY a.request_id)) AS is_answer,
             coalesce(min(a.attempt) FILTER (WHERE a.status = 'ERROR') OVER (PARTITION BY a.request_id) < a.attempt, false) AS after_error
      FROM ledger_attempts a) x
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO ledger_daily_users (day, user_id, attempts, requests, cost_picousd)
SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(user_id, ''), count(*), count(*) FILTER (WHERE attempt = 1),
       LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807)
FROM ledger_attempts GROUP BY 1, 2;

-- Keeps the sums as attempts are written, once per INSERT statement over the rows it really inserted
-- (rows skipped by ON CONFLICT DO NOTHING are not in the transition table). Keys are upserted in
-- sorted order so concurrent writers take their row locks in the same order.
CREATE FUNCTION ledger_attempts_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_daily AS d (day, route, model, task, tier, attempts, requests, errors, cancelled, estimated,
                                   cost_picousd, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens)
    SELECT (created_at AT TIME ZONE 'UTC')::date, route, model, coalesce(task, ''), coalesce(tier, ''), count(*),
           count(*) FILTER (WHERE attempt = 1), count(*) FILTER (WHERE status = 'ERROR'),
           count(*) FILTER (WHERE status = 'CANCELLED'), count(*) FILTER (WHERE usage_estimated), LEAST(GREATEST(sum(cost_picousd), -9223372036854775808), 9223372036854775807),
           sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens)
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
        cache_write_tokens  = d.cache_write_tokens + excluded.cache_write_tokens;

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

CREATE TRIGGER ledger_attempts_daily AFTER INSERT ON ledger_attempts
    REFERENCING NEW TABLE AS new_attempts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_attempts_daily();
