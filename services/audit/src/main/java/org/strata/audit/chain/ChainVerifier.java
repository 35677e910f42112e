package org.strata.audit.chain;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.strata.audit.chain.VerificationReport.Kind;

/**
 * Verifies a chain (ADR 0033) and says where it first breaks: the database's (GET /audit/verify)
 * and an export's ({@link OfflineVerifier}) alike. Streams the records once; only when a record's
 * hash does not follow from its predecessor does it read them a second time, to tell a record moved
 * elsewhere (its hash follows from another record) from an edited one.
 */
public final class ChainVerifier {
  private final Map<String, PublicKey> trustedKeys;

  /**
   * @param trustedKeys the checkpoint keys to trust, by key id ({@link SigningKeys#keyId})
   */
  public ChainVerifier(Map<String, PublicKey> trustedKeys) {
    this.trustedKeys = Map.copyOf(trustedKeys);
  }

  /**
   * @param anchorSeq the seq before the first record (0, or the last seq retention dropped)
   * @param anchorHash the hash of that record ({@link ChainHash#GENESIS} for 0)
   * @param entries the records in seq order, readable more than once
   * @param checkpoints the signed checkpoints in count order
   * @param headSeq the head the chain claims to have (the database's head row), or {@code null}
   */
  public VerificationReport verify(
      long anchorSeq,
      byte[] anchorHash,
      Supplier<Iterator<ChainEntry>> entries,
      List<Checkpoint> checkpoints,
      Long headSeq) {
    List<Checkpoint> pending = checkpoints.stream().filter(c -> c.count() > anchorSeq).toList();
    for (Checkpoint c : pending) {
      PublicKey key = trustedKeys.get(c.keyId());
      if (key == null) {
        return VerificationReport.broken(
            0,
            0,
            0,
            c.count(),
            Kind.UNKNOWN_KEY,
            "the checkpoint at count "
                + c.count()
                + " is signed by key "
                + c.keyId()
                + ", which is not one of the trusted keys "
                + new java.util.TreeSet<>(trustedKeys.keySet())
                + " (a retired key's public key must be kept for verification)");
      }
      if (!c.statement().verify(key, c.signature())) {
        return VerificationReport.broken(
            0,
            0,
            0,
            c.count(),
            Kind.FORGED_CHECKPOINT,
            "the checkpoint at count " + c.count() + " has a bad signature for key " + c.keyId());
      }
    }
    byte[] previous = anchorHash;
    long expected = anchorSeq + 1;
    long records = 0;
    int next = 0;
    long lastCheckpoint = 0;
    Iterator<ChainEntry> it = entries.get();
    while (it.hasNext()) {
      ChainEntry e = it.next();
      if (e.seq() != expected) {
        long lastCp = lastCheckpoint;
        return e.seq() > expected
            ? VerificationReport.broken(
                records,
                next,
                lastCp,
                expected,
                Kind.MISSING,
                e.seq() == expected + 1
                    ? "record " + expected + " is missing"
                    : "records " + expected + " to " + (e.seq() - 1) + " are missing")
            : VerificationReport.broken(
                records,
                next,
                lastCp,
                e.seq(),
                Kind.REORDERED,
                "record " + e.seq() + " appears again after record " + (expected - 1));
      }
      if (e.canonical() != null && !Arrays.equals(e.digest(), ChainHash.digest(e.canonical()))) {
        return VerificationReport.broken(
            records,
            next,
            lastCheckpoint,
            e.seq(),
            Kind.EDITED,
            "its content does not match its digest");
      }
      if (e.inconsistency() != null) {
        return VerificationReport.broken(
            records, next, lastCheckpoint, e.seq(), Kind.EDITED, e.inconsistency());
      }
      if (!Arrays.equals(e.hash(), ChainHash.link(previous, e.digest()))) {
        Long after = predecessorOf(e, anchorSeq, anchorHash, entries);
        return after == null
            ? VerificationReport.broken(
                records,
                next,
                lastCheckpoint,
                e.seq(),
                Kind.EDITED,
                "its chain hash does not follow from record " + (e.seq() - 1) + " and its digest")
            : VerificationReport.broken(
                records,
                next,
                lastCheckpoint,
                e.seq(),
                Kind.REORDERED,
                "it was appended after the record now at "
                    + after
                    + ", not after "
                    + (e.seq() - 1));
      }
      while (next < pending.size() && pending.get(next).count() == e.seq()) {
        Checkpoint c = pending.get(next);
        if (!Arrays.equals(c.headHash(), e.hash())) {
          long from = lastCheckpoint == 0 ? anchorSeq + 1 : lastCheckpoint + 1;
          return VerificationReport.broken(
              records,
              next,
              lastCheckpoint,
              from,
              Kind.EDITED,
              "the chain up to record "
                  + c.count()
                  + " differs from its signed checkpoint: records "
                  + from
                  + " to "
                  + c.count()
                  + " were rewritten");
        }
        lastCheckpoint = c.count();
        next++;
      }
      previous = e.hash();
      expected++;
      records++;
    }
    long last = expected - 1;
    if (next < pending.size()) {
      return VerificationReport.broken(
          records,
          next,
          lastCheckpoint,
          last + 1,
          Kind.TRUNCATED,
          "the chain ends at record "
              + last
              + " but a signed checkpoint counts "
              + pending.get(pending.size() - 1).count()
              + " records");
    }
    if (headSeq != null && headSeq > last) {
      return VerificationReport.broken(
          records,
          next,
          lastCheckpoint,
          last + 1,
          Kind.TRUNCATED,
          "the chain ends at record " + last + " but its head counts " + headSeq + " records");
    }
    return VerificationReport.valid(records, next, lastCheckpoint);
  }

  /** The seq of the record this entry's hash follows from (anchor included), or null. */
  private static Long predecessorOf(
      ChainEntry moved, long anchorSeq, byte[] anchorHash, Supplier<Iterator<ChainEntry>> entries) {
    if (Arrays.equals(moved.hash(), ChainHash.link(anchorHash, moved.digest()))) {
      return anchorSeq;
    }
    Iterator<ChainEntry> it = entries.get();
    while (it.hasNext()) {
      ChainEntry candidate = it.next();
      if (candidate.seq() != moved.seq()
          && Arrays.equals(moved.hash(), ChainHash.link(candidate.hash(), moved.digest()))) {
        return candidate.seq();
      }
    }
    return null;
  }
}
