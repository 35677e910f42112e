package org.strata.query.wado;

import java.util.Collection;
import java.util.Locale;

/**
 * Content negotiation of the WADO-RS Retrieve transaction, phase 1: resources are served as stored,
 * so a request is acceptable when it takes any transfer syntax ({@code transfer-syntax=*}), names
 * none (Strata answers as stored, see docs/conformance.md), or names the one every matched instance
 * is stored in. Anything else would need transcoding: 406 with a reason.
 */
public final class Negotiation {
  public static final String DICOM = "application/dicom";
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String DICOM_JSON = "application/dicom+json";

  private Negotiation() {}

  /**
   * Checks that {@code multipart/related; type="{partType}"} as stored is acceptable: {@code *}/
   * {@code *}, {@code multipart/*} and {@code multipart/related} without {@code type} also are.
   *
   * @param stored the transfer syntaxes of the objects to send
   */
  public static void requireMultipart(
      AcceptedTypes accept, String partType, Collection<String> stored) {
    boolean transcodingAsked = false;
    for (AcceptedTypes.Range r : accept.ranges()) {
      String type = r.param("type");
      if (r.isWildcard()
          || r.mediaType().equals("multipart/*")
          || (r.mediaType().equals("multipart/related") && type == null)) {
        return;
      }
      if (r.mediaType().equals("multipart/related")
          && type.strip().toLowerCase(Locale.ROOT).equals(partType)) {
        String ts = r.param("transfer-syntax");
        if (ts == null || ts.strip().equals("*") || allEqual(stored, ts.strip())) {
          return;
        }
        transcodingAsked = true;
      }
    }
    if (transcodingAsked) {
      throw WadoException.notAcceptable(
          "transcoding is not supported yet: ask for transfer-syntax=* (the stored transfer"
              + " syntax)");
    }
    throw WadoException.notAcceptable(
        "this resource is served as multipart/related; type=\"" + partType + "\"");
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
