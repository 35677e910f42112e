-- The audit trail (services/audit, ADR 0033): one hash chain over every record, in arrival order.
-- Only the audit service writes this schema (ADR 0018). Records are never updated or deleted;
-- retention drops whole monthly partitions and leaves a signed anchor in their place.

-- One row per record, in chain order. seq is the position in the chain (1, 2, ...); digest is
-- SHA-256 of the canonical form (ADR 0034), hash is SHA-256(previous hash || digest).
-- The searchable columns are copies of fields of the canonical form, checked against it by the
-- verifier.
CREATE TABLE record (
    seq          BIGINT       NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL,
    event_id     UUID         NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    tenant       TEXT         NOT NULL,
    event_type   TEXT         NOT NULL,
    action       TEXT         NOT NULL,
    outcome      SMALLINT     NOT NULL,
    actor        TEXT         NOT NULL,
    service      TEXT,
    channel      TEXT,
    patients     TEXT[]       NOT NULL,
    studies      TEXT[]       NOT NULL,
    canonical    BYTEA        NOT NULL,
    digest       BYTEA        NOT NULL,
    hash         BYTEA        NOT NULL,
    PRIMARY KEY (seq, received_at)
) PARTITION BY RANGE (received_at);

CREATE INDEX record_seq ON record (seq);
CREATE INDEX record_tenant_occurred ON record (tenant, occurred_at);
CREATE INDEX record_patients ON record USING GIN (patients);

-- Record ids seen: a repeat (a producer's retry, a replay) is dropped. Not partitioned, so the id
-- is unique across every month.
CREATE TABLE record_id (
    event_id UUID   PRIMARY KEY,
    seq      BIGINT NOT NULL
);

-- The chain's head: the one row appends lock (SELECT ... FOR UPDATE), so appends are serialised
-- even with several instances of the service. seq 0 and 32 zero bytes before the first record.
CREATE TABLE chain_head (
    id    SMALLINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT   NOT NULL,
    hash  BYTEA    NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Signed checkpoints: Ed25519 over (count, head hash, signed at); see CheckpointStatement.
CREATE TABLE checkpoint (
    count       BIGINT       PRIMARY KEY,
    head_hash   BYTEA        NOT NULL,
    signed_at   TIMESTAMPTZ  NOT NULL,
    key_id      TEXT         NOT NULL,
    signature   BYTEA        NOT NULL
);

-- Where the chain starts after retention dropped its oldest partitions: the last dropped seq and
-- its hash, so verification starts there instead of at the genesis.
CREATE TABLE chain_anchor (
    seq          BIGINT       PRIMARY KEY,
    hash         BYTEA        NOT NULL,
    partition    TEXT         NOT NULL,
    dropped_at   TIMESTAMPTZ  NOT NULL
);

-- Append-only: no UPDATE, DELETE or TRUNCATE of records, ids, checkpoints or anchors through SQL,
-- whoever connects (the service's role owns the tables, so grants alone could not say it).
-- Whoever can disable a trigger can still tamper: that is what the hash chain detects.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER record_append_only BEFORE UPDATE OR DELETE ON record
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON record
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_id_append_only BEFORE UPDATE OR DELETE ON record_id
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE ON checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER chain_anchor_append_only BEFORE UPDATE OR DELETE ON chain_anchor
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
