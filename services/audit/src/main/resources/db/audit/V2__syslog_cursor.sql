-- What the DICOM audit message sender (service/SyslogForwarder) has delivered to the Audit Record
-- Repository: the seq of the last record the repository confirmed (ADR 0038). One row; records
-- after it are sent (again) until confirmed, so delivery is at least once.
CREATE TABLE syslog_cursor (
  id smallint PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
INSERT INTO syslog_cursor (id, last_seq, updated_at) VALUES (1, 0, now());
