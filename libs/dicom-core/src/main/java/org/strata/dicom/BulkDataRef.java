package org.strata.dicom;

import java.util.Objects;

/**
 * A value left in its source instead of being loaded: {@code length} bytes at {@code offset} of the
 * resource {@code uri} (the value itself, after the element header).
 *
 * @param uri where the source is, as given to the reader (may be null if the caller gave none)
 * @param offset byte offset of the value in the source
 * @param length value length in bytes
 */
public record BulkDataRef(String uri, long offset, long length) {
  public BulkDataRef {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
  }

  @Override
  public String toString() {
    return Objects.toString(uri, "") + "?offset=" + offset + "&length=" + length;
  }
}
