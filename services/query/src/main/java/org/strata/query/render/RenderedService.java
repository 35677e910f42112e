package org.strata.query.render;

import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.codec.CodecException;
import org.strata.dicom.codec.FrameDecoder;
import org.strata.dicom.codec.FrameDecoders;
import org.strata.dicom.codec.PixelDescription;
import org.strata.dicom.io.FrameIndex;
import org.strata.query.wado.FrameIndexCache;
import org.strata.query.wado.FrameRetrieval;
import org.strata.query.wado.FrameTranscoding;
import org.strata.query.wado.Multipart;
import org.strata.query.wado.ObjectHeaders;
import org.strata.query.wado.StoredInstance;
import org.strata.query.wado.WadoException;

/**
 * Rendered and thumbnail resources (PS3.18 10.4.1.1.3, 8.3.5): frames read by range through the
 * frame index, decoded to native pixels (RLE, JPEG Baseline), rendered to 8 bits ({@link
 * FrameRenderer}), fitted to the viewport and encoded. One frame in memory at a time.
 */
@ApplicationScoped
public class RenderedService {
  private static final Logger LOG = Logger.getLogger(RenderedService.class);

  /** Thumbnail box when the request gives no viewport. */
  public static final RenderParams.Viewport THUMBNAIL =
      new RenderParams.Viewport(128, 128, 0, 0, 0, 0);

  private final ObjectHeaders headers;
  private final FrameIndexCache frameIndexes;
  private final FrameRetrieval frames;

  public RenderedService(
      ObjectHeaders headers, FrameIndexCache frameIndexes, FrameRetrieval frames) {
    this.headers = headers;
    this.frameIndexes = frameIndexes;
    this.frames = frames;
  }

  /** An instance ready to render: its header, pixel description and frame index. */
  public record Renderable(
      StoredInstance instance, Attributes header, PixelDescription image, FrameIndex index) {}

  /** True if the stored transfer syntax has a frame path to native pixels. */
  public static boolean decodable(StoredInstance i) {
    return FrameTranscoding.can(i.transferSyntaxUid(), FrameTranscoding.TARGET);
  }

  /**
   * Reads what rendering {@code i} needs; 406 when its pixel data cannot be rendered, 400 when it
   * has none.
   */
  public Renderable prepare(String tenant, StoredInstance i) {
    if (!decodable(i)) {
      throw WadoException.notAcceptable(
          "pixel data in transfer syntax "
              + i.transferSyntaxUid()
              + " is not rendered (no decoder)");
    }
    Attributes header;
    try {
      header = headers.header(tenant, i, false);
    } catch (IOException e) {
      throw WadoException.storageFailed(e);
    }
    if (!header.contains(Tag.Rows) || !header.contains(Tag.Columns)) {
      throw WadoException.badRequest("the instance has no image to render");
    }
    PixelDescription image = PixelDescription.of(header);
    String reason = FrameTranscoding.refusal(i.transferSyntaxUid(), image);
    FrameDecoder decoder = FrameDecoders.of(i.transferSyntaxUid());
    if (decoder != null) {
      // Decoded frames are colour-by-pixel, in the decoder's colour model (JPEG: RGB).
      image = image.with(decoder.decodedPhotometric(image), 0);
    }
    if (reason == null) {
      reason = FrameRenderer.refusal(image);
    }
    if (reason != null) {
      throw WadoException.notAcceptable(reason);
    }
    return new Renderable(i, header, image, frameIndexes.frameIndex(tenant, i));
  }

  /** One frame (1-based) rendered and encoded. */
  public byte[] render(
      String tenant,
      Renderable r,
      int frame,
      RenderParams params,
      RenderParams.Viewport viewport,
      String mediaType)
      throws IOException {
    byte[] pixels;
    try {
      pixels = frames.nativeFrame(tenant, r.instance(), r.index(), frame, r.image());
    } catch (CodecException e) {
      LOG.warnf("frame of tenant %s not decodable: %s", tenant, e.getMessage());
      throw new WadoException(500, "the stored frame cannot be decoded");
    }
    BufferedImage image = FrameRenderer.render(pixels, r.image(), r.header(), params.window());
    return ImageEncoder.encode(ImageEncoder.fit(image, viewport), mediaType, params.quality());
  }

  /**
   * Study or series: one part per instance (its first frame), instances that cannot be rendered (no
   * pixel data, no decoder) left out.
   */
  public void writeInstances(
      String tenant,
      List<StoredInstance> instances,
      RenderParams params,
      String mediaType,
      OutputStream out,
      String boundary)
      throws IOException {
    Multipart multipart = new Multipart(out, boundary);
    for (StoredInstance i : instances) {
      byte[] encoded;
      try {
        encoded = render(tenant, prepare(tenant, i), 1, params, params.viewport(), mediaType);
      } catch (WadoException e) {
        if (e.status() == 503) {
          throw new IOException("object storage failed", e);
        }
        continue; // not an image, or not one we render: left out of the study's images
      }
      multipart.startPart(mediaType, encoded.length);
      out.write(encoded);
      multipart.endPart();
    }
    multipart.finish();
  }

  /** Frames of one instance, one part each, in the order asked. */
  public void writeFrames(
      String tenant,
      Renderable r,
      int[] frames,
      RenderParams params,
      String mediaType,
      OutputStream out,
      String boundary)
      throws IOException {
    Multipart multipart = new Multipart(out, boundary);
    for (int f : frames) {
      byte[] encoded = render(tenant, r, f, params, params.viewport(), mediaType);
      multipart.startPart(mediaType, encoded.length);
      out.write(encoded);
      multipart.endPart();
    }
    multipart.finish();
  }
}
