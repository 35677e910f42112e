package org.strata.dicom.codec;

import java.io.IOException;

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header with the number of segments and their offsets,
 * then one PackBits-coded segment per byte plane: for each sample, its most significant byte first.
 * The decoded frame is little endian and colour-by-pixel.
 */
public final class RleDecoder implements FrameDecoder {
  private static final int HEADER = 64;

  @Override
  public byte[] decode(byte[] data, PixelDescription image) throws IOException {
    int bytesPerSample = image.bitsAllocated() / 8;
    int planes = image.samplesPerPixel() * bytesPerSample;
    int pixels = image.rows() * image.columns();
    if (data.length < HEADER) {
      throw new CodecException("RLE frame shorter than its 64-byte header");
    }
    int segments = u32(data, 0);
    if (segments != planes) {
      throw new CodecException(
          "RLE frame has " + segments + " segments, the image needs " + planes);
    }
    byte[] out = new byte[Math.toIntExact(image.frameLength())];
    for (int s = 0; s < segments; s++) {
      long start = Integer.toUnsignedLong(u32(data, 4 + 4 * s));
      long end = s + 1 < segments ? Integer.toUnsignedLong(u32(data, 8 + 4 * s)) : data.length;
      if (start < HEADER || end > data.length || start > end) {
        throw new CodecException("RLE segment " + (s + 1) + " lies outside the frame");
      }
      int sample = s / bytesPerSample;
      int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // MSB segment first
      int first = sample * bytesPerSample + byteInSample;
      int stride = planes;
      unpack(data, (int) start, (int) end, out, first, stride, pixels);
    }
    return out;
  }

  @Override
  public String decodedPhotometric(PixelDescription image) {
    return image.photometricInterpretation();
  }

  /** PackBits: n in 0..127 copies n+1 bytes, -127..-1 repeats the next byte 1-n times. */
  private static void unpack(
      byte[] in, int pos, int end, byte[] out, int first, int stride, int count)
      throws CodecException {
    int written = 0;
    int o = first;
    while (written < count && pos < end) {
      int n = in[pos++];
      if (n >= 0) {
        int run = n + 1;
        if (pos + run > end || written + run > count) {
          throw new CodecException("RLE literal run past the end of its segment or plane");
        }
        for (int k = 0; k < run; k++) {
          out[o] = in[pos++];
          o += stride;
        }
        written += run;
      } else if (n != -128) {
        int run = 1 - n;
        if (pos >= end || written + run > count) {
          throw new CodecException("RLE replicate run past the end of its segment or plane");
        }
        byte b = in[pos++];
        for (int k = 0; k < run; k++) {
          out[o] = b;
          o += stride;
        }
        written += run;
      }
    }
    if (written < count) {
      throw new CodecException("RLE segment decodes to " + written + " of " + count + " bytes");
    }
  }

  private static int u32(byte[] b, int at) {
    return (b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (b[at + 3] & 0xFF) << 24;
  }
}
