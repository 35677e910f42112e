package org.strata.dicom.io;

import org.strata.dicom.Tags;
import org.strata.dicom.VR;

/**
 * An element header as found in the stream.
 *
 * @param tag the tag
 * @param vr the VR (explicit, or from the dictionary), null for items and delimiters
 * @param length the value length, {@link #UNDEFINED} for undefined length
 * @param headerOffset offset of the first byte of the tag
 * @param valueOffset offset of the first byte of the value
 */
public record ElementHeader(int tag, VR vr, long length, long headerOffset, long valueOffset) {

  /** The undefined length 0xFFFFFFFF. */
  public static final long UNDEFINED = 0xFFFFFFFFL;

  public boolean undefinedLength() {
    return length == UNDEFINED;
  }

  @Override
  public String toString() {
    return Tags.toString(tag)
        + " "
        + (vr == null ? "--" : vr.name())
        + " #"
        + (undefinedLength() ? "u/l" : Long.toString(length))
        + " @"
        + headerOffset;
  }
}
