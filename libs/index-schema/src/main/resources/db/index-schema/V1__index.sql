-- Strata's index: one row per patient, study, series and instance of each tenant (hospital), with
-- the QIDO-RS matching attributes as typed columns. Owned by the index service; others only read.

create extension if not exists pg_trgm;

-- Case- and accent-insensitive form of a person name or text: upper case, accents removed,
-- DICOM component separators as spaces. Done in Java on write (PersonNames.normalize) and the same
-- way for query values, so the database needs no unaccent extension or locale.

create table tenant (
    id              text primary key,
    default_issuer  text not null,
    created_at      timestamptz not null default now()
);

create table patient (
    pk               bigint generated always as identity primary key,
    tenant           text not null references tenant (id),
    patient_id       text not null,
    issuer           text not null,
    -- PN as received (all three component groups, '=' separated)
    patient_name     text,
    -- normalised name for matching: all component groups, see above
    patient_name_norm text,
    birth_date       date,
    sex              text,
    -- occurredAt of the event the demographics come from: later events win, older ones don't
    demographics_at  timestamptz not null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint patient_natural_key unique (tenant, patient_id, issuer)
);
create index patient_name_prefix on patient (tenant, patient_name_norm text_pattern_ops);
create index patient_name_trgm on patient using gin (patient_name_norm gin_trgm_ops);
create index patient_id_any_issuer on patient (tenant, patient_id);

-- Demographic changes of a patient, for audit and for undoing a wrong update.
create table patient_change (
    pk              bigint generated always as identity primary key,
    patient_pk      bigint not null references patient (pk) on delete cascade,
    event_id        uuid not null,
    changed_at      timestamptz not null default now(),
    old_name        text,
    new_name        text,
    old_birth_date  date,
    new_birth_date  date,
    old_sex         text,
    new_sex         text
);
create index patient_change_patient on patient_change (patient_pk);

create table study (
    pk                     bigint generated always as identity primary key,
    tenant                 text not null references tenant (id),
    study_uid              text not null,
    patient_pk             bigint not null references patient (pk),
    study_date             date,
    study_time             time,
    accession_number       text,
    study_id               text,
    study_description      text,
    referring_physician    text,
    referring_physician_norm text,
    -- aggregates, kept by the indexer in the same transaction as the instance
    number_of_series       integer not null default 0,
    number_of_instances    integer not null default 0,
    modalities_in_study    text[] not null default '{}',
    sop_classes_in_study   text[] not null default '{}',
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    constraint study_natural_key unique (tenant, study_uid)
);
create index study_patient on study (patient_pk);
create index study_date_idx on study (tenant, study_date, study_time);
create index study_accession on study (tenant, accession_number);
create index study_modalities on study using gin (modalities_in_study);
create index study_referring_prefix on study (tenant, referring_physician_norm text_pattern_ops);
create index study_created on study (tenant, created_at);

create table series (
    pk                      bigint generated always as identity primary key,
    tenant                  text not null references tenant (id),
    study_pk                bigint not null references study (pk) on delete cascade,
    series_uid              text not null,
    modality                text,
    series_number           integer,
    series_description      text,
    body_part_examined      text,
    performed_procedure_step_start_date date,
    performed_procedure_step_start_time time,
    number_of_instances     integer not null default 0,
    created_at              timestamptz not null default now(),
    constraint series_natural_key unique (tenant, series_uid)
);
create index series_study on series (study_pk);
create index series_modality on series (tenant, modality);

create table instance (
    pk                  bigint generated always as identity primary key,
    tenant              text not null references tenant (id),
    series_pk           bigint not null references series (pk) on delete cascade,
    sop_instance_uid    text not null,
    sop_class_uid       text not null,
    instance_number     integer,
    number_of_frames    integer,
    pixel_rows          integer,
    pixel_columns       integer,
    transfer_syntax_uid text not null,
    -- the InstanceStored event this row comes from: a replay of it is a no-op
    stored_event_id     uuid not null,
    version             integer not null,
    -- DICOM JSON of the attributes QIDO returns (PS3.18 Annex F), for includefield without S3
    attributes          jsonb,
    indexed_at          timestamptz not null default now(),
    constraint instance_natural_key unique (tenant, sop_instance_uid)
);
create index instance_series on instance (series_pk, instance_number);
create index instance_sop_class on instance (tenant, sop_class_uid);

create table object_location (
    instance_pk      bigint primary key references instance (pk) on delete cascade,
    bucket           text not null,
    object_key       text not null,
    tier             text not null default 'hot',
    size             bigint not null,
    sha256           text,
    sidecar_key      text,
    frame_index_key  text
);
