package org.strata.dicom.net.pdu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes PDUs. Not thread-safe: the association serializes writers. Every PDU is written with one
 * {@code write} and flushed, P-DATA-TF as header plus payload without copying the payload.
 */
public final class PduWriter {

  private final OutputStream out;
  private final byte[] pdvHeader = new byte[12];

  public PduWriter(OutputStream out) {
    this.out = out;
  }

  public void write(Pdu pdu) throws IOException {
    switch (pdu) {
      case PDataTF p -> {
        for (Pdv pdv : p.pdvs()) {
          writePData(
              pdv.presentationContextId(), pdv.header(), pdv.buffer(), pdv.offset(), pdv.length());
        }
      }
      default -> {
        out.write(encode(pdu));
        out.flush();
      }
    }
  }

  /** One P-DATA-TF PDU with one PDV of {@code length} bytes; PDU length = length + 6. */
  public void writePData(int pcid, int header, byte[] buf, int offset, int length)
      throws IOException {
    int pduLength = length + 6;
    int pdvLength = length + 2;
    byte[] h = pdvHeader;
    h[0] = Pdu.TYPE_P_DATA_TF;
    h[1] = 0;
    putInt(h, 2, pduLength);
    putInt(h, 6, pdvLength);
    h[10] = (byte) pcid;
    h[11] = (byte) header;
    out.write(h, 0, 12);
    out.write(buf, offset, length);
    out.flush();
  }

  /** The wire form of a PDU other than P-DATA-TF. */
  public static byte[] encode(Pdu pdu) {
    Buf b = new Buf();
    switch (pdu) {
      case AAssociateRQ rq -> {
        associateHeader(
            b, Pdu.TYPE_ASSOCIATE_RQ, rq.protocolVersion(), rq.calledAE(), rq.callingAE());
        uidItem(b, 0x10, rq.applicationContext());
        for (PresentationContextRQ pc : rq.presentationContexts()) {
          int at = b.beginItem(0x20);
          b.u8(pc.id()).u8(0).u8(0).u8(0);
          uidItem(b, 0x30, pc.abstractSyntax());
          for (String ts : pc.transferSyntaxes()) {
            uidItem(b, 0x40, ts);
          }
          b.endItem(at);
        }
        userInformation(b, rq.userInformation());
      }
      case AAssociateAC ac -> {
        associateHeader(
            b, Pdu.TYPE_ASSOCIATE_AC, ac.protocolVersion(), ac.calledAE(), ac.callingAE());
        uidItem(b, 0x10, ac.applicationContext());
        for (PresentationContextAC pc : ac.presentationContexts()) {
          int at = b.beginItem(0x21);
          b.u8(pc.id()).u8(0).u8(pc.result()).u8(0);
          uidItem(b, 0x40, pc.transferSyntax() == null ? "" : pc.transferSyntax());
          b.endItem(at);
        }
        userInformation(b, ac.userInformation());
      }
      case AAssociateRJ rj ->
          fixed(b, Pdu.TYPE_ASSOCIATE_RJ, 0, rj.result(), rj.source(), rj.reason());
      case AReleaseRQ r -> fixed(b, Pdu.TYPE_RELEASE_RQ, 0, 0, 0, 0);
      case AReleaseRP r -> fixed(b, Pdu.TYPE_RELEASE_RP, 0, 0, 0, 0);
      case AAbort a -> fixed(b, Pdu.TYPE_ABORT, 0, 0, a.source(), a.reason());
      case PDataTF p -> {
        b.u8(Pdu.TYPE_P_DATA_TF).u8(0);
        int lengthAt = b.size();
        b.u32(0);
        for (Pdv pdv : p.pdvs()) {
          b.u32(pdv.length() + 2).u8(pdv.presentationContextId()).u8(pdv.header());
          b.write(pdv.buffer(), pdv.offset(), pdv.length());
        }
        b.patch32(lengthAt, b.size() - 6);
      }
    }
    return b.toByteArray();
  }

  private static void fixed(Buf b, int type, int r0, int r1, int r2, int r3) {
    b.u8(type).u8(0).u32(4).u8(r0).u8(r1).u8(r2).u8(r3);
  }

  private static void associateHeader(Buf b, int type, int version, String called, String calling) {
    b.u8(type).u8(0).u32(0); // length patched at the end
    b.u16(version).u16(0);
    b.write(aeBytes(called), 0, 16);
    b.write(aeBytes(calling), 0, 16);
    b.write(new byte[32], 0, 32);
  }

  private static void userInformation(Buf b, UserInformation ui) {
    int at = b.beginItem(0x50);
    b.u8(0x51).u8(0).u16(4).u32(ui.maxLength());
    if (ui.implementationClassUid() != null) {
      uidItem(b, 0x52, ui.implementationClassUid());
    }
    if (ui.asyncOpsInvoked() != null) {
      b.u8(0x53).u8(0).u16(4).u16(ui.asyncOpsInvoked()).u16(ui.asyncOpsPerformed());
    }
    for (RoleSelection r : ui.roleSelections()) {
      byte[] uid = ascii(r.sopClassUid());
      b.u8(0x54).u8(0).u16(uid.length + 4).u16(uid.length);
      b.write(uid, 0, uid.length);
      b.u8(r.scu() ? 1 : 0).u8(r.scp() ? 1 : 0);
    }
    if (ui.implementationVersionName() != null) {
      uidItem(b, 0x55, ui.implementationVersionName());
    }
    UserIdentityRQ id = ui.userIdentityRQ();
    if (id != null) {
      byte[] p = id.primaryField();
      byte[] s = id.secondaryField();
      b.u8(0x58).u8(0).u16(6 + p.length + s.length);
      b.u8(id.type()).u8(id.positiveResponseRequested() ? 1 : 0);
      b.u16(p.length).write(p, 0, p.length);
      b.u16(s.length).write(s, 0, s.length);
    }
    UserIdentityAC idac = ui.userIdentityAC();
    if (idac != null) {
      byte[] r = idac.serverResponse();
      b.u8(0x59).u8(0).u16(2 + r.length).u16(r.length).write(r, 0, r.length);
    }
    b.endItem(at);
  }

  private static void uidItem(Buf b, int type, String value) {
    byte[] v = ascii(value);
    b.u8(type).u8(0).u16(v.length).write(v, 0, v.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** AE title padded with spaces to 16 bytes. */
  static byte[] aeBytes(String ae) {
    byte[] v = ascii(ae == null ? "" : ae);
    if (v.length > 16) {
      throw new IllegalArgumentException("AE title longer than 16 characters");
    }
    byte[] out = new byte[16];
    java.util.Arrays.fill(out, (byte) ' ');
    System.arraycopy(v, 0, out, 0, v.length);
    return out;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** Big-endian byte buffer with item length back-patching. */
  private static final class Buf extends ByteArrayOutputStream {
    Buf() {
      super(256);
    }

    Buf u8(int v) {
      write(v);
      return this;
    }

    Buf u16(int v) {
      if (v > 0xFFFF) {
        throw new IllegalArgumentException("item too long for a 16-bit length: " + v);
      }
      write(v >>> 8);
      write(v);
      return this;
    }

    Buf u32(long v) {
      write((int) (v >>> 24));
      write((int) (v >>> 16));
      write((int) (v >>> 8));
      write((int) v);
      return this;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      super.write(b, off, len);
    }

    int beginItem(int type) {
      u8(type).u8(0).u16(0);
      return size();
    }

    void endItem(int contentStart) {
      int length = size() - contentStart;
      if (length > 0xFFFF) {
        throw new IllegalArgumentException("item too long for a 16-bit length: " + length);
      }
      buf[contentStart - 2] = (byte) (length >>> 8);
      buf[contentStart - 1] = (byte) length;
    }

    void patch32(int at, int v) {
      putInt(buf, at, v);
    }

    @Override
    public byte[] toByteArray() {
      byte[] out = super.toByteArray();
      if (out[0] == Pdu.TYPE_ASSOCIATE_RQ || out[0] == Pdu.TYPE_ASSOCIATE_AC) {
        putInt(out, 2, out.length - 6);
      }
      return out;
    }
  }
}
