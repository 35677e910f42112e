-- storage-tiering's own schema (ADR 0018: the index schema is index's; this one is tiering's).
-- The move journal: one row per instance move, its state committed before the next step begins, so
-- a process killed at any step resumes from here (ADR 0031).
create table move_job (
    id               uuid primary key,
    request_id       uuid not null,
    tenant           text not null,
    study_uid        text not null,
    series_uid       text not null,
    sop_instance_uid text not null,
    version          integer not null,
    from_tier        text not null,
    from_bucket      text not null,
    to_tier          text not null,
    to_bucket        text not null,
    -- the same keys on every tier (ObjectKeys): only the bucket (and its endpoint) changes
    object_key       text not null,
    sidecar_key      text,
    frame_index_key  text,
    size             bigint not null,
    sha256           text not null,
    -- PLANNED, COPIED, VERIFIED, SWITCH_REQUESTED, SWITCHED (working), DONE, REFUSED, ROLLED_BACK
    state            text not null,
    reason           text,
    attempts         integer not null default 0,
    not_before       timestamptz not null default now(),
    switched_at      timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
-- One move at a time per instance: a repeated request does not plan a second.
create unique index move_job_one_active on move_job (tenant, sop_instance_uid)
    where state not in ('DONE', 'REFUSED', 'ROLLED_BACK');
create index move_job_due on move_job (not_before)
    where state not in ('DONE', 'REFUSED', 'ROLLED_BACK');
create index move_job_request on move_job (request_id);
