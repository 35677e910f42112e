package org.strata.query.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.codec.PixelDescription;
import org.strata.query.wado.WadoException;

/**
 * Turns one native little-endian frame into an 8-bit image (PS3.3 C.11, the grayscale pipeline):
 * stored values (signed or unsigned, Bits Stored wide), Modality LUT as Rescale Slope and
 * Intercept, VOI as a linear window (the request's, else the object's first, else the frame's
 * range), MONOCHROME1 inverted. Colour: RGB as is (samples above 8 bits scaled down), YBR_FULL
 * converted to RGB (PS3.3 C.7.6.3.1.2), either planar configuration.
 */
public final class FrameRenderer {
  /** Largest image rendered (an 8-bit or RGB copy of it is made): 64 megapixels. */
  public static final long MAX_PIXELS = 64L << 20;

  private FrameRenderer() {}

  /** True if {@link #render} handles this image (else the reason is {@link #refusal}). */
  public static String refusal(PixelDescription image) {
    if (!image.usable()) {
      return "the image attributes do not describe a renderable image (1-bit, odd or too large)";
    }
    if ((long) image.rows() * image.columns() > MAX_PIXELS) {
      return "images above " + MAX_PIXELS + " pixels are not rendered";
    }
    String pi = image.photometricInterpretation();
    if (image.samplesPerPixel() == 1 && (pi.equals("MONOCHROME1") || pi.equals("MONOCHROME2"))) {
      return null;
    }
    if (image.samplesPerPixel() == 3 && (pi.equals("RGB") || pi.equals("YBR_FULL"))) {
      return null;
    }
    if (image.samplesPerPixel() == 1 && pi.equals("PALETTE COLOR") && image.bitsAllocated() <= 16) {
      return null; // the lookup tables are checked when rendering
    }
    return "photometric interpretation " + pi + " is not rendered (yet)";
  }

  public static BufferedImage render(
      byte[] frame, PixelDescription image, Attributes header, RenderParams.Window asked) {
    String reason = refusal(image);
    if (reason != null) {
      throw WadoException.notAcceptable(reason);
    }
    if (image.photometricInterpretation().equals("PALETTE COLOR")) {
      return palette(frame, image, header);
    }
    return image.samplesPerPixel() == 1 ? gray(frame, image, header, asked) : colour(frame, image);
  }

  private static BufferedImage gray(
      byte[] frame, PixelDescription image, Attributes header, RenderParams.Window asked) {
    int n = image.rows() * image.columns();
    double slope = header.getDouble(Tag.RescaleSlope, 1.0);
    double intercept = header.getDouble(Tag.RescaleIntercept, 0.0);
    if (slope == 0 || !Double.isFinite(slope)) {
      slope = 1.0;
    }
    // Two passes over the frame (range, then values) instead of a copy of it as doubles.
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int p = 0; p < n; p++) {
      double v = stored(frame, p, image) * slope + intercept;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    RenderParams.Window w = asked;
    if (w == null) {
      double c = header.getDouble(Tag.WindowCenter, 0, Double.NaN);
      double width = header.getDouble(Tag.WindowWidth, 0, Double.NaN);
      if (Double.isFinite(c) && Double.isFinite(width) && width >= 1) {
        w = new RenderParams.Window(c, width, false);
      }
    }
    boolean invert = image.photometricInterpretation().equals("MONOCHROME1");
    BufferedImage out =
        new BufferedImage(image.columns(), image.rows(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < n; p++) {
      double value = stored(frame, p, image) * slope + intercept;
      double y;
      if (w == null) {
        // No window anywhere: the frame's range, linearly (what dcmtk's +Wm does).
        y = max > min ? (value - min) / (max - min) * 255.0 : 0;
      } else if (w.exact()) {
        double lo = w.center() - w.width() / 2;
        double hi = w.center() + w.width() / 2;
        y = value <= lo ? 0 : value > hi ? 255 : (value - lo) / w.width() * 255.0;
      } else {
        double c = w.center() - 0.5;
        double half = (w.width() - 1) / 2;
        y =
            value <= c - half
                ? 0
                : value > c + half ? 255 : ((value - c) / (w.width() - 1) + 0.5) * 255.0;
      }
      int v = (int) Math.round(Math.max(0, Math.min(255, y)));
      pixels[p] = (byte) (invert ? 255 - v : v);
    }
    return out;
  }

  /** The stored value of pixel {@code p}, Bits Stored wide, sign-extended when signed. */
  private static long stored(byte[] f, int p, PixelDescription image) {
    int bytes = image.bitsAllocated() / 8;
    int at = p * bytes;
    long raw = 0;
    for (int b = bytes - 1; b >= 0; b--) {
      raw = (raw << 8) | (f[at + b] & 0xFF);
    }
    int bits = Math.max(1, Math.min(image.bitsStored(), image.bitsAllocated()));
    long mask = bits >= 64 ? -1L : (1L << bits) - 1;
    raw &= mask;
    if (image.pixelRepresentation() == 1 && (raw & (1L << (bits - 1))) != 0) {
      raw -= 1L << bits;
    }
    return raw;
  }

  private static BufferedImage colour(byte[] frame, PixelDescription image) {
    int n = image.rows() * image.columns();
    int bytes = image.bitsAllocated() / 8;
    int shift = Math.max(0, Math.min(image.bitsStored(), image.bitsAllocated()) - 8);
    boolean ybr = image.photometricInterpretation().equals("YBR_FULL");
    boolean planar = image.planarConfiguration() == 1;
    BufferedImage out =
        new BufferedImage(image.columns(), image.rows(), BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[n];
    for (int p = 0; p < n; p++) {
      int[] s = new int[3];
      for (int k = 0; k < 3; k++) {
        int sample = planar ? k * n + p : p * 3 + k;
        int at = sample * bytes;
        long v = 0;
        for (int b = bytes - 1; b >= 0; b--) {
          v = (v << 8) | (frame[at + b] & 0xFF);
        }
        s[k] = (int) Math.min(255, v >> shift);
      }
      int r = s[0];
      int g = s[1];
      int b = s[2];
      if (ybr) {
        double y = s[0];
        double cb = s[1] - 128.0;
        double cr = s[2] - 128.0;
        r = clamp(y + 1.402 * cr);
        g = clamp(y - 0.344136 * cb - 0.714136 * cr);
        b = clamp(y + 1.772 * cb);
      }
      rgb[p] = (r << 16) | (g << 8) | b;
    }
    out.setRGB(0, 0, image.columns(), image.rows(), rgb, 0, image.columns());
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.round(Math.max(0, Math.min(255, v)));
  }

  /**
   * PALETTE COLOR (PS3.3 C.7.6.3.1.5): each stored value indexes the red, green and blue tables
   * (descriptor: entries, 0 meaning 65536; first mapped value; 8 or 16 bits per entry); values
   * below the first map to the first entry, above the last to the last. Segmented tables: 406.
   */
  private static BufferedImage palette(byte[] frame, PixelDescription image, Attributes header) {
    int[] red =
        lut(header, Tag.RedPaletteColorLookupTableDescriptor, Tag.RedPaletteColorLookupTableData);
    int[] green =
        lut(
            header,
            Tag.GreenPaletteColorLookupTableDescriptor,
            Tag.GreenPaletteColorLookupTableData);
    int[] blue =
        lut(header, Tag.BluePaletteColorLookupTableDescriptor, Tag.BluePaletteColorLookupTableData);
    if (red == null || green == null || blue == null) {
      throw WadoException.notAcceptable(
          "PALETTE COLOR without usable lookup tables (segmented ones are not rendered)");
    }
    int first = header.getInts(Tag.RedPaletteColorLookupTableDescriptor)[1];
    int n = image.rows() * image.columns();
    BufferedImage out =
        new BufferedImage(image.columns(), image.rows(), BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[n];
    for (int p = 0; p < n; p++) {
      long v = stored(frame, p, image) - first;
      int r = red[(int) Math.max(0, Math.min(red.length - 1, v))];
      int g = green[(int) Math.max(0, Math.min(green.length - 1, v))];
      int b = blue[(int) Math.max(0, Math.min(blue.length - 1, v))];
      rgb[p] = (r << 16) | (g << 8) | b;
    }
    out.setRGB(0, 0, image.columns(), image.rows(), rgb, 0, image.columns());
    return out;
  }

  /** One palette table as 8-bit values, or null when it is missing or shorter than described. */
  private static int[] lut(Attributes header, int descriptorTag, int dataTag) {
    int[] d = header.getInts(descriptorTag);
    byte[] data = header.getBytes(dataTag);
    if (d.length < 3 || data == null) {
      return null;
    }
    int entries = d[0] == 0 ? 65536 : d[0] & 0xFFFF;
    int bits = d[2];
    int[] out = new int[entries];
    if (data.length >= entries * 2) {
      boolean big = header.bigEndian();
      for (int k = 0; k < entries; k++) {
        int lo = data[2 * k + (big ? 1 : 0)] & 0xFF;
        int hi = data[2 * k + (big ? 0 : 1)] & 0xFF;
        int word = (hi << 8) | lo;
        out[k] = bits == 16 ? word >> 8 : word & 0xFF;
      }
    } else if (bits == 8 && data.length >= entries) {
      for (int k = 0; k < entries; k++) {
        out[k] = data[k] & 0xFF; // 8-bit entries packed one per byte
      }
    } else {
      return null;
    }
    return out;
  }
}
