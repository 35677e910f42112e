package org.strata.storage;

import java.util.regex.Pattern;

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
  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

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
    if (uid == null || uid.length() > 64 || !UID.matcher(uid).matches()) {
      throw new IllegalArgumentException("not a valid UID for an object key");
    }
    return uid;
  }

  private static String checkTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant must match " + TENANT.pattern());
    }
    return tenant;
  }
}
