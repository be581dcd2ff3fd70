-- Routing (issue 3): which step of a routing plan made the attempt (cascade stage, fallback, judge,
-- sample) and the routing decision in one line, so every ledger row explains itself.
ALTER TABLE ledger_attempts ADD COLUMN step TEXT;
ALTER TABLE ledger_attempts ADD COLUMN decision TEXT;
