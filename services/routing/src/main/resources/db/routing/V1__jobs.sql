-- Routing's job status (ADR 0041): one row per job, written by routing only, so that what was sent,
-- failed, given up or cancelled survives a restart. The queue topics stay the record of the work
-- (ADR 0029); this table is what the status API shows and what a retry republishes.
create table job (
  job_id uuid primary key,
  tenant text not null,
  destination text not null,
  priority text not null,
  rule_id text,
  requested_by text,
  study_uid text not null,
  state text not null,
  total integer not null,
  sent integer not null,
  attempts integer not null,
  last_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null,
  -- the job's latest RoutingJob record (EventCodec JSON): what a retry republishes, and how a
  -- record read again after a restart is recognised as already finished
  last_record bytea not null
);

create index job_destination_state_idx on job (destination, state);
create index job_updated_at_idx on job (updated_at desc);
