-- Patient links (issue 6, ADR 0012): the same person known under several Patient IDs, in one
-- tenant (two issuers) or in several tenants (hospitals). Patients stay separate rows with their
-- own demographics; a link only says that they are one person, so queries by Patient ID may
-- return the studies of every linked patient the caller may see (services/query, qido).

-- A group of linked patients. A patient is in at most one group (primary key of the member
-- table); linking two patients already in groups merges the groups into the older one.
create table patient_link (
    id           uuid primary key,
    created_at   timestamptz not null default now(),
    created_by   text not null,
    reason       text,
    updated_at   timestamptz not null default now()
);

create table patient_link_member (
    patient_pk   bigint primary key references patient (pk) on delete cascade,
    link_id      uuid not null references patient_link (id) on delete cascade,
    added_at     timestamptz not null default now(),
    added_by     text not null
);
create index patient_link_member_link on patient_link_member (link_id);

-- Every change of a link, for audit and as an outbox: the PatientLinksChanged event is written
-- here in the transaction of the change and published after the commit; published_at stays null
-- until Kafka acknowledged it, and unpublished events are sent again at start-up.
create table patient_link_change (
    event_id     uuid primary key,
    link_id      uuid not null,
    change       text not null,
    requested_by text not null,
    reason       text,
    changed_at   timestamptz not null default now(),
    event        jsonb not null,
    published_at timestamptz
);
create index patient_link_change_link on patient_link_change (link_id, changed_at);
create index patient_link_change_unpublished on patient_link_change (changed_at)
    where published_at is null;
