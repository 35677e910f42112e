-- Deletes that delete: one row per object set (object, sidecar, frame index) of an instance that
-- index deleted (InstanceDeleted), removed from S3 after the grace period unless the study is held.
create table deletion_job (
    id               uuid primary key,
    event_id         uuid not null,
    tenant           text not null,
    study_uid        text not null,
    bucket           text not null,
    object_key       text not null,
    sidecar_key      text,
    frame_index_key  text,
    -- PENDING (working), DONE, SKIPPED (the index points at the key again: re-stored)
    state            text not null default 'PENDING',
    reason           text,
    not_before       timestamptz not null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint deletion_job_once unique (event_id, bucket, object_key)
);
create index deletion_job_due on deletion_job (not_before) where state = 'PENDING';
