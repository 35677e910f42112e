package org.strata.dicom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encapsulated pixel data (PS3.5 A.4): a list of fragments, the first one being the Basic Offset
 * Table (possibly empty). Each fragment is a {@code byte[]} or a {@link BulkDataRef}, with the
 * offset of its value in the source, which a frame index needs.
 */
public final class Fragments {

  private final VR vr;
  private final boolean bigEndian;
  private final List<Object> values = new ArrayList<>();
  private final List<Long> offsets = new ArrayList<>();

  public Fragments(VR vr, boolean bigEndian) {
    this.vr = vr;
    this.bigEndian = bigEndian;
  }

  /** VR of the enclosing pixel data element (OB in practice). */
  public VR vr() {
    return vr;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  /** Adds a fragment: {@code value} is a byte[] or a BulkDataRef. */
  public void add(Object value, long valueOffset) {
    if (!(value instanceof byte[]) && !(value instanceof BulkDataRef)) {
      throw new IllegalArgumentException("fragment must be byte[] or BulkDataRef: " + value);
    }
    values.add(value);
    offsets.add(valueOffset);
  }

  public int size() {
    return values.size();
  }

  /** The fragment {@code index}: a byte[] or a BulkDataRef. */
  public Object get(int index) {
    return values.get(index);
  }

  /** Offset of fragment {@code index}'s value in the source, -1 if unknown. */
  public long offset(int index) {
    return offsets.get(index);
  }

  /** Length in bytes of fragment {@code index}. */
  public long length(int index) {
    Object v = values.get(index);
    return v instanceof byte[] b ? b.length : ((BulkDataRef) v).length();
  }

  public List<Object> values() {
    return Collections.unmodifiableList(values);
  }

  /**
   * The encapsulated octet stream as PS3.5 A.4 lays it out: each fragment as an item (FFFE,E000)
   * padded to even length, then the sequence delimiter, little endian.
   *
   * @throws IllegalArgumentException if a fragment is a bulk data reference, not loaded bytes
   */
  public byte[] encapsulatedStream() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int k = 0; k < size(); k++) {
      if (!(get(k) instanceof byte[] b)) {
        throw new IllegalArgumentException("fragment " + k + " is not loaded");
      }
      int n = b.length + (b.length & 1);
      bytes.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0});
      bytes.writeBytes(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
      bytes.writeBytes(b);
      if ((b.length & 1) != 0) {
        bytes.write(0);
      }
    }
    bytes.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
    return bytes.toByteArray();
  }
}
