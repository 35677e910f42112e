package org.strata.dicom.codec;

import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;

/**
 * What a decoder needs to know about the pixels of an image (PS3.3 C.7.6.3): size, samples, bits
 * and their layout. Read from the data set's Image Pixel module.
 *
 * @param planarConfiguration 0 colour-by-pixel, 1 colour-by-plane (native pixel data only)
 */
public record PixelDescription(
    int rows,
    int columns,
    int samplesPerPixel,
    int bitsAllocated,
    int bitsStored,
    int pixelRepresentation,
    int planarConfiguration,
    int frames,
    String photometricInterpretation) {

  /** The Image Pixel attributes of {@code ds}; missing ones take their usual defaults. */
  public static PixelDescription of(Attributes ds) {
    int bitsAllocated = ds.getInt(Tag.BitsAllocated, 0);
    String pi = ds.getString(Tag.PhotometricInterpretation);
    return new PixelDescription(
        ds.getInt(Tag.Rows, 0),
        ds.getInt(Tag.Columns, 0),
        ds.getInt(Tag.SamplesPerPixel, 1),
        bitsAllocated,
        ds.getInt(Tag.BitsStored, bitsAllocated),
        ds.getInt(Tag.PixelRepresentation, 0),
        ds.getInt(Tag.PlanarConfiguration, 0),
        Math.max(1, ds.getInt(Tag.NumberOfFrames, 1)),
        pi == null ? "" : pi.strip());
  }

  /** Bytes of one native frame (whole bytes per sample; 1-bit images are not handled here). */
  public long frameLength() {
    return (long) rows * columns * samplesPerPixel * (bitsAllocated / 8);
  }

  /**
   * Largest decoded frame this package makes (256 MiB): a frame is held whole while it is decoded,
   * so a header announcing more is refused rather than risking the heap.
   */
  public static final long MAX_FRAME_LENGTH = 256L << 20;

  /**
   * True if the values make an image this package can handle (not 1-bit, sizes positive, a frame of
   * at most {@link #MAX_FRAME_LENGTH} bytes).
   */
  public boolean usable() {
    return rows > 0
        && columns > 0
        && (samplesPerPixel == 1 || samplesPerPixel == 3)
        && (bitsAllocated == 8 || bitsAllocated == 16 || bitsAllocated == 32)
        && frameLength() <= MAX_FRAME_LENGTH;
  }

  /** The same image with another photometric interpretation and planar configuration. */
  public PixelDescription with(String photometric, int planar) {
    return new PixelDescription(
        rows,
        columns,
        samplesPerPixel,
        bitsAllocated,
        bitsStored,
        pixelRepresentation,
        planar,
        frames,
        photometric);
  }
}
