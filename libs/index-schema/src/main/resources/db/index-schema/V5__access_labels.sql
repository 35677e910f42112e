-- Access labels (ADR 0025): the departments of its tenant a study belongs to, set at ingest by the
-- tenant's label rules and carried by InstanceStored. A study's labels are the union of its
-- instances' labels. A token limited to departments of a tenant sees only the studies of that
-- tenant carrying one of its labels; the query service puts that condition in its SQL.
alter table study add column access_labels text[] not null default '{}';
create index study_access_labels_idx on study using gin (access_labels);
