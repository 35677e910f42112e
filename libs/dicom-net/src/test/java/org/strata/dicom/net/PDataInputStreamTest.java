package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.Pdv;

class PDataInputStreamTest {

  /** PDVs as the association would hand them out, and the protocol errors it was asked for. */
  private static final class Pdvs implements PDataInputStream.PdvSource {
    final Deque<Pdv> queue = new ArrayDeque<>();
    final List<Integer> abortReasons = new ArrayList<>();
    int pulled;

    Pdvs add(int pcid, int header, byte[] payload) {
      // payload in the middle of a larger buffer, as in a received PDU
      byte[] pdu = new byte[payload.length + 5];
      System.arraycopy(payload, 0, pdu, 3, payload.length);
      queue.add(new Pdv(pcid, header, pdu, 3, payload.length));
      return this;
    }

    @Override
    public Pdv nextInMessage() throws IOException {
      pulled++;
      Pdv pdv = queue.poll();
      if (pdv == null) {
        throw new IOException("peer released in the middle of a message");
      }
      return pdv;
    }

    @Override
    public IOException protocolError(int reason, String message) {
      abortReasons.add(reason);
      return AAbortException.provider(reason, message);
    }
  }

  private final Pdvs pdvs = new Pdvs();

  @Test
  void reassemblesTheFragmentsOfOneContext() throws IOException {
    byte[] a = PDataOutputStreamTest.bytes(5);
    byte[] b = {9, 8, 7};
    pdvs.add(3, 0, a).add(3, Pdv.LAST, b);
    byte[] read = new PDataInputStream(pdvs, 3).readAllBytes();
    byte[] expected = Arrays.copyOf(a, 8);
    System.arraycopy(b, 0, expected, 5, 3);
    assertArrayEquals(expected, read);
  }

  @Test
  void pullsTheNextFragmentOnlyWhenTheConsumerReads() throws IOException {
    pdvs.add(1, 0, new byte[] {1, 2}).add(1, Pdv.LAST, new byte[] {3});
    PDataInputStream in = new PDataInputStream(pdvs, 1);
    assertEquals(0, pdvs.pulled);
    assertEquals(1, in.read());
    assertEquals(1, pdvs.pulled);
    assertEquals(1, in.available());
    assertEquals(2, in.read());
    assertEquals(0, in.available());
    assertEquals(1, pdvs.pulled);
    assertEquals(3, in.read());
    assertEquals(2, pdvs.pulled);
    assertEquals(-1, in.read());
    assertEquals(2, pdvs.pulled);
  }

  @Test
  void emptyFragmentsAreSkippedAndAnEmptyLastFragmentEndsTheStream() throws IOException {
    pdvs.add(1, 0, new byte[0]).add(1, 0, new byte[] {4}).add(1, Pdv.LAST, new byte[0]);
    assertArrayEquals(new byte[] {4}, new PDataInputStream(pdvs, 1).readAllBytes());
  }

  @Test
  void aPdvOfAnotherContextIsAProtocolErrorAndTheStreamStaysFailed() {
    pdvs.add(1, 0, new byte[] {1}).add(3, Pdv.LAST, new byte[] {2});
    PDataInputStream in = new PDataInputStream(pdvs, 1);
    assertThrows(AAbortException.class, in::readAllBytes);
    assertEquals(List.of(AAbort.REASON_UNEXPECTED_PDU_PARAMETER), pdvs.abortReasons);
    IOException again = assertThrows(IOException.class, in::read);
    assertEquals("data set stream failed earlier", again.getMessage());
  }

  @Test
  void aCommandPdvInsideADataSetIsAProtocolError() {
    pdvs.add(1, Pdv.COMMAND | Pdv.LAST, new byte[] {1});
    assertThrows(AAbortException.class, () -> new PDataInputStream(pdvs, 1).read());
    assertEquals(List.of(AAbort.REASON_UNEXPECTED_PDU_PARAMETER), pdvs.abortReasons);
  }

  @Test
  void aFailureOfTheSourceFailsTheStreamForGood() {
    PDataInputStream in = new PDataInputStream(pdvs, 1);
    assertThrows(IOException.class, in::read);
    pdvs.add(1, Pdv.LAST, new byte[] {1});
    assertThrows(IOException.class, in::read);
    assertEquals(1, pdvs.pulled);
  }

  @Test
  void skipRestReadsUpToTheLastFragment() throws IOException {
    pdvs.add(1, 0, new byte[] {1, 2})
        .add(1, Pdv.LAST, new byte[] {3})
        .add(1, Pdv.COMMAND, new byte[] {9});
    PDataInputStream in = new PDataInputStream(pdvs, 1);
    in.read();
    in.skipRest();
    assertEquals(-1, in.read());
    assertEquals(1, pdvs.queue.size()); // the next message's command stays
  }

  @Test
  void aSingleLastCommandPdvIsTheCommand() throws IOException {
    Pdv only = new Pdv(1, Pdv.COMMAND | Pdv.LAST, new byte[] {0, 5, 6, 0}, 1, 2);
    assertArrayEquals(new byte[] {5, 6}, PDataInputStream.commandBytes(only, pdvs));
    assertEquals(0, pdvs.pulled);
  }

  @Test
  void commandFragmentsAreJoined() throws IOException {
    pdvs.add(1, Pdv.COMMAND, new byte[] {2}).add(1, Pdv.COMMAND | Pdv.LAST, new byte[] {3, 4});
    Pdv first = new Pdv(1, Pdv.COMMAND, new byte[] {1}, 0, 1);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, PDataInputStream.commandBytes(first, pdvs));
  }

  @Test
  void aCommandInterruptedByDataOrAnotherContextIsAProtocolError() {
    Pdv first = new Pdv(1, Pdv.COMMAND, new byte[] {1}, 0, 1);
    pdvs.add(1, Pdv.LAST, new byte[] {2});
    assertThrows(AAbortException.class, () -> PDataInputStream.commandBytes(first, pdvs));
    pdvs.add(3, Pdv.COMMAND | Pdv.LAST, new byte[] {2});
    assertThrows(AAbortException.class, () -> PDataInputStream.commandBytes(first, pdvs));
    assertEquals(
        List.of(AAbort.REASON_UNEXPECTED_PDU_PARAMETER, AAbort.REASON_UNEXPECTED_PDU_PARAMETER),
        pdvs.abortReasons);
  }

  @Test
  void aCommandLongerThanTheLimitIsAProtocolError() {
    Pdv first =
        new Pdv(
            1,
            Pdv.COMMAND,
            new byte[CommandSet.MAX_ENCODED_LENGTH],
            0,
            CommandSet.MAX_ENCODED_LENGTH);
    pdvs.add(1, Pdv.COMMAND | Pdv.LAST, new byte[] {1});
    assertThrows(AAbortException.class, () -> PDataInputStream.commandBytes(first, pdvs));
    assertEquals(List.of(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE), pdvs.abortReasons);
  }
}
