-- Add ARGV[2] picodollars of spend made without a Redis reservation (a local one, while Redis was away),
-- once per ARGV[1] however often it is retried (a retry after a timeout may follow an add that landed).
-- KEYS: 1 committed (as in reserve.lua), 2 the set of ids already added. ARGV: 1 id, 2 amount, 3 expire-at.
-- Returns 1 when added, 0 when that id was added before.
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then
  return {0}
end
redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('EXPIREAT', KEYS[1], ARGV[3])
redis.call('EXPIREAT', KEYS[2], ARGV[3])
return {1}
