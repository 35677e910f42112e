package org.strata.audit.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.audit.chain.VerificationReport.Kind;

/** The verifier's findings on a chain built here, without a database. */
class ChainVerifierTest {
  private static final KeyPair KEY = SigningKeys.generate();
  private static final ChainVerifier VERIFIER =
      new ChainVerifier(Map.of(SigningKeys.keyId(KEY.getPublic()), KEY.getPublic()));

  private final List<ChainEntry> chain = chain(8);
  private final List<Checkpoint> checkpoints =
      List.of(checkpoint(chain.get(3)), checkpoint(chain.get(7)));

  @Test
  void anIntactChainIsValid() {
    VerificationReport r = verify(chain, checkpoints);
    assertTrue(r.valid());
    assertEquals(8, r.records());
    assertEquals(2, r.checkpoints());
  }

  @Test
  void aChainStartsAtItsAnchorAfterRetention() {
    List<ChainEntry> rest = chain.subList(4, 8);
    assertTrue(
        VERIFIER.verify(4, chain.get(3).hash(), () -> rest.iterator(), checkpoints, 8L).valid());
    VerificationReport fromGenesis =
        VERIFIER.verify(0, ChainHash.GENESIS, () -> rest.iterator(), checkpoints, 8L);
    assertEquals(Kind.MISSING, fromGenesis.firstBreak().kind());
    assertEquals(1, fromGenesis.firstBreak().seq());
  }

  @Test
  void eachTamperingIsNamedAtItsFirstRecord() {
    List<ChainEntry> edited = new ArrayList<>(chain);
    ChainEntry e = chain.get(2);
    edited.set(
        2,
        new ChainEntry(
            3, e.digest(), e.hash(), "{\"n\":99}".getBytes(StandardCharsets.UTF_8), null));
    assertBreak(edited, 3, Kind.EDITED);

    List<ChainEntry> missing = new ArrayList<>(chain);
    missing.remove(4);
    assertBreak(missing, 5, Kind.MISSING);

    List<ChainEntry> swapped = new ArrayList<>(chain);
    swapped.set(1, renumbered(chain.get(5), 2));
    swapped.set(5, renumbered(chain.get(1), 6));
    assertBreak(swapped, 2, Kind.REORDERED);

    assertBreak(chain.subList(0, 6), 7, Kind.TRUNCATED);
  }

  @Test
  void aCheckpointOfAKeyNotTrustedIsAnUnknownKey() {
    KeyPair stranger = SigningKeys.generate();
    ChainVerifier other =
        new ChainVerifier(Map.of(SigningKeys.keyId(stranger.getPublic()), stranger.getPublic()));
    VerificationReport r = other.verify(0, ChainHash.GENESIS, chain::iterator, checkpoints, 8L);
    assertEquals(Kind.UNKNOWN_KEY, r.firstBreak().kind());
  }

  private void assertBreak(List<ChainEntry> entries, long seq, Kind kind) {
    VerificationReport r = verify(entries, checkpoints);
    assertEquals(kind, r.firstBreak() == null ? null : r.firstBreak().kind(), String.valueOf(r));
    assertEquals(seq, r.firstBreak().seq(), String.valueOf(r));
  }

  private static VerificationReport verify(List<ChainEntry> entries, List<Checkpoint> checkpoints) {
    return VERIFIER.verify(0, ChainHash.GENESIS, entries::iterator, checkpoints, 8L);
  }

  private static ChainEntry renumbered(ChainEntry e, long seq) {
    return new ChainEntry(seq, e.digest(), e.hash(), e.canonical(), null);
  }

  private static List<ChainEntry> chain(int n) {
    List<ChainEntry> entries = new ArrayList<>();
    byte[] previous = ChainHash.GENESIS;
    for (int i = 1; i <= n; i++) {
      byte[] canonical = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      byte[] digest = ChainHash.digest(canonical);
      previous = ChainHash.link(previous, digest);
      entries.add(new ChainEntry(i, digest, previous, canonical, null));
    }
    return entries;
  }

  private static Checkpoint checkpoint(ChainEntry head) {
    Instant at = Instant.parse("2026-12-07T10:00:00Z");
    try {
      Signature s = Signature.getInstance(CheckpointStatement.ALGORITHM);
      s.initSign(KEY.getPrivate());
      s.update(new CheckpointStatement(head.seq(), head.hash(), at).bytes());
      return new Checkpoint(
          head.seq(), head.hash(), at, SigningKeys.keyId(KEY.getPublic()), s.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
