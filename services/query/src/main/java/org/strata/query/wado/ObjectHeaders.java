package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.ReadOptions;
import org.strata.storage.StorageException;

/**
 * The attributes of a stored object before its Pixel Data, read from S3 (the download stops there):
 * for metadata without a sidecar, and the pixel description frames and rendering need.
 */
@ApplicationScoped
public class ObjectHeaders {
  private static final Logger LOG = Logger.getLogger(ObjectHeaders.class);

  private final Storage storage;

  public ObjectHeaders(Storage storage) {
    this.storage = storage;
  }

  /**
   * The attributes before Pixel Data, read from the object in S3 (the download stops there).
   *
   * @param pixelRange also record where Pixel Data's value lies, as a {@link BulkDataRef} (offset,
   *     length) in the stored object: native data from its header; encapsulated data from the Basic
   *     Offset Table's item tag to the end of the last fragment (the items are walked, so the
   *     object is read to there), the range ingest's sidecars name
   */
  public Attributes header(String tenant, StoredInstance i, boolean pixelRange) throws IOException {
    Attributes ds;
    try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey());
        DicomInputStream dis =
            new DicomInputStream(
                new BufferedInputStream(in, 64 * 1024),
                ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData))) {
      dis.readFileMetaInformation();
      ds = dis.readDataset();
      if (pixelRange && dis.stoppedBeforeTag()) {
        ElementHeader pixel = dis.readHeader();
        if (pixel != null && pixel.tag() == Tag.PixelData) {
          long length = pixel.undefinedLength() ? itemsLength(dis) : pixel.length();
          // Encapsulated pixel data is OB (PS3.5 A.4), whatever VR a writer put on the wire.
          ds.set(
              Tag.PixelData,
              pixel.undefinedLength() ? VR.OB : pixel.vr(),
              new BulkDataRef(null, pixel.valueOffset(), length),
              pixel.valueOffset());
        }
      }
      // Closing here stops the download: the rest is not read.
    } catch (StorageException e) {
      LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    } catch (DicomParseException e) {
      LOG.warnf("stored object of tenant %s not parseable at offset %d", tenant, e.offset());
      throw new IOException("stored object not parseable", e);
    }
    return ds;
  }

  /** Bytes from the first item tag of encapsulated pixel data to the end of its last item. */
  private static long itemsLength(DicomInputStream dis) throws IOException {
    long start = dis.position();
    long end = start;
    ElementHeader h;
    while ((h = dis.readHeader()) != null && h.tag() == Tags.ITEM && !h.undefinedLength()) {
      for (long left = h.length(); left > 0; ) {
        int n = (int) Math.min(64 * 1024, left);
        dis.readValue(n);
        left -= n;
      }
      end = h.valueOffset() + h.length();
    }
    return end - start;
  }
}
