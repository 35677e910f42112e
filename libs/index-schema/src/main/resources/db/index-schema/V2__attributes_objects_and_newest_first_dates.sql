-- 1. Instances indexed before the fix of 2026-11-23 hold their DICOM JSON attributes as a JSON
--    string (the text of the object) instead of the object: unwrap them.
update instance set attributes = (attributes #>> '{}')::jsonb
 where jsonb_typeof(attributes) = 'string';

-- 2. QIDO lists studies newest first: an index in that order lets a date range (and modality) page
--    stop after `limit` rows instead of sorting every study of the range (31 ms -> 2.2 ms for a
--    year of a 1 M-instance archive, make bench query; with custom plans, see services/query).
create index study_date_newest_first_idx
    on study (tenant, study_date desc nulls last, study_time desc nulls last, pk desc);
