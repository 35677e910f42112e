package org.strata.events;

import java.util.regex.Pattern;

/**
 * Where a stored DICOM object lives in object storage.
 *
 * @param bucket object-storage bucket
 * @param key object key of the DICOM file
 * @param size size of the DICOM file in bytes
 * @param sha256 lowercase hex SHA-256 of the DICOM file, for integrity checks by any consumer
 * @param sidecarKey key of the metadata sidecar, or null if none was written
 * @param frameIndexKey key of the frame offset index (multi-frame objects), or null
 */
public record ObjectLocation(
    String bucket, String key, long size, String sha256, String sidecarKey, String frameIndexKey) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ObjectLocation {
    Require.nonBlank(bucket, "objectLocation.bucket");
    Require.nonBlank(key, "objectLocation.key");
    if (size < 0) {
      throw new IllegalArgumentException("objectLocation.size must be >= 0, got " + size);
    }
    Require.nonNull(sha256, "objectLocation.sha256");
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "objectLocation.sha256 must be 64 lowercase hex characters, got '" + sha256 + "'");
    }
  }
}
