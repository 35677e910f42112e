package org.strata.dicom.codec;

import java.io.IOException;

/** Decodes one frame of encapsulated pixel data into native pixel data. */
public interface FrameDecoder {

  /**
   * The frame's native pixels: little endian, colour-by-pixel, {@link
   * PixelDescription#frameLength()} bytes.
   *
   * @param compressed the frame's fragment values concatenated (the codec's bitstream)
   */
  byte[] decode(byte[] compressed, PixelDescription image) throws IOException;

  /**
   * The photometric interpretation of the decoded pixels (a JPEG decoder converts YCbCr to RGB; RLE
   * keeps what was stored).
   */
  String decodedPhotometric(PixelDescription image);
}
