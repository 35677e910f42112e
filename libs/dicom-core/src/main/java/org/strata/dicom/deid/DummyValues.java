package org.strata.dicom.deid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.strata.dicom.VR;

/**
 * Dummy values for action D, one per VR: valid for the VR, obviously not real, never derived from
 * the original. Binary VRs get zeros of one value unit; an "anonymous" text for the text VRs.
 */
final class DummyValues {
  private static final String TEXT = "ANONYMOUS";

  private DummyValues() {}

  /** The dummy value bytes for {@code vr} (even length, padded as the VR pads), null for SQ. */
  static byte[] of(VR vr) {
    String text =
        switch (vr) {
          case DA -> "19000101";
          case TM -> "000000";
          case DT -> "19000101000000";
          case AS -> "000Y";
          case IS, DS -> "0";
          case UI -> "2.25.0";
          case UR -> "urn:x-strata:anonymous";
          case AE, CS, LO, LT, PN, SH, ST, UC, UT -> TEXT;
          default -> null;
        };
    if (text != null) {
      byte[] b = text.getBytes(StandardCharsets.US_ASCII);
      if (b.length % 2 != 0) {
        b = Arrays.copyOf(b, b.length + 1);
        b[b.length - 1] = (byte) vr.paddingByte();
      }
      return b;
    }
    return switch (vr) {
      case SQ -> null;
      case US, SS, OW, OB, UN -> new byte[2];
      case FD, OD, OV, SV, UV -> new byte[8];
      default -> new byte[4]; // UL, SL, FL, OF, OL
    };
  }
}
