package org.strata.query.wado;

import java.io.IOException;
import org.strata.dicom.ByteSwap;
import org.strata.dicom.UID;
import org.strata.dicom.codec.FrameDecoder;
import org.strata.dicom.codec.FrameDecoders;
import org.strata.dicom.codec.PixelDescription;

/**
 * Frames in Explicit VR Little Endian (PS3.18 8.7.3.5: {@code application/octet-stream;
 * transfer-syntax=1.2.840.10008.1.2.1}) from what is stored: little endian native frames as they
 * are, big endian 16-bit frames swapped, RLE Lossless and JPEG Baseline frames decoded. One frame
 * in memory at a time.
 */
public final class FrameTranscoding {
  /** The one target of frame transcoding. */
  public static final String TARGET = UID.ExplicitVRLittleEndian;

  private FrameTranscoding() {}

  /** True if frames stored in {@code from} can be served in {@code to}. */
  public static boolean can(String from, String to) {
    if (!TARGET.equals(to)) {
      return false;
    }
    return from.equals(UID.ImplicitVRLittleEndian)
        || from.equals(UID.ExplicitVRLittleEndian)
        || from.equals(UID.ExplicitVRBigEndian)
        || FrameDecoders.of(from) != null;
  }

  /** Null if the image's frames can be transcoded from {@code from}, else the reason why not. */
  public static String refusal(String from, PixelDescription image) {
    if (image.frameLength() > PixelDescription.MAX_FRAME_LENGTH) {
      return "frames above "
          + (PixelDescription.MAX_FRAME_LENGTH >> 20)
          + " MiB are not transcoded";
    }
    if (from.equals(UID.ExplicitVRBigEndian) && image.bitsAllocated() != 16) {
      return "big endian frames are transcoded for 16 bits allocated only";
    }
    if (FrameDecoders.of(from) != null && !image.usable()) {
      return "the image attributes do not describe a decodable image";
    }
    return null;
  }

  /** One frame as stored (fragments concatenated for encapsulated data) to little endian. */
  public static byte[] transcode(byte[] stored, String from, PixelDescription image)
      throws IOException {
    FrameDecoder decoder = FrameDecoders.of(from);
    if (decoder != null) {
      return decoder.decode(stored, image);
    }
    if (from.equals(UID.ExplicitVRBigEndian)) {
      ByteSwap.inPlace(stored, 0, stored.length - stored.length % 2, 2);
    }
    return stored;
  }
}
