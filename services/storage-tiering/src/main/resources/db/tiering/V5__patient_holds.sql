-- Legal holds on a patient of a tenant: every study of the patient is held. The patient is named
-- as the index names it (Patient ID and, optionally, its issuer: none = every issuer). The studies
-- the index has for the patient are also recorded when the hold is placed and at every retention
-- evaluation, so a study index has already deleted (its rows gone) stays held.
create table patient_hold (
    id          uuid primary key,
    tenant      text not null,
    patient_id  text not null,
    issuer      text,
    reason      text not null,
    set_by      text not null,
    set_at      timestamptz not null default now(),
    lifted_by   text,
    lifted_at   timestamptz
);
create unique index patient_hold_in_force on patient_hold (tenant, patient_id, coalesce(issuer, ''))
    where lifted_at is null;

create table patient_hold_study (
    hold_id     uuid not null references patient_hold (id),
    study_uid   text not null,
    primary key (hold_id, study_uid)
);
