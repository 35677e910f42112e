package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.UID;

/** Association reuse: same peer and proposal only, never after the peer ended the association. */
class DicomClientPoolTest {
  @TempDir Path tmp;

  private int store(DicomClient c, String iuid) throws Exception {
    return c.store(TestFiles.write(tmp, iuid + ".dcm", TestFiles.smallInstance(iuid, 1)));
  }

  @Test
  void reusesOnlyLiveAssociationsWithTheSameProposal() throws Exception {
    try (ReceivingServer rcv =
        new ReceivingServer(
            tmp.resolve("rcv"), AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE)) {
      var proposal = DicomClient.proposal().add(TestFiles.SC, UID.ImplicitVRLittleEndian);
      try (DicomClientPool pool =
          new DicomClientPool(DicomClient.Options.DEFAULTS, Duration.ofMinutes(5), 2)) {
        DicomClient a = pool.acquire("127.0.0.1", rcv.port(), "ME", "STRATA", proposal);
        assertEquals(Status.SUCCESS, store(a, "2.25.81.1"));
        pool.release(a);
        assertEquals(1, pool.idleCount());
        DicomClient b = pool.acquire("127.0.0.1", rcv.port(), "ME", "STRATA", proposal);
        assertSame(a, b);
        assertEquals(Status.SUCCESS, store(b, "2.25.81.2"));
        // another proposal or called AE: another association
        DicomClient other =
            pool.acquire(
                "127.0.0.1", rcv.port(), "ME", "STRATA", DicomClient.proposal().verification());
        assertNotSame(b, other);
        assertEquals(Status.SUCCESS, other.echo());
        pool.release(other);
        pool.release(b);
        assertEquals(1, rcv.associations.size(), "both stores on one association");

        // the SCP aborts the idle association: it is not handed out again
        Association serverSide = rcv.associations.iterator().next();
        serverSide.abort(); // A-ABORT written and the socket closed when this returns
        DicomClient c = pool.acquire("127.0.0.1", rcv.port(), "ME", "STRATA", proposal);
        assertNotSame(b, c);
        assertEquals(Status.SUCCESS, store(c, "2.25.81.3"));
        assertEquals(2, rcv.associations.size());
        pool.release(c);
        assertEquals(2, pool.idleCount());
      }
      // closing the pool released the idle associations
      assertTrue(rcv.server.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, rcv.server.activeAssociations());
      assertEquals(3, rcv.received.size());
    }
  }
}
