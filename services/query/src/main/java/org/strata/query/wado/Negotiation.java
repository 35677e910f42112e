package org.strata.query.wado;

import java.util.Collection;
import java.util.Locale;

/**
 * Content negotiation of the WADO-RS Retrieve transaction: as stored when the request takes any
 * transfer syntax ({@code transfer-syntax=*}), names none (Strata answers as stored, see
 * docs/conformance.md), or names the one every matched instance is stored in; else transcoded when
 * every instance can be (the caller says what it can do), else 406 with a reason.
 */
public final class Negotiation {
  public static final String DICOM = "application/dicom";
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String DICOM_JSON = "application/dicom+json";

  private Negotiation() {}

  /** Whether objects (or frames) stored in one transfer syntax can be served in another. */
  public interface Transcodable {
    boolean test(String from, String to);
  }

  /**
   * The transfer syntax to serve {@code multipart/related; type="{partType}"} in: null for as
   * stored ({@code transfer-syntax=*}, none named, or the one every matched object is stored in;
   * also for {@code *}/{@code *}, {@code multipart/*} and {@code multipart/related} without {@code
   * type}), else the named one when every object can be transcoded to it. Ranges are tried in the
   * order given; 406 with the reason of the last refusal when none fits.
   *
   * @param stored the transfer syntaxes of the objects to send
   */
  public static String transferSyntax(
      AcceptedTypes accept, String partType, Collection<String> stored, Transcodable can) {
    String refusal = null;
    for (AcceptedTypes.Range r : accept.ranges()) {
      String type = r.param("type");
      if (r.isWildcard()
          || r.mediaType().equals("multipart/*")
          || (r.mediaType().equals("multipart/related") && type == null)) {
        return null;
      }
      if (r.mediaType().equals("multipart/related")
          && type.strip().toLowerCase(Locale.ROOT).equals(partType)) {
        String ts = r.param("transfer-syntax");
        if (ts == null || ts.strip().equals("*") || allEqual(stored, ts.strip())) {
          return null;
        }
        String target = ts.strip();
        String unable = null;
        for (String s : stored) {
          if (s == null || (!s.strip().equals(target) && !can.test(s.strip(), target))) {
            unable = s;
            break;
          }
        }
        if (unable == null) {
          return target;
        }
        refusal =
            "transcoding from "
                + unable
                + " to "
                + target
                + " is not supported: ask for transfer-syntax=* (as stored) or "
                + SUPPORTED;
      }
    }
    if (refusal != null) {
      throw WadoException.notAcceptable(refusal);
    }
    throw WadoException.notAcceptable(
        "this resource is served as multipart/related; type=\"" + partType + "\"");
  }

  /** What transcoding can do, for 406 reasons. */
  static final String SUPPORTED =
      "a native transfer syntax (1.2.840.10008.1.2.1 explicit VR little endian, 1.2.840.10008.1.2"
          + " implicit, 1.2.840.10008.1.2.2 big endian, 1.2.840.10008.1.2.1.99 deflated) from a"
          + " native, deflated, RLE Lossless or JPEG Baseline object";

  /**
   * How bulk data goes out: true for {@code multipart/related; type="application/octet-stream"}
   * (the PS3.18 default, also for {@code *}/{@code *} and {@code multipart/*}), false for a bare
   * {@code application/octet-stream} body. Bytes as stored: a transfer-syntax other than {@code *}
   * or the stored one is 406.
   */
  public static boolean bulkDataMultipart(AcceptedTypes accept, String stored) {
    for (AcceptedTypes.Range r : accept.ranges()) {
      String ts = r.param("transfer-syntax");
      boolean asStored = ts == null || ts.strip().equals("*") || ts.strip().equals(stored);
      String type = r.param("type");
      if (r.isWildcard()
          || r.mediaType().equals("multipart/*")
          || (r.mediaType().equals("multipart/related")
              && (type == null || type.strip().equalsIgnoreCase(OCTET_STREAM))
              && asStored)) {
        return true;
      }
      if ((r.mediaType().equals(OCTET_STREAM) || r.mediaType().equals("application/*"))
          && asStored) {
        return false;
      }
    }
    throw WadoException.notAcceptable(
        "bulk data is served as stored, as multipart/related; type=\"application/octet-stream\""
            + " or application/octet-stream");
  }

  /** Checks that DICOM JSON is acceptable ({@code application/dicom+json}, JSON or any). */
  public static void requireDicomJson(AcceptedTypes accept) {
    for (AcceptedTypes.Range r : accept.ranges()) {
      if (r.isWildcard()
          || r.mediaType().equals("application/*")
          || r.mediaType().equals(DICOM_JSON)
          || r.mediaType().equals("application/json")) {
        return;
      }
    }
    throw WadoException.notAcceptable("metadata is served as application/dicom+json (no XML yet)");
  }

  private static boolean allEqual(Collection<String> stored, String ts) {
    for (String s : stored) {
      if (s == null || !s.strip().equals(ts)) {
        return false;
      }
    }
    return !stored.isEmpty();
  }
}
