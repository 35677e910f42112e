-- Retention (issue 18): each study's expiry under its tenant's rule, computed here from the index
-- (read-only) so the birth date never leaves PostgreSQL; and the purge journal.
create table study_retention (
    tenant       text not null,
    study_uid    text not null,
    rule         text not null,
    -- the later of Study Date + years and (children) the birthday of the rule's age
    expires_on   date not null,
    computed_at  timestamptz not null default now(),
    primary key (tenant, study_uid)
);
create index study_retention_expiry on study_retention (expires_on);

-- One purge per expired study: DUE (waiting: grace, hold), REQUESTED (InstanceDeleted published,
-- waiting for index to remove the rows), DONE (every object under the study on every tier removed).
create table retention_purge (
    id               uuid primary key,
    event_id         uuid not null,
    tenant           text not null,
    study_uid        text not null,
    rule             text not null,
    expires_on       date not null,
    state            text not null default 'DUE',
    reason           text,
    objects_removed  integer not null default 0,
    requested_at     timestamptz,
    not_before       timestamptz not null default now(),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create unique index retention_purge_once on retention_purge (tenant, study_uid) where state <> 'DONE';
create index retention_purge_due on retention_purge (not_before) where state <> 'DONE';
