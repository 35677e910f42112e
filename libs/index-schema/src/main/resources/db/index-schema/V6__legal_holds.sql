-- Legal holds (ADR 0043): storage-tiering places and lifts them and announces each hold's state on
-- the compacted strata.legal.holds; index (this schema's one writer) keeps the latest state of each
-- hold here and refuses to delete a study a hold in force covers. A hold names a study, or a
-- patient (Patient ID, with an issuer or, when issuer is null, under every issuer).
create table legal_hold (
    hold_key    text primary key,
    tenant      text not null,
    study_uid   text,
    patient_id  text,
    issuer      text,
    in_force    boolean not null,
    reason      text,
    changed_by  text not null,
    -- occurredAt of the event: an older state never replaces a newer one
    changed_at  timestamptz not null,
    check ((study_uid is null) <> (patient_id is null))
);
create index legal_hold_study on legal_hold (tenant, study_uid) where in_force;
create index legal_hold_patient on legal_hold (tenant, patient_id) where in_force;
