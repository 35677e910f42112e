package org.strata.storage;

import org.strata.ids.TenantId;
import org.strata.ids.Uid;

/**
 * Where an instance and its derivatives live in the bucket:
 *
 * <pre>
 * {tenant}/{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.dcm          the object, version 1
 * {tenant}/{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.v{n}.dcm     version n &gt; 1
 * {tenant}/{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.json         metadata sidecar
 * {tenant}/{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.frames       frame index
 * </pre>
 *
 * Why: one prefix per tenant (hospital) lets a bucket policy or lifecycle rule act per hospital and
 * keeps tenants apart without a bucket each (buckets are few and slow to provision); listing a
 * study's or a series' prefix finds everything of it, for rebuilding the index, tiering a study or
 * deleting it; the key of version 1 is derivable from the UIDs alone, so a duplicate is detected
 * with one HEAD request.
 */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String instance(
      String tenant, String study, String series, String sop, int version) {
    String base = prefix(tenant, study, series) + check(sop);
    return version <= 1 ? base + ".dcm" : base + ".v" + version + ".dcm";
  }

  public static String sidecar(String tenant, String study, String series, String sop) {
    return prefix(tenant, study, series) + check(sop) + ".json";
  }

  public static String frameIndex(String tenant, String study, String series, String sop) {
    return prefix(tenant, study, series) + check(sop) + ".frames";
  }

  public static String study(String tenant, String study) {
    return checkTenant(tenant) + "/" + check(study) + "/";
  }

  private static String prefix(String tenant, String study, String series) {
    return checkTenant(tenant) + "/" + check(study) + "/" + check(series) + "/";
  }

  /** UIDs become path segments: only digits and dots, so no key can escape its prefix. */
  private static String check(String uid) {
    return Uid.require(uid, "object key UID");
  }

  /**
   * The tenant in its canonical form (letters, digits, dots, hyphens; never {@code /} or a lone dot
   * segment): the edges parse it, so {@code Hosp.A} arrives here as {@code hosp.a}.
   */
  private static String checkTenant(String tenant) {
    return TenantId.requireCanonical(tenant, "object key tenant");
  }
}
