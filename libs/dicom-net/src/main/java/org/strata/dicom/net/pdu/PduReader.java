package org.strata.dicom.net.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PDUs from a stream with strict length checks. A PDU's length is checked before anything is
 * allocated: P-DATA-TF against the maximum length we announced, association PDUs against a hard
 * limit, the fixed-size PDUs against their size; every item and sub-item length against its
 * enclosing item. Bodies are read with {@link InputStream#readNBytes(int)}, which grows its buffer
 * with the bytes actually present, so a lying length costs only what the peer really sent.
 *
 * <p>Malformed input ends in {@link AAbortException} (service-provider source, with the PS3.8
 * reason) for the caller to send; a connection that ends inside a PDU ends in {@link EOFException}.
 */
public final class PduReader {

  /** Default hard limit for A-ASSOCIATE-RQ/AC PDUs: far above 128 contexts with many syntaxes. */
  public static final int DEFAULT_MAX_ASSOCIATE_LENGTH = 1 << 20;

  /** Largest P-DATA-TF length a reader accepts whatever it is configured with. */
  public static final int HARD_MAX_PDATA_LENGTH = 64 << 20;

  private final InputStream in;
  private final byte[] header = new byte[6];
  private volatile int maxPDataLength;
  private final int maxAssociateLength;

  /**
   * @param maxPDataLength the maximum P-DATA-TF PDU length (the length field) we accept: the
   *     maximum length we announce in our user information
   * @param maxAssociateLength hard limit for A-ASSOCIATE-RQ/AC PDUs
   */
  public PduReader(InputStream in, int maxPDataLength, int maxAssociateLength) {
    if (maxPDataLength < 8 || maxPDataLength > HARD_MAX_PDATA_LENGTH) {
      throw new IllegalArgumentException("maxPDataLength out of range: " + maxPDataLength);
    }
    this.in = in;
    this.maxPDataLength = maxPDataLength;
    this.maxAssociateLength = maxAssociateLength;
  }

  /**
   * Reads the next PDU; null if the stream ends cleanly before its first byte.
   *
   * @throws AAbortException for an unrecognized PDU type or an invalid length or item
   * @throws EOFException if the stream ends inside a PDU
   */
  public Pdu read() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    header[0] = (byte) first;
    if (in.readNBytes(header, 1, 5) < 5) {
      throw new EOFException("connection closed inside a PDU header");
    }
    int type = first & 0xFF;
    long length =
        ((header[2] & 0xFFL) << 24)
            | ((header[3] & 0xFF) << 16)
            | ((header[4] & 0xFF) << 8)
            | (header[5] & 0xFF);
    switch (type) {
      case Pdu.TYPE_ASSOCIATE_RQ, Pdu.TYPE_ASSOCIATE_AC -> {
        if (length < 68 || length > maxAssociateLength) {
          throw invalid(
              Pdu.name(type) + " length " + length + " outside 68.." + maxAssociateLength);
        }
      }
      case Pdu.TYPE_P_DATA_TF -> {
        if (length < 6 || length > maxPDataLength) {
          throw invalid("P-DATA-TF length " + length + " outside 6.." + maxPDataLength);
        }
      }
      case Pdu.TYPE_ASSOCIATE_RJ, Pdu.TYPE_RELEASE_RQ, Pdu.TYPE_RELEASE_RP, Pdu.TYPE_ABORT -> {
        if (length != 4) {
          throw invalid(Pdu.name(type) + " length " + length + " instead of 4");
        }
      }
      default ->
          throw AAbortException.provider(
              AAbort.REASON_UNRECOGNIZED_PDU, String.format("unrecognized PDU type 0x%02X", type));
    }
    int len = (int) length;
    byte[] body = in.readNBytes(len);
    if (body.length < len) {
      throw new EOFException(
          "connection closed inside " + Pdu.name(type) + " (" + body.length + " of " + len + ")");
    }
    return switch (type) {
      case Pdu.TYPE_ASSOCIATE_RQ -> parseAssociate(body, true);
      case Pdu.TYPE_ASSOCIATE_AC -> parseAssociate(body, false);
      case Pdu.TYPE_ASSOCIATE_RJ ->
          new AAssociateRJ(body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF);
      case Pdu.TYPE_P_DATA_TF -> parsePData(body);
      case Pdu.TYPE_RELEASE_RQ -> AReleaseRQ.INSTANCE;
      case Pdu.TYPE_RELEASE_RP -> AReleaseRP.INSTANCE;
      default -> new AAbort(body[2] & 0xFF, body[3] & 0xFF);
    };
  }

  /** Changes the P-DATA-TF limit (e.g. once our user information is known). */
  public void maxPDataLength(int max) {
    if (max < 8 || max > HARD_MAX_PDATA_LENGTH) {
      throw new IllegalArgumentException("maxPDataLength out of range: " + max);
    }
    this.maxPDataLength = max;
  }

  private static AAbortException invalid(String message) {
    return AAbortException.provider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, message);
  }

  private static PDataTF parsePData(byte[] b) throws AAbortException {
    List<Pdv> pdvs = new ArrayList<>(2);
    int pos = 0;
    while (pos < b.length) {
      if (b.length - pos < 6) {
        throw invalid("truncated PDV item header");
      }
      long itemLength = u32(b, pos);
      if (itemLength < 2 || itemLength > b.length - pos - 4) {
        throw invalid("PDV item length " + itemLength + " outside 2.." + (b.length - pos - 4));
      }
      int pcid = b[pos + 4] & 0xFF;
      int header = b[pos + 5] & 0xFF;
      if ((pcid & 1) == 0) {
        throw invalid("even presentation context id " + pcid + " in PDV");
      }
      pdvs.add(new Pdv(pcid, header, b, pos + 6, (int) itemLength - 2));
      pos += 4 + (int) itemLength;
    }
    return new PDataTF(pdvs);
  }

  private static Pdu parseAssociate(byte[] b, boolean rq) throws AAbortException {
    int version = u16(b, 0);
    String called = ae(b, 4);
    String calling = ae(b, 20);
    String appContext = null;
    List<PresentationContextRQ> rqs = new ArrayList<>();
    List<PresentationContextAC> acs = new ArrayList<>();
    UserInformation userInfo = null;
    int pos = 68;
    while (pos < b.length) {
      int itemType = b[pos] & 0xFF;
      int itemStart = pos + 4;
      int itemEnd = itemEnd(b, pos, b.length);
      switch (itemType) {
        case 0x10 -> appContext = uid(b, itemStart, itemEnd);
        case 0x20 -> {
          if (rq) {
            rqs.add(parsePresentationContextRQ(b, itemStart, itemEnd));
          }
        }
        case 0x21 -> {
          if (!rq) {
            acs.add(parsePresentationContextAC(b, itemStart, itemEnd));
          }
        }
        case 0x50 -> userInfo = parseUserInformation(b, itemStart, itemEnd);
        default -> {
          // unknown items are skipped
        }
      }
      pos = itemEnd;
    }
    if (appContext == null) {
      throw AAbortException.provider(
          AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "no application context item");
    }
    if (userInfo == null) {
      throw AAbortException.provider(
          AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "no user information item");
    }
    return rq
        ? new AAssociateRQ(version, called, calling, appContext, rqs, userInfo)
        : new AAssociateAC(version, called, calling, appContext, acs, userInfo);
  }

  private static PresentationContextRQ parsePresentationContextRQ(byte[] b, int start, int end)
      throws AAbortException {
    if (end - start < 4) {
      throw invalid("presentation context item too short");
    }
    int id = b[start] & 0xFF;
    String abstractSyntax = null;
    List<String> ts = new ArrayList<>();
    int pos = start + 4;
    while (pos < end) {
      int type = b[pos] & 0xFF;
      int subEnd = itemEnd(b, pos, end);
      if (type == 0x30) {
        if (abstractSyntax != null) {
          throw AAbortException.provider(
              AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "two abstract syntaxes in context " + id);
        }
        abstractSyntax = uid(b, pos + 4, subEnd);
      } else if (type == 0x40) {
        ts.add(uid(b, pos + 4, subEnd));
      }
      pos = subEnd;
    }
    if (abstractSyntax == null) {
      throw AAbortException.provider(
          AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "no abstract syntax in context " + id);
    }
    return new PresentationContextRQ(id, abstractSyntax, ts);
  }

  private static PresentationContextAC parsePresentationContextAC(byte[] b, int start, int end)
      throws AAbortException {
    if (end - start < 4) {
      throw invalid("presentation context item too short");
    }
    int id = b[start] & 0xFF;
    int result = b[start + 2] & 0xFF;
    String ts = null;
    int pos = start + 4;
    while (pos < end) {
      int type = b[pos] & 0xFF;
      int subEnd = itemEnd(b, pos, end);
      if (type == 0x40 && ts == null) {
        ts = uid(b, pos + 4, subEnd);
      }
      pos = subEnd;
    }
    if (ts == null && result == PresentationContextAC.ACCEPTANCE) {
      throw AAbortException.provider(
          AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "accepted context " + id + " without syntax");
    }
    return new PresentationContextAC(id, result, ts);
  }

  private static UserInformation parseUserInformation(byte[] b, int start, int end)
      throws AAbortException {
    long maxLength = -1;
    String implClass = null;
    String implVersion = null;
    Integer invoked = null;
    Integer performed = null;
    List<RoleSelection> roles = new ArrayList<>();
    UserIdentityRQ idRq = null;
    UserIdentityAC idAc = null;
    int pos = start;
    while (pos < end) {
      int type = b[pos] & 0xFF;
      int s = pos + 4;
      int subEnd = itemEnd(b, pos, end);
      int len = subEnd - s;
      switch (type) {
        case 0x51 -> {
          if (len != 4) {
            throw invalid("maximum length sub-item of length " + len);
          }
          maxLength = u32(b, s);
        }
        case 0x52 -> implClass = uid(b, s, subEnd);
        case 0x53 -> {
          if (len != 4) {
            throw invalid("asynchronous operations window sub-item of length " + len);
          }
          invoked = u16(b, s);
          performed = u16(b, s + 2);
        }
        case 0x54 -> {
          if (len < 4) {
            throw invalid("role selection sub-item too short");
          }
          int uidLength = u16(b, s);
          if (uidLength != len - 4) {
            throw invalid("role selection UID length " + uidLength + " in sub-item of " + len);
          }
          String uid = uid(b, s + 2, s + 2 + uidLength);
          roles.add(new RoleSelection(uid, b[subEnd - 2] != 0, b[subEnd - 1] != 0));
        }
        case 0x55 -> implVersion = ascii(b, s, subEnd).strip();
        case 0x58 -> {
          if (len < 6) {
            throw invalid("user identity sub-item too short");
          }
          int idType = b[s] & 0xFF;
          boolean positive = b[s + 1] != 0;
          int primaryLength = u16(b, s + 2);
          int secondaryAt = s + 4 + primaryLength;
          if (secondaryAt + 2 > subEnd) {
            throw invalid("user identity primary field length " + primaryLength);
          }
          int secondaryLength = u16(b, secondaryAt);
          if (secondaryAt + 2 + secondaryLength != subEnd) {
            throw invalid("user identity secondary field length " + secondaryLength);
          }
          byte[] primary = java.util.Arrays.copyOfRange(b, s + 4, secondaryAt);
          byte[] secondary =
              java.util.Arrays.copyOfRange(b, secondaryAt + 2, secondaryAt + 2 + secondaryLength);
          idRq = new UserIdentityRQ(idType, positive, primary, secondary);
        }
        case 0x59 -> {
          if (len < 2 || u16(b, s) != len - 2) {
            throw invalid("user identity server response sub-item length " + len);
          }
          idAc = new UserIdentityAC(java.util.Arrays.copyOfRange(b, s + 2, subEnd));
        }
        default -> {
          // 0x56, 0x57 (extended negotiation) and unknown sub-items are skipped
        }
      }
      pos = subEnd;
    }
    if (maxLength < 0) {
      maxLength = 0; // absent: no limit announced (PS3.8 D.1 makes it mandatory; be lenient)
    }
    return new UserInformation(
        maxLength, implClass, implVersion, invoked, performed, roles, idRq, idAc);
  }

  /** End of the item at {@code pos} (4-byte header: type, reserved, 2-byte length). */
  private static int itemEnd(byte[] b, int pos, int end) throws AAbortException {
    if (end - pos < 4) {
      throw invalid("truncated item header at offset " + pos);
    }
    int length = u16(b, pos + 2);
    if (length > end - pos - 4) {
      throw invalid(
          String.format(
              "item 0x%02X length %d runs past its container (%d left)",
              b[pos] & 0xFF, length, end - pos - 4));
    }
    return pos + 4 + length;
  }

  static int u16(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
  }

  static long u32(byte[] b, int pos) {
    return ((b[pos] & 0xFFL) << 24)
        | ((b[pos + 1] & 0xFF) << 16)
        | ((b[pos + 2] & 0xFF) << 8)
        | (b[pos + 3] & 0xFF);
  }

  private static String ae(byte[] b, int pos) {
    return ascii(b, pos, pos + 16).strip();
  }

  private static String ascii(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  /** A UID value: trailing NUL or space padding removed. */
  private static String uid(byte[] b, int start, int end) {
    int e = end;
    while (e > start && (b[e - 1] == 0 || b[e - 1] == ' ')) {
      e--;
    }
    return ascii(b, start, e);
  }
}
