package org.strata.dicom.codec;

import org.strata.dicom.UID;

/** The decoders this package has, by transfer syntax. */
public final class FrameDecoders {
  private FrameDecoders() {}

  /** The decoder of {@code transferSyntaxUid}'s pixel data, or null when there is none. */
  public static FrameDecoder of(String transferSyntaxUid) {
    String uid = transferSyntaxUid == null ? "" : transferSyntaxUid.strip();
    return switch (uid) {
      case UID.RLELossless -> new RleDecoder();
      case UID.JPEGBaseline8Bit -> new JpegBaselineDecoder();
      case UID.JPEGLossless, UID.JPEGLosslessSV1 -> new JpegLosslessDecoder();
      default -> null;
    };
  }
}
