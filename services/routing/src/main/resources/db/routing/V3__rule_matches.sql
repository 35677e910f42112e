-- How often each rule matched, so the never-matched report covers a week across restarts rather
-- than the time since the start. first_seen: when routing first had the rule in force (a rule
-- added yesterday has not yet had a week to match). Counts are added in batches (RuleMatches).
create table rule_match (
  rule_id text primary key,
  first_seen timestamptz not null default now(),
  matches bigint not null default 0,
  last_match_at timestamptz
);
