package org.strata.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DICOM data set: elements kept sorted by tag (unsigned) in parallel arrays.
 *
 * <p>Values stay as the bytes read from the wire ({@code byte[]}, in this data set's byte order)
 * until a typed getter decodes them, so that a parse costs little more than a copy and a value that
 * is never looked at is never decoded. Other value kinds: {@link Sequence} (SQ), {@link Fragments}
 * (encapsulated pixel data), {@link BulkDataRef} (left in the source) and null (empty value).
 *
 * <p>Getters take a default returned when the element is absent, empty or not decodable as asked:
 * reading real-world files must not throw on a malformed DS.
 *
 * <p>Not thread-safe for writes; safe to read from several threads once built.
 */
public final class Attributes {

  private static final byte[] EMPTY = new byte[0];

  private final boolean bigEndian;
  private final Attributes parent;
  private int[] tags = new int[16];
  private VR[] vrs = new VR[16];
  private Object[] values = new Object[16];
  private long[] offsets = new long[16];
  private int size;
  private SpecificCharacterSet charset;

  /** A top-level little endian data set. */
  public Attributes() {
    this(false, null);
  }

  /**
   * @param bigEndian byte order of the binary values that will be stored
   * @param parent the data set that holds the sequence this one is an item of, or null
   */
  public Attributes(boolean bigEndian, Attributes parent) {
    this.bigEndian = bigEndian;
    this.parent = parent;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  /** The data set this one is an item of (through a sequence), or null at the top. */
  public Attributes parent() {
    return parent;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The tags in ascending (unsigned) order. */
  public int[] tags() {
    return Arrays.copyOf(tags, size);
  }

  /** Tag of the element at {@code index} in tag order. */
  public int tagAt(int index) {
    checkIndex(index);
    return tags[index];
  }

  public VR vrAt(int index) {
    checkIndex(index);
    return vrs[index];
  }

  public Object valueAt(int index) {
    checkIndex(index);
    return values[index];
  }

  /** Offset of the value of the element at {@code index} in the source, -1 if not read. */
  public long valueOffsetAt(int index) {
    checkIndex(index);
    return offsets[index];
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
  }

  /** Position of {@code tag}, or {@code -(insertion point) - 1} like Arrays.binarySearch. */
  public int indexOf(int tag) {
    // Readers append in ascending order: checking the last element first makes that O(1).
    if (size > 0 && Integer.compareUnsigned(tags[size - 1], tag) < 0) {
      return -size - 1;
    }
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = Integer.compareUnsigned(tags[mid], tag);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -low - 1;
  }

  public boolean contains(int tag) {
    return indexOf(tag) >= 0;
  }

  /** VR of {@code tag}, or null if absent. */
  public VR vr(int tag) {
    int i = indexOf(tag);
    return i < 0 ? null : vrs[i];
  }

  /** Raw value of {@code tag}: byte[], Sequence, Fragments, BulkDataRef or null. */
  public Object value(int tag) {
    int i = indexOf(tag);
    return i < 0 ? null : values[i];
  }

  /** Offset of the value of {@code tag} in the source, -1 if absent or not read from a source. */
  public long valueOffset(int tag) {
    int i = indexOf(tag);
    return i < 0 ? -1 : offsets[i];
  }

  /**
   * Sets an element, replacing any with the same tag.
   *
   * @param value byte[] (wire bytes in this data set's byte order), Sequence, Fragments,
   *     BulkDataRef or null for an empty value
   */
  public void set(int tag, VR vr, Object value) {
    set(tag, vr, value, -1);
  }

  /** As {@link #set(int, VR, Object)}, recording where the value was found in the source. */
  public void set(int tag, VR vr, Object value, long valueOffset) {
    if (vr == null) {
      throw new IllegalArgumentException("null VR for " + Tags.toString(tag));
    }
    if (value != null
        && !(value instanceof byte[])
        && !(value instanceof Sequence)
        && !(value instanceof Fragments)
        && !(value instanceof BulkDataRef)) {
      throw new IllegalArgumentException("unsupported value type " + value.getClass());
    }
    int i = indexOf(tag);
    if (i < 0) {
      i = -i - 1;
      if (size == tags.length) {
        int n = size * 2;
        tags = Arrays.copyOf(tags, n);
        vrs = Arrays.copyOf(vrs, n);
        values = Arrays.copyOf(values, n);
        offsets = Arrays.copyOf(offsets, n);
      }
      int moved = size - i;
      System.arraycopy(tags, i, tags, i + 1, moved);
      System.arraycopy(vrs, i, vrs, i + 1, moved);
      System.arraycopy(values, i, values, i + 1, moved);
      System.arraycopy(offsets, i, offsets, i + 1, moved);
      size++;
    }
    tags[i] = tag;
    vrs[i] = vr;
    values[i] = value;
    offsets[i] = valueOffset;
    if (tag == Tag.SpecificCharacterSet) {
      charset = null;
    }
  }

  /** Sets a string value encoded as ASCII (for tests and for building data sets). */
  public void setString(int tag, VR vr, String... values) {
    byte[] bytes = String.join("\\", values).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length % 2 != 0) {
      bytes = Arrays.copyOf(bytes, bytes.length + 1);
      bytes[bytes.length - 1] = (byte) vr.paddingByte();
    }
    set(tag, vr, bytes);
  }

  /** Removes {@code tag}; returns whether it was present. */
  public boolean remove(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return false;
    }
    int moved = size - i - 1;
    System.arraycopy(tags, i + 1, tags, i, moved);
    System.arraycopy(vrs, i + 1, vrs, i, moved);
    System.arraycopy(values, i + 1, values, i, moved);
    System.arraycopy(offsets, i + 1, offsets, i, moved);
    size--;
    values[size] = null;
    if (tag == Tag.SpecificCharacterSet) {
      charset = null;
    }
    return true;
  }

  /**
   * The Specific Character Set in force here: this data set's own, else its parent's. Only the own
   * one is cached, so that a change in a parent is seen by its items.
   */
  public SpecificCharacterSet specificCharacterSet() {
    SpecificCharacterSet cs = charset;
    if (cs != null) {
      return cs;
    }
    int i = indexOf(Tag.SpecificCharacterSet);
    if (i >= 0 && values[i] instanceof byte[] b) {
      cs = SpecificCharacterSet.valueOf(splitStrings(asciiString(b), VR.CS));
      charset = cs;
      return cs;
    }
    return parent == null ? SpecificCharacterSet.DEFAULT : parent.specificCharacterSet();
  }

  /**
   * The raw bytes of {@code tag}, an empty array for an empty value, null if absent or not bytes.
   */
  public byte[] getBytes(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return null;
    }
    Object v = values[i];
    return v == null ? EMPTY : v instanceof byte[] b ? b : null;
  }

  public Sequence getSequence(int tag) {
    return value(tag) instanceof Sequence s ? s : null;
  }

  public Fragments getFragments(int tag) {
    return value(tag) instanceof Fragments f ? f : null;
  }

  public BulkDataRef getBulkData(int tag) {
    return value(tag) instanceof BulkDataRef b ? b : null;
  }

  /**
   * The whole text of a string element decoded with the character set in force, all values and
   * backslashes included, trailing padding (spaces, NULs) removed. Null if absent or not text.
   */
  public String getText(int tag) {
    int i = indexOf(tag);
    if (i < 0 || !vrs[i].isString()) {
      return null;
    }
    Object v = values[i];
    if (v == null) {
      return "";
    }
    if (!(v instanceof byte[] b)) {
      return null;
    }
    String s = vrs[i].isCharsetSensitive() ? specificCharacterSet().decode(b) : asciiString(b);
    return stripTrailing(s);
  }

  /** The values of a string element, each trimmed as its VR says; empty array if absent. */
  public String[] getStrings(int tag) {
    String text = getText(tag);
    if (text == null) {
      VR vr = vr(tag);
      if (vr != null && vr.isBinary() && value(tag) instanceof byte[]) {
        return binaryAsStrings(tag, vr);
      }
      return new String[0];
    }
    return splitStrings(text, vr(tag));
  }

  private String[] binaryAsStrings(int tag, VR vr) {
    if (vr == VR.FL || vr == VR.FD || vr == VR.OF || vr == VR.OD) {
      return Arrays.stream(getDoubles(tag)).mapToObj(Double::toString).toArray(String[]::new);
    }
    if (vr == VR.AT) {
      return Arrays.stream(getInts(tag)).mapToObj(Tags::toString).toArray(String[]::new);
    }
    long[] longs = getLongs(tag);
    return longs == null
        ? new String[0]
        : Arrays.stream(longs).mapToObj(Long::toString).toArray(String[]::new);
  }

  /** Value {@code index} (0-based) of {@code tag} as a string, {@code def} if absent or empty. */
  public String getString(int tag, int index, String def) {
    String[] all = getStrings(tag);
    return index < all.length && !all[index].isEmpty() ? all[index] : def;
  }

  public String getString(int tag, String def) {
    return getString(tag, 0, def);
  }

  /** First value of {@code tag}, or null. */
  public String getString(int tag) {
    return getString(tag, 0, null);
  }

  /** Integer values: US, SS, UL, SL, SV, UV, AT (as tag numbers), IS; null if not numeric. */
  public long[] getLongs(int tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return null;
    }
    VR vr = vrs[i];
    if (values[i] == null) {
      return new long[0];
    }
    if (!(values[i] instanceof byte[] b)) {
      return null;
    }
    if (vr == VR.IS || vr == VR.DS) {
      String[] s = getStrings(tag);
      long[] out = new long[s.length];
      for (int k = 0; k < s.length; k++) {
        try {
          out[k] =
              vr == VR.IS ? Long.parseLong(s[k].replace("+", "")) : (long) Double.parseDouble(s[k]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return out;
    }
    ByteBuffer buf = ByteBuffer.wrap(b).order(order());
    int n;
    long[] out;
    switch (vr) {
      case US, OW -> {
        out = new long[n = b.length / 2];
        for (int k = 0; k < n; k++) {
          out[k] = buf.getShort(2 * k) & 0xFFFF;
        }
      }
      case SS -> {
        out = new long[n = b.length / 2];
        for (int k = 0; k < n; k++) {
          out[k] = buf.getShort(2 * k);
        }
      }
      case UL, OL -> {
        out = new long[n = b.length / 4];
        for (int k = 0; k < n; k++) {
          out[k] = buf.getInt(4 * k) & 0xFFFFFFFFL;
        }
      }
      case SL -> {
        out = new long[n = b.length / 4];
        for (int k = 0; k < n; k++) {
          out[k] = buf.getInt(4 * k);
        }
      }
      case AT -> {
        out = new long[n = b.length / 4];
        for (int k = 0; k < n; k++) {
          out[k] = ((buf.getShort(4 * k) & 0xFFFFL) << 16) | (buf.getShort(4 * k + 2) & 0xFFFF);
        }
      }
      case SV, UV, OV -> {
        out = new long[n = b.length / 8];
        for (int k = 0; k < n; k++) {
          out[k] = buf.getLong(8 * k);
        }
      }
      case OB, UN -> {
        out = new long[b.length];
        for (int k = 0; k < b.length; k++) {
          out[k] = b[k] & 0xFF;
        }
      }
      default -> out = null;
    }
    return out;
  }

  /** As {@link #getLongs} narrowed to int (UL above 2^31 wraps, as an int tag would). */
  public int[] getInts(int tag) {
    long[] l = getLongs(tag);
    return l == null ? new int[0] : Arrays.stream(l).mapToInt(x -> (int) x).toArray();
  }

  public int getInt(int tag, int index, int def) {
    long[] l = getLongs(tag);
    return l != null && index < l.length ? (int) l[index] : def;
  }

  public int getInt(int tag, int def) {
    return getInt(tag, 0, def);
  }

  /** Floating point values: FL, FD, OF, OD, DS, and the integer VRs; empty if not numeric. */
  public double[] getDoubles(int tag) {
    int i = indexOf(tag);
    if (i < 0 || (values[i] != null && !(values[i] instanceof byte[]))) {
      return new double[0];
    }
    VR vr = vrs[i];
    byte[] b = values[i] == null ? EMPTY : (byte[]) values[i];
    ByteBuffer buf = ByteBuffer.wrap(b).order(order());
    double[] out;
    switch (vr) {
      case FL, OF -> {
        out = new double[b.length / 4];
        for (int k = 0; k < out.length; k++) {
          out[k] = buf.getFloat(4 * k);
        }
      }
      case FD, OD -> {
        out = new double[b.length / 8];
        for (int k = 0; k < out.length; k++) {
          out[k] = buf.getDouble(8 * k);
        }
      }
      case DS, IS -> {
        String[] s = getStrings(tag);
        out = new double[s.length];
        for (int k = 0; k < s.length; k++) {
          try {
            out[k] = Double.parseDouble(s[k]);
          } catch (NumberFormatException e) {
            return new double[0];
          }
        }
      }
      default -> {
        long[] l = getLongs(tag);
        out = l == null ? new double[0] : Arrays.stream(l).asDoubleStream().toArray();
      }
    }
    return out;
  }

  public double getDouble(int tag, int index, double def) {
    double[] d = getDoubles(tag);
    return index < d.length ? d[index] : def;
  }

  public double getDouble(int tag, double def) {
    return getDouble(tag, 0, def);
  }

  /** A DA value (or the date part of a DT), null if absent or invalid. */
  public LocalDate getDate(int tag) {
    String s = getString(tag);
    if (s != null && vr(tag) == VR.DT) {
      LocalDateTime dt = DicomDates.parseDateTime(s);
      return dt == null ? null : dt.toLocalDate();
    }
    return DicomDates.parseDate(s);
  }

  /** A TM value, null if absent or invalid. */
  public LocalTime getTime(int tag) {
    return DicomDates.parseTime(getString(tag));
  }

  /** A DT value (UTC offset ignored), null if absent or invalid. */
  public LocalDateTime getDateTime(int tag) {
    return DicomDates.parseDateTime(getString(tag));
  }

  /** A DA and a TM element combined (e.g. StudyDate, StudyTime); null without a valid date. */
  public LocalDateTime getDateTime(int dateTag, int timeTag) {
    LocalDate date = getDate(dateTag);
    if (date == null) {
      return null;
    }
    LocalTime time = getTime(timeTag);
    return time == null ? date.atStartOfDay() : date.atTime(time);
  }

  /** Value {@code index} of a PN element split into its components, null if absent. */
  public PersonName getPersonName(int tag, int index) {
    String[] all = getStrings(tag);
    return index < all.length ? PersonName.parse(all[index]) : null;
  }

  public PersonName getPersonName(int tag) {
    return getPersonName(tag, 0);
  }

  /** Items of a sequence, or an empty list. */
  public List<Attributes> getItems(int tag) {
    Sequence s = getSequence(tag);
    return s == null ? List.of() : s;
  }

  /** Adds (or returns the existing) sequence {@code tag}. */
  public Sequence newSequence(int tag) {
    Sequence s = getSequence(tag);
    if (s == null) {
      s = new Sequence(this);
      set(tag, VR.SQ, s);
    }
    return s;
  }

  private ByteOrder order() {
    return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  static String asciiString(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Splits multi-valued text and trims each value: both ends, or the end only for text VRs. */
  static String[] splitStrings(String text, VR vr) {
    if (text.isEmpty()) {
      return new String[0];
    }
    List<String> out = new ArrayList<>();
    if (vr.isMultiValuedString()) {
      int start = 0;
      for (int k = 0; k <= text.length(); k++) {
        if (k == text.length() || text.charAt(k) == '\\') {
          out.add(text.substring(start, k).strip().replace("\0", ""));
          start = k + 1;
        }
      }
    } else {
      out.add(stripTrailing(text));
    }
    return out.toArray(String[]::new);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < size; i++) {
      sb.append(Tags.toString(tags[i])).append(' ').append(vrs[i]).append(' ');
      Object v = values[i];
      if (v instanceof Sequence s) {
        sb.append("SQ #").append(s.size());
      } else if (v instanceof Fragments f) {
        sb.append("fragments #").append(f.size());
      } else if (v instanceof BulkDataRef r) {
        sb.append(r);
      } else if (vrs[i].isString()) {
        sb.append('[').append(getText(tags[i])).append(']');
      } else {
        sb.append('#').append(v == null ? 0 : ((byte[]) v).length);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
