-- The last successful read or export of each study (ADR 0072), from the audit trail
-- (strata.audit.record): what lifecycle policies with "since": "access" age from. A study with no
-- row has not been read since this table exists; it counts from its ingest.
create table study_access (
    tenant       text not null,
    study_uid    text not null,
    last_access  timestamptz not null,
    primary key (tenant, study_uid)
);
