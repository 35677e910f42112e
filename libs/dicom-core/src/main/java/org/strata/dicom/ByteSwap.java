package org.strata.dicom;

/** Byte order changes of binary values, one value unit (2, 4 or 8 bytes) at a time. */
public final class ByteSwap {
  private ByteSwap() {}

  /** Reverses each whole {@code unit} of {@code b[off, off + len)} in place. */
  public static void inPlace(byte[] b, int off, int len, int unit) {
    if (unit <= 1) {
      return;
    }
    for (int p = off; p + unit <= off + len; p += unit) {
      for (int a = p, z = p + unit - 1; a < z; a++, z--) {
        byte t = b[a];
        b[a] = b[z];
        b[z] = t;
      }
    }
  }

  /** A copy of {@code b} with each whole {@code unit} reversed (a trailing partial unit kept). */
  public static byte[] swapped(byte[] b, int unit) {
    byte[] out = b.clone();
    inPlace(out, 0, out.length, unit);
    return out;
  }
}
