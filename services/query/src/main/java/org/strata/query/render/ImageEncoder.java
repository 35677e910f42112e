package org.strata.query.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Viewport scaling and JPEG/PNG encoding with the JDK's ImageIO. */
public final class ImageEncoder {
  public static final String JPEG = "image/jpeg";
  public static final String PNG = "image/png";

  private ImageEncoder() {}

  /**
   * The image in the viewport: the source region (whole image by default) scaled to fit inside vw x
   * vh with its aspect ratio kept (bilinear), as PS3.18 8.3.5.1.3 describes.
   */
  public static BufferedImage fit(BufferedImage src, RenderParams.Viewport viewport) {
    if (viewport == null) {
      return src;
    }
    int sx = Math.min(viewport.sx(), src.getWidth() - 1);
    int sy = Math.min(viewport.sy(), src.getHeight() - 1);
    int sw =
        viewport.sw() == 0 ? src.getWidth() - sx : Math.min(viewport.sw(), src.getWidth() - sx);
    int sh =
        viewport.sh() == 0 ? src.getHeight() - sy : Math.min(viewport.sh(), src.getHeight() - sy);
    double scale = Math.min(viewport.width() / (double) sw, viewport.height() / (double) sh);
    if (viewport == RenderedService.THUMBNAIL) {
      scale = Math.min(scale, 1.0); // the default thumbnail box shrinks, never enlarges
    }
    int w = Math.max(1, (int) Math.round(sw * scale));
    int h = Math.max(1, (int) Math.round(sh * scale));
    if (sx == 0 && sy == 0 && sw == src.getWidth() && sh == src.getHeight() && w == sw && h == sh) {
      return src;
    }
    BufferedImage out = new BufferedImage(w, h, src.getType());
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, sx, sy, sx + sw, sy + sh, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The image encoded as {@code mediaType} (JPEG with {@code quality} 1-100, or PNG). */
  public static byte[] encode(BufferedImage image, String mediaType, int quality)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    write(image, mediaType, quality, bytes);
    return bytes.toByteArray();
  }

  private static void write(BufferedImage image, String mediaType, int quality, OutputStream out)
      throws IOException {
    String format = mediaType.equals(PNG) ? "png" : "jpeg";
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("no " + format + " writer in this Java runtime");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
