-- Shared context across models (issue 14): the context-sharing arm of each attempt's session, 'compact' or
-- 'full' (an experiment's control), so reports compare cost and feedback by arm. Null for attempts on routes
-- that share no context, and for every row written before this migration.
ALTER TABLE ledger_attempts ADD COLUMN context_arm TEXT;
-- The report reads the attempts of a period that have an arm; only those are in this index, so it costs
-- nothing for a ledger without experiments.
CREATE INDEX ledger_attempts_context_arm ON ledger_attempts (created_at, context_arm) WHERE context_arm IS NOT NULL;

-- Copied from the rated request's first attempt, like its route and task, so quality by arm needs no join.
ALTER TABLE ledger_feedback ADD COLUMN context_arm TEXT;
CREATE INDEX ledger_feedback_context_arm ON ledger_feedback (request_at, context_arm, score_micros) WHERE context_arm IS NOT NULL;
