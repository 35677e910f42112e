-- Legal holds on studies: while a hold is in force, nothing storage-tiering does deletes any of the
-- study's objects (a move keeps its source). Lifted holds stay, with who lifted them and when.
create table legal_hold (
    id          uuid primary key,
    tenant      text not null,
    study_uid   text not null,
    reason      text not null,
    set_by      text not null,
    set_at      timestamptz not null default now(),
    lifted_by   text,
    lifted_at   timestamptz
);
create unique index legal_hold_in_force on legal_hold (tenant, study_uid) where lifted_at is null;
