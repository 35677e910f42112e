-- Rebuild jobs (POST /admin/rebuilds, ADR 0007) survive a restart: each job's progress is
-- checkpointed here after every batch (counters and the last object key whose sidecar is applied;
-- S3 lists keys in order). A RUNNING job whose owner stopped checkpointing (the instance died or
-- was restarted) is claimed by another instance, or by the same one after its restart, and resumed
-- after that key: the objects since the checkpoint are applied again, which is harmless because
-- indexing is idempotent.
create table rebuild_job (
    id               uuid primary key,
    -- null: every tenant
    tenant           text,
    state            text not null check (state in ('RUNNING', 'DONE', 'FAILED')),
    objects_scanned  bigint not null default 0,
    sidecars         bigint not null default 0,
    indexed          bigint not null default 0,
    failed           bigint not null default 0,
    resume_after     text,
    -- the index instance running it (a random id per process)
    owner            text not null,
    started_at       timestamptz not null,
    checkpoint_at    timestamptz not null,
    finished_at      timestamptz,
    error            text
);
create index rebuild_job_running on rebuild_job (checkpoint_at) where state = 'RUNNING';
