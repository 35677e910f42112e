package org.strata.dicom.codec;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * JPEG Baseline (Process 1, 8 bits per sample; PS3.5 A.4.1) through the JDK's own JPEG reader
 * ({@code javax.imageio}). Colour images come out as RGB: the reader converts YCbCr (what DICOM
 * calls YBR_FULL and YBR_FULL_422) unless the stream says its components are RGB (component ids R,
 * G, B or an Adobe marker without transform), which is what decoders of DICOM do (dcmtk's dcmdjpeg
 * converts by default).
 */
public final class JpegBaselineDecoder implements FrameDecoder {

  @Override
  public byte[] decode(byte[] compressed, PixelDescription image) throws IOException {
    if (image.bitsAllocated() != 8) {
      throw new CodecException("JPEG Baseline carries 8-bit samples only");
    }
    BufferedImage decoded = read(compressed);
    if (decoded.getWidth() != image.columns() || decoded.getHeight() != image.rows()) {
      throw new CodecException("JPEG frame size does not match Rows and Columns");
    }
    Raster raster = decoded.getRaster();
    int bands = raster.getNumBands();
    if (bands != image.samplesPerPixel()) {
      throw new CodecException(
          "JPEG frame has " + bands + " components, Samples per Pixel says otherwise");
    }
    int w = image.columns();
    int h = image.rows();
    byte[] out = new byte[Math.toIntExact(image.frameLength())];
    int[] row = new int[w * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      // Band order of the colour model: R, G, B for colour, the grey level otherwise.
      raster.getPixels(0, y, w, 1, row);
      for (int v : row) {
        out[o++] = (byte) v;
      }
    }
    return out;
  }

  @Override
  public String decodedPhotometric(PixelDescription image) {
    return image.samplesPerPixel() == 3 ? "RGB" : image.photometricInterpretation();
  }

  private static BufferedImage read(byte[] compressed) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) {
      throw new CodecException("no JPEG reader in this Java runtime");
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in =
        ImageIO.createImageInputStream(new ByteArrayInputStream(compressed))) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("JPEG frame cannot be decoded", e);
    } finally {
      reader.dispose();
    }
  }
}
