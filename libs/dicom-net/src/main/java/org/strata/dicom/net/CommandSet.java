package org.strata.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.strata.dicom.Tag;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAbortException;

/**
 * A DIMSE command set: group 0000 elements, always encoded in implicit VR little endian (PS3.7
 * 6.3.1). Values are kept as wire bytes; the VR of each known command element is fixed by PS3.7
 * E.1, which is all an encoder needs (padding) and a decoder needs (typed getters).
 */
public final class CommandSet {

  /** Largest command set we decode; real ones are a few hundred bytes. */
  public static final int MAX_ENCODED_LENGTH = 256 * 1024;

  private final TreeMap<Integer, byte[]> elements = new TreeMap<>();

  public CommandSet() {}

  // ---- typed access

  public CommandSet setUS(int tag, int value) {
    elements.put(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
    return this;
  }

  public CommandSet setUL(int tag, long value) {
    elements.put(
        tag,
        new byte[] {
          (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
        });
    return this;
  }

  /** A UI value, padded with NUL to even length. */
  public CommandSet setUID(int tag, String uid) {
    return setString(tag, uid, (byte) 0);
  }

  /** An AE, LO or other text value, padded with a space to even length. */
  public CommandSet setText(int tag, String value) {
    return setString(tag, value, (byte) ' ');
  }

  private CommandSet setString(int tag, String value, byte pad) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    if ((v.length & 1) != 0) {
      byte[] p = new byte[v.length + 1];
      System.arraycopy(v, 0, p, 0, v.length);
      p[v.length] = pad;
      v = p;
    }
    elements.put(tag, v);
    return this;
  }

  public boolean contains(int tag) {
    return elements.containsKey(tag);
  }

  /** US or UL value (by length); {@code def} if absent or malformed. */
  public int getInt(int tag, int def) {
    byte[] v = elements.get(tag);
    if (v == null) {
      return def;
    }
    if (v.length == 2) {
      return (v[0] & 0xFF) | ((v[1] & 0xFF) << 8);
    }
    if (v.length == 4) {
      return (v[0] & 0xFF) | ((v[1] & 0xFF) << 8) | ((v[2] & 0xFF) << 16) | ((v[3] & 0xFF) << 24);
    }
    return def;
  }

  /** A text value without padding (trailing NUL and spaces, leading spaces); null if absent. */
  public String getString(int tag) {
    byte[] v = elements.get(tag);
    if (v == null) {
      return null;
    }
    int end = v.length;
    while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
      end--;
    }
    int start = 0;
    while (start < end && v[start] == ' ') {
      start++;
    }
    return new String(v, start, end - start, StandardCharsets.ISO_8859_1);
  }

  public byte[] getBytes(int tag) {
    byte[] v = elements.get(tag);
    return v == null ? null : v.clone();
  }

  // ---- well-known fields

  public int commandField() {
    return getInt(Tag.CommandField, -1);
  }

  public int messageId() {
    return getInt(Tag.MessageID, -1);
  }

  public int messageIdBeingRespondedTo() {
    return getInt(Tag.MessageIDBeingRespondedTo, -1);
  }

  public boolean hasDataSet() {
    return getInt(Tag.CommandDataSetType, Dimse.NO_DATA_SET) != Dimse.NO_DATA_SET;
  }

  public int status() {
    return getInt(Tag.Status, -1);
  }

  public String affectedSopClassUid() {
    return getString(Tag.AffectedSOPClassUID);
  }

  public String affectedSopInstanceUid() {
    return getString(Tag.AffectedSOPInstanceUID);
  }

  /** Affected SOP Class UID, else Requested SOP Class UID (N-services). */
  public String sopClassUid() {
    String s = getString(Tag.AffectedSOPClassUID);
    return s != null ? s : getString(Tag.RequestedSOPClassUID);
  }

  // ---- factories

  public static CommandSet cEchoRQ(int messageId) {
    return new CommandSet()
        .setUID(Tag.AffectedSOPClassUID, org.strata.dicom.UID.Verification)
        .setUS(Tag.CommandField, Dimse.C_ECHO_RQ)
        .setUS(Tag.MessageID, messageId)
        .setUS(Tag.CommandDataSetType, Dimse.NO_DATA_SET);
  }

  public static CommandSet cStoreRQ(
      int messageId, String sopClassUid, String sopInstanceUid, int priority) {
    return new CommandSet()
        .setUID(Tag.AffectedSOPClassUID, sopClassUid)
        .setUS(Tag.CommandField, Dimse.C_STORE_RQ)
        .setUS(Tag.MessageID, messageId)
        .setUS(Tag.Priority, priority)
        .setUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT)
        .setUID(Tag.AffectedSOPInstanceUID, sopInstanceUid);
  }

  /** C-FIND-RQ, C-GET-RQ or C-MOVE-RQ (then with the move destination); an identifier follows. */
  public static CommandSet queryRetrieveRQ(
      int commandField, int messageId, String sopClassUid, int priority, String moveDestination) {
    CommandSet cmd =
        new CommandSet()
            .setUID(Tag.AffectedSOPClassUID, sopClassUid)
            .setUS(Tag.CommandField, commandField)
            .setUS(Tag.MessageID, messageId)
            .setUS(Tag.Priority, priority)
            .setUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT);
    if (moveDestination != null) {
      cmd.setText(Tag.MoveDestination, moveDestination);
    }
    return cmd;
  }

  /** C-CANCEL-RQ for the operation with message id {@code messageIdBeingCancelled}. */
  public static CommandSet cCancelRQ(int messageIdBeingCancelled) {
    return new CommandSet()
        .setUS(Tag.CommandField, Dimse.C_CANCEL_RQ)
        .setUS(Tag.MessageIDBeingRespondedTo, messageIdBeingCancelled)
        .setUS(Tag.CommandDataSetType, Dimse.NO_DATA_SET);
  }

  /** Marks this command as followed by a data set (or not). */
  public CommandSet withDataSet(boolean present) {
    return setUS(Tag.CommandDataSetType, present ? Dimse.DATA_SET_PRESENT : Dimse.NO_DATA_SET);
  }

  /**
   * The response to {@code rq} (any C- or N- request): command field with bit 15 set, the request's
   * message id and affected SOP class and instance, no data set.
   */
  public static CommandSet responseTo(CommandSet rq, int status, String errorComment) {
    CommandSet rsp = new CommandSet();
    String sopClass = rq.sopClassUid();
    if (sopClass != null) {
      rsp.setUID(Tag.AffectedSOPClassUID, sopClass);
    }
    rsp.setUS(Tag.CommandField, rq.commandField() | 0x8000);
    rsp.setUS(Tag.MessageIDBeingRespondedTo, rq.messageId());
    rsp.setUS(Tag.CommandDataSetType, Dimse.NO_DATA_SET);
    rsp.setUS(Tag.Status, status);
    String instance = rq.affectedSopInstanceUid();
    if (instance != null) {
      rsp.setUID(Tag.AffectedSOPInstanceUID, instance);
    }
    if (errorComment != null && !Status.isSuccess(status)) {
      String c = errorComment.length() > 64 ? errorComment.substring(0, 64) : errorComment;
      rsp.setText(Tag.ErrorComment, c.replaceAll("[^\\x20-\\x7E]", "?"));
    }
    return rsp;
  }

  // ---- encoding

  /** Implicit VR little endian, with (0000,0000) Command Group Length first. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    long groupLength = 0;
    for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
      if (e.getKey() != Tag.CommandGroupLength) {
        groupLength += 8 + e.getValue().length;
      }
    }
    writeElement(
        out,
        Tag.CommandGroupLength,
        new byte[] {
          (byte) groupLength,
          (byte) (groupLength >>> 8),
          (byte) (groupLength >>> 16),
          (byte) (groupLength >>> 24)
        });
    for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
      if (e.getKey() != Tag.CommandGroupLength) {
        writeElement(out, e.getKey(), e.getValue());
      }
    }
    return out.toByteArray();
  }

  private static void writeElement(ByteArrayOutputStream out, int tag, byte[] value) {
    out.write(tag >>> 16);
    out.write(tag >>> 24);
    out.write(tag);
    out.write(tag >>> 8);
    int l = value.length;
    out.write(l);
    out.write(l >>> 8);
    out.write(l >>> 16);
    out.write(l >>> 24);
    out.write(value, 0, l);
  }

  /**
   * Decodes an implicit VR little endian command set. Elements of other groups than 0000 and
   * undefined lengths are protocol errors.
   *
   * @throws AAbortException (invalid PDU parameter value) for malformed input
   */
  public static CommandSet decode(byte[] b, int length) throws AAbortException {
    CommandSet cmd = new CommandSet();
    int pos = 0;
    while (pos < length) {
      if (length - pos < 8) {
        throw malformed("truncated element header at " + pos);
      }
      int group = (b[pos] & 0xFF) | ((b[pos + 1] & 0xFF) << 8);
      int element = (b[pos + 2] & 0xFF) | ((b[pos + 3] & 0xFF) << 8);
      long len =
          (b[pos + 4] & 0xFFL)
              | ((b[pos + 5] & 0xFFL) << 8)
              | ((b[pos + 6] & 0xFFL) << 16)
              | ((b[pos + 7] & 0xFFL) << 24);
      if (group != 0) {
        throw malformed(String.format("element (%04X,%04X) in a command set", group, element));
      }
      if (len > length - pos - 8) {
        throw malformed("value length " + len + " runs past the command set");
      }
      int l = (int) len;
      byte[] v = new byte[l];
      System.arraycopy(b, pos + 8, v, 0, l);
      cmd.elements.put(element, v);
      pos += 8 + l;
    }
    if (cmd.commandField() < 0) {
      throw malformed("command set without Command Field");
    }
    return cmd;
  }

  private static AAbortException malformed(String message) {
    return AAbortException.provider(
        AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "malformed command set: " + message);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(Dimse.name(commandField())).append('[');
    if (contains(Tag.MessageID)) {
      sb.append("id=").append(messageId());
    }
    if (contains(Tag.MessageIDBeingRespondedTo)) {
      sb.append("rsp-to=").append(messageIdBeingRespondedTo());
    }
    if (contains(Tag.Status)) {
      sb.append(", status=").append(Status.hex(status()));
    }
    return sb.append(']').toString();
  }
}
