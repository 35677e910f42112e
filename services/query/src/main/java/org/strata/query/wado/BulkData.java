package org.strata.query.wado;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one form of Strata's BulkDataURIs: {@code {instanceUrl}/bulkdata/{offset}-{length}}, the byte
 * range of the value in the stored object's data set (counted in the inflated data for a deflated
 * object). Ingest's sidecars and the header fallback of the metadata both write it; the bulkdata
 * resource serves it with one S3 range read. For encapsulated pixel data the range runs from the
 * Basic Offset Table's item tag to the end of the last fragment (items with their headers).
 */
public final class BulkData {
  private static final Pattern RANGE = Pattern.compile("([0-9]{1,15})-([0-9]{1,15})");

  /** A byte range of the stored object. */
  public record Range(long offset, long length) {}

  private BulkData() {}

  public static String uri(String instanceUrl, long offset, long length) {
    return instanceUrl + "/bulkdata/" + offset + "-" + length;
  }

  /** The range of a {@code {offset}-{length}} path segment; 400 for anything else. */
  public static Range parse(String segment) {
    Matcher m = segment == null ? null : RANGE.matcher(segment);
    if (m == null || !m.matches()) {
      throw WadoException.badRequest(
          "bulk data is addressed as {offset}-{length}, as the metadata's BulkDataURIs give it");
    }
    long length = Long.parseLong(m.group(2));
    if (length <= 0) {
      throw WadoException.badRequest("bulk data length must be positive");
    }
    return new Range(Long.parseLong(m.group(1)), length);
  }
}
