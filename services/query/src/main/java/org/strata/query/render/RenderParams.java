package org.strata.query.render;

import java.util.Locale;
import org.strata.query.wado.WadoException;

/**
 * The query parameters of a rendered or thumbnail request (PS3.18 8.3.5): {@code window}, {@code
 * viewport} and {@code quality}. Malformed values are 400 with a reason that names the parameter.
 *
 * @param window the VOI window asked for, or null (the object's first window, else its range)
 * @param viewport the output box, or null (the image's own size)
 * @param quality JPEG quality 1 to 100
 */
public record RenderParams(Window window, Viewport viewport, int quality) {
  /** Default JPEG quality when none is asked for. */
  public static final int DEFAULT_QUALITY = 90;

  /** The largest side of a rendered image (a 4096 x 4096 RGB image is 64 MiB); larger: 400. */
  public static final int MAX_SIDE = 4096;

  /** A linear window (PS3.3 C.11.2.1.2): {@code linear} or {@code linear-exact}. */
  public record Window(double center, double width, boolean exact) {}

  /**
   * The viewport: output width and height, and optionally the source region ({@code sx, sy, sw,
   * sh}) to show; sw and sh 0 mean "to the image's edge".
   */
  public record Viewport(int width, int height, int sx, int sy, int sw, int sh) {}

  public static RenderParams parse(String window, String viewport, String quality) {
    return new RenderParams(window(window), viewport(viewport), quality(quality));
  }

  static Window window(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String[] p = value.split(",", -1);
    if (p.length < 2 || p.length > 3) {
      throw WadoException.badRequest("window must be center,width[,function]");
    }
    double center = number(p[0], "window center");
    double width = number(p[1], "window width");
    boolean exact = false;
    if (p.length == 3) {
      String f = p[2].strip().toLowerCase(Locale.ROOT);
      if (f.equals("linear-exact")) {
        exact = true;
      } else if (!f.equals("linear")) {
        throw WadoException.badRequest("window function must be linear or linear-exact");
      }
    }
    if (width < (exact ? 0 : 1) || (exact && width == 0)) {
      throw WadoException.badRequest("window width must be at least 1 (above 0 for linear-exact)");
    }
    return new Window(center, width, exact);
  }

  static Viewport viewport(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String[] p = value.split(",", -1);
    if (p.length != 2 && p.length != 6) {
      throw WadoException.badRequest("viewport must be vw,vh or vw,vh,sx,sy,sw,sh");
    }
    int[] v = new int[6];
    for (int i = 0; i < p.length; i++) {
      v[i] = integer(p[i], "viewport");
      if (v[i] < 0) {
        throw WadoException.badRequest("viewport values must not be negative (no flips)");
      }
    }
    if (v[0] < 1 || v[1] < 1 || v[0] > MAX_SIDE || v[1] > MAX_SIDE) {
      throw WadoException.badRequest("viewport width and height must be 1 to " + MAX_SIDE);
    }
    return new Viewport(v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  static int quality(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_QUALITY;
    }
    int q = integer(value, "quality");
    if (q < 1 || q > 100) {
      throw WadoException.badRequest("quality must be 1 to 100");
    }
    return q;
  }

  private static double number(String s, String name) {
    try {
      double d = Double.parseDouble(s.strip());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw WadoException.badRequest(name + " must be a number");
  }

  private static int integer(String s, String name) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw WadoException.badRequest(name + " values must be integers");
    }
  }
}
