package org.strata.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * PDUs and DIMSE command sets as bytes, written here from PS3.8 and PS3.7 rather than by the
 * toolkit under test, so they can be wrong in every way the standard does not allow.
 */
public final class Pdus {
  public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
  public static final String VERIFICATION = "1.2.840.10008.1.1";
  public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  public static final String IMPLEMENTATION_UID = "1.2.826.0.1.3680043.10.1137.1.1";
  public static final int MAX_PDU = 16384;

  /** VRs with a 32-bit length in explicit VR (PS3.5 table 7.1-1). */
  public static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  private static final Set<String> VRS =
      Set.of(
          "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF",
          "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
          "UR", "US", "UT", "UV");

  private Pdus() {}

  /** A presentation context to propose. */
  public record Context(int id, String abstractSyntax, List<String> transferSyntaxes) {}

  public static boolean isVr(byte a, byte b) {
    return a >= 'A'
        && a <= 'Z'
        && b >= 'A'
        && b <= 'Z'
        && VRS.contains(new String(new byte[] {a, b}, StandardCharsets.US_ASCII));
  }

  /** A PDU: type, reserved byte, 32-bit big-endian length of the body, body. */
  public static byte[] pdu(int type, byte[] body) {
    return pdu(type, body, body.length);
  }

  /** A PDU whose length field says {@code claimed}, whatever the body is. */
  public static byte[] pdu(int type, byte[] body, long claimed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    out.write(0);
    be32(out, claimed);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** An item of an A-ASSOCIATE PDU: type, reserved, 16-bit length, content. */
  public static byte[] item(int type, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    out.write(0);
    be16(out, content.length);
    out.writeBytes(content);
    return out.toByteArray();
  }

  public static byte[] applicationContextItem() {
    return item(0x10, ascii(APPLICATION_CONTEXT));
  }

  public static byte[] presentationContextItem(Context c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) c.id(), 0, 0, 0});
    out.writeBytes(item(0x30, ascii(c.abstractSyntax())));
    for (String ts : c.transferSyntaxes()) {
      out.writeBytes(item(0x40, ascii(ts)));
    }
    return item(0x20, out.toByteArray());
  }

  public static byte[] userInformationItem(int maxPdu) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream max = new ByteArrayOutputStream();
    be32(max, maxPdu);
    out.writeBytes(item(0x51, max.toByteArray()));
    out.writeBytes(item(0x52, ascii(IMPLEMENTATION_UID)));
    return item(0x50, out.toByteArray());
  }

  /** The fixed part of an A-ASSOCIATE-RQ (version, AE titles, reserved), then the items given. */
  public static byte[] associateRqBody(String called, String calling, byte[]... items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    be16(out, 1);
    be16(out, 0);
    out.writeBytes(aeTitle(called));
    out.writeBytes(aeTitle(calling));
    out.writeBytes(new byte[32]);
    for (byte[] item : items) {
      out.writeBytes(item);
    }
    return out.toByteArray();
  }

  public static byte[] associateRq(String called, String calling, List<Context> contexts) {
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    items.writeBytes(applicationContextItem());
    for (Context c : contexts) {
      items.writeBytes(presentationContextItem(c));
    }
    items.writeBytes(userInformationItem(MAX_PDU));
    return pdu(0x01, associateRqBody(called, calling, items.toByteArray()));
  }

  /** A PDV item: 32-bit length (context id, header and data), context id, header, data. */
  public static byte[] pdv(int contextId, boolean command, boolean last, byte[] data) {
    return pdv(contextId, (command ? 1 : 0) | (last ? 2 : 0), data, data.length + 2L);
  }

  public static byte[] pdv(int contextId, int header, byte[] data, long claimed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    be32(out, claimed);
    out.write(contextId);
    out.write(header);
    out.writeBytes(data);
    return out.toByteArray();
  }

  public static byte[] pData(byte[]... pdvs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : pdvs) {
      body.writeBytes(p);
    }
    return pdu(0x04, body.toByteArray());
  }

  /** A data set or command in P-DATA-TF PDUs of at most {@code maxPdu} bytes each. */
  public static byte[] fragmented(int contextId, boolean command, byte[] data, int maxPdu) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int chunk = Math.max(1, maxPdu - 6);
    int at = 0;
    do {
      int n = Math.min(chunk, data.length - at);
      byte[] part = java.util.Arrays.copyOfRange(data, at, at + n);
      at += n;
      out.writeBytes(pData(pdv(contextId, command, at >= data.length, part)));
    } while (at < data.length);
    return out.toByteArray();
  }

  public static byte[] releaseRq() {
    return pdu(0x05, new byte[4]);
  }

  public static byte[] releaseRp() {
    return pdu(0x06, new byte[4]);
  }

  public static byte[] abort() {
    return pdu(0x07, new byte[4]);
  }

  /**
   * A command set (group 0000, implicit VR little endian) from its elements in the order given,
   * with the Command Group Length first unless {@code groupLength} is null.
   */
  public static byte[] command(Long groupLength, List<Element> elements) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Element e : elements) {
      body.writeBytes(e.encoded());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (groupLength != null) {
      out.writeBytes(new Element(0x00000000, le32(groupLength)).encoded());
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** A data set in implicit VR little endian from its elements in the order given. */
  public static byte[] implicitDataSet(List<Element> elements) {
    return command(null, elements);
  }

  public static byte[] command(List<Element> elements) {
    int length = elements.stream().mapToInt(e -> e.encoded().length).sum();
    return command((long) length, elements);
  }

  /** One implicit VR element; {@code claimed} is the length field, normally the value's length. */
  public record Element(int tag, byte[] value, long claimed) {
    public Element(int tag, byte[] value) {
      this(tag, value, value.length);
    }

    public static Element us(int tag, int v) {
      return new Element(tag, new byte[] {(byte) v, (byte) (v >>> 8)});
    }

    public static Element ui(int tag, String uid) {
      byte[] a = ascii(uid);
      byte[] v = java.util.Arrays.copyOf(a, a.length + (a.length % 2));
      return new Element(tag, v);
    }

    public Element withValue(byte[] v) {
      return new Element(tag, v, v.length);
    }

    public Element withClaimed(long c) {
      return new Element(tag, value, c);
    }

    byte[] encoded() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(le32(((tag >>> 16) & 0xffff) | ((long) (tag & 0xffff) << 16)));
      out.writeBytes(le32(claimed));
      out.writeBytes(value);
      return out.toByteArray();
    }
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] aeTitle(String ae) {
    byte[] out = new byte[16];
    java.util.Arrays.fill(out, (byte) ' ');
    byte[] a = ascii(ae);
    System.arraycopy(a, 0, out, 0, Math.min(16, a.length));
    return out;
  }

  static byte[] le32(long v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  static void be32(ByteArrayOutputStream out, long v) {
    out.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  static void be16(ByteArrayOutputStream out, int v) {
    out.writeBytes(new byte[] {(byte) (v >>> 8), (byte) v});
  }
}
