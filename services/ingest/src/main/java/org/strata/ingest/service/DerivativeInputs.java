package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.dicom.io.TransferSyntax;
import org.strata.ingest.config.DerivativesConfig;

/**
 * Which bytes of an arriving object the derivatives writer needs (ADR 0015): the header, and the
 * bytes kept from where {@link #keptFrom} says (after a large Pixel Data value, or from the start
 * of one small enough for the sidecar to inline). With these it builds the sidecar and frame index
 * without reading the object back.
 */
@ApplicationScoped
public class DerivativeInputs {
  /** Most bytes after Pixel Data kept for the derivatives (trailing padding is ~100 bytes). */
  static final int MAX_KEPT_TAIL = 64 * 1024;

  private final long inlineLimit;

  public DerivativeInputs(DerivativesConfig derivatives) {
    this.inlineLimit = derivatives.bulkDataThreshold();
  }

  /**
   * Where the kept tail starts: after the Pixel Data value, or at its start when the value is small
   * enough for the sidecar to inline it (then the derivatives writer reads it); -1 without one.
   */
  long keptFrom(ParsedHeader header) {
    if (header.pixelDataEnd() == ParsedHeader.UNKNOWN) {
      return -1;
    }
    return header.pixelDataEnd() - header.pixelDataStart() <= inlineLimit
        ? header.pixelDataStart()
        : header.pixelDataEnd();
  }

  /**
   * True when every byte of the object the derivatives writer reads is known without the object:
   * the header, then a native Pixel Data value (only referenced, never read), then the kept tail
   * (e.g. trailing padding); or no pixel data at all (the header is the whole object).
   */
  boolean headerStandsForObject(ParsedHeader header, byte[] tail, long size) {
    if (header.fragmentsStart() != ParsedHeader.UNKNOWN
        || TransferSyntax.of(header.transferSyntaxUid()).deflated()) {
      return false;
    }
    if (header.pixelDataEnd() == ParsedHeader.UNKNOWN) {
      return header.headerBytes().length == size;
    }
    return tail != null && keptFrom(header) + tail.length == size;
  }
}
