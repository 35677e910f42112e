package org.strata.ingest.service;

import org.strata.dicom.Attributes;

/**
 * An instance's header (everything before Pixel Data) and the UIDs that place it, read from the
 * first bytes of the stream.
 *
 * @param fragmentsStart offset of the first item of encapsulated (undefined-length) Pixel Data,
 *     else {@link #UNKNOWN}
 * @param pixelDataStart offset of the value of a defined-length Pixel Data, else {@link #UNKNOWN}
 * @param pixelDataEnd offset just past the value of a defined-length Pixel Data, else {@link
 *     #UNKNOWN}; an object that ends before it is truncated
 * @param headerBytes the bytes consumed from the source to parse the header; the upload sends them
 *     first, then the rest of the source, so the stored object is the received one
 */
public record ParsedHeader(
    Attributes fileMeta,
    Attributes dataset,
    String transferSyntaxUid,
    String sopClassUid,
    String sopInstanceUid,
    String studyInstanceUid,
    String seriesInstanceUid,
    byte[] headerBytes,
    long pixelDataStart,
    long pixelDataEnd,
    long fragmentsStart) {

  /** No Pixel Data, or its extent unknown (deflated): completeness is not checked. */
  static final long UNKNOWN = -1;
}
