package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.pdu.Pdv;

class PDataOutputStreamTest {

  /** The fragments a stream sent, copied (the buffer is reused). */
  private final List<Pdv> sent = new ArrayList<>();

  private final PDataOutputStream.FragmentSink sink =
      (pcid, header, buf, off, len) ->
          sent.add(new Pdv(pcid, header, Arrays.copyOfRange(buf, off, off + len), 0, len));

  @Test
  void fragmentsAtTheBufferSizeAndMarksOnlyTheLastFragment() throws IOException {
    byte[] payload = bytes(10);
    try (PDataOutputStream out = new PDataOutputStream(sink, 3, 0, new byte[4])) {
      out.write(payload);
    }
    assertEquals(List.of(4, 4, 2), sent.stream().map(Pdv::length).toList());
    assertEquals(List.of(0, 0, Pdv.LAST), sent.stream().map(Pdv::header).toList());
    assertEquals(List.of(3, 3, 3), sent.stream().map(Pdv::presentationContextId).toList());
    assertArrayEquals(payload, joined());
  }

  @Test
  void aCommandCarriesTheCommandBitOnEveryFragment() throws IOException {
    try (PDataOutputStream out = new PDataOutputStream(sink, 1, Pdv.COMMAND, new byte[2])) {
      out.write(bytes(3));
    }
    assertEquals(
        List.of(Pdv.COMMAND, Pdv.COMMAND | Pdv.LAST), sent.stream().map(Pdv::header).toList());
  }

  @Test
  void anExactMultipleNeedsNoEmptyLastFragment() throws IOException {
    // a full buffer is sent only when more bytes come, so the last full one carries the bit
    try (PDataOutputStream out = new PDataOutputStream(sink, 5, 0, new byte[4])) {
      out.write(bytes(8));
    }
    assertEquals(List.of(4, 4), sent.stream().map(Pdv::length).toList());
    assertEquals(List.of(0, Pdv.LAST), sent.stream().map(Pdv::header).toList());
  }

  @Test
  void singleByteWritesFragmentLikeBulkWrites() throws IOException {
    byte[] payload = bytes(7);
    try (PDataOutputStream out = new PDataOutputStream(sink, 1, 0, new byte[3])) {
      for (byte b : payload) {
        out.write(b);
      }
    }
    assertEquals(List.of(3, 3, 1), sent.stream().map(Pdv::length).toList());
    assertArrayEquals(payload, joined());
  }

  @Test
  void anEmptyPartIsOneEmptyLastFragment() throws IOException {
    new PDataOutputStream(sink, 1, 0, new byte[4]).close();
    assertEquals(1, sent.size());
    assertEquals(0, sent.getFirst().length());
    assertEquals(Pdv.LAST, sent.getFirst().header());
  }

  @Test
  void closeSendsTheLastFragmentOnce() throws IOException {
    PDataOutputStream out = new PDataOutputStream(sink, 1, 0, new byte[4]);
    out.write(1);
    out.close();
    out.close();
    assertEquals(1, sent.size());
  }

  @Test
  void writingAfterCloseFails() throws IOException {
    PDataOutputStream out = new PDataOutputStream(sink, 1, 0, new byte[4]);
    out.close();
    assertThrows(IOException.class, () -> out.write(1));
    assertThrows(IOException.class, () -> out.write(new byte[1], 0, 1));
  }

  @Test
  void aFailingSinkFailsTheWrite() {
    PDataOutputStream out =
        new PDataOutputStream(
            (pcid, header, buf, off, len) -> {
              throw new IOException("association no longer established");
            },
            1,
            0,
            new byte[2]);
    assertThrows(IOException.class, () -> out.write(bytes(5)));
  }

  @Test
  void outOfRangeArgumentsAreRejected() {
    PDataOutputStream out = new PDataOutputStream(sink, 1, 0, new byte[2]);
    assertThrows(IndexOutOfBoundsException.class, () -> out.write(new byte[2], 1, 2));
  }

  private byte[] joined() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    sent.forEach(p -> all.write(p.buffer(), p.offset(), p.length()));
    return all.toByteArray();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 1);
    }
    return b;
  }
}
