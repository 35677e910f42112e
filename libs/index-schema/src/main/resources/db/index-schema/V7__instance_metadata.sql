-- WADO-RS metadata in the index (ADR 0045): per instance, the bytes of its metadata sidecar
-- (UTF-8 DICOM JSON) compressed with zlib, as InstanceStored carried them. The query service reads
-- a series' rows in its instance lookup, so series and study metadata need no S3 read per
-- instance. A row belongs to the instance's current stored event: replaced (or removed) with a new
-- version, gone with the instance. Instances without a row are served from their sidecar.
create table instance_metadata (
    instance_pk  bigint primary key references instance (pk) on delete cascade,
    metadata     bytea not null
);
-- Already compressed: stored out of line when large, never compressed again.
alter table instance_metadata alter column metadata set storage external;
