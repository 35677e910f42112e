package org.strata.query.render;

import java.util.Locale;
import org.strata.query.wado.AcceptedTypes;
import org.strata.query.wado.WadoException;

/**
 * The media type of rendered images: {@code image/jpeg} (default, also for {@code image/*} and
 * {@code *}/{@code *}) or {@code image/png}; also named as the {@code type} of {@code
 * multipart/related}. Ranges are tried in the order given; anything else is 406.
 */
public final class RenderedMedia {
  private RenderedMedia() {}

  public static String choose(AcceptedTypes accept) {
    for (AcceptedTypes.Range r : accept.ranges()) {
      String type = r.mediaType();
      if (type.equals("multipart/related")) {
        String t = r.param("type");
        type = t == null ? "*/*" : t.strip().toLowerCase(Locale.ROOT);
      }
      switch (type) {
        case ImageEncoder.JPEG, "image/*", "*/*", "multipart/*" -> {
          return ImageEncoder.JPEG;
        }
        case ImageEncoder.PNG -> {
          return ImageEncoder.PNG;
        }
        default -> {
          // next range
        }
      }
    }
    throw WadoException.notAcceptable("rendered images are served as image/jpeg or image/png");
  }
}
