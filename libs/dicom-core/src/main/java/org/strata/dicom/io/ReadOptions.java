package org.strata.dicom.io;

/**
 * What a {@link DicomInputStream} does beyond plain parsing. Immutable: the {@code with} methods
 * return a copy.
 *
 * @param stopBeforeTag stop at the first top-level element whose tag is at or after this one
 *     (unsigned), leaving the stream at its header; -1 to read everything
 * @param bulkDataThreshold values longer than this many bytes are not loaded but recorded as a
 *     {@link org.strata.dicom.BulkDataRef} into the source; -1 to load everything
 * @param bulkDataUri the URI put in those references (the file the caller reads)
 * @param maxValueLength the largest value that will be allocated; a longer one is rejected as
 *     hostile or corrupt input (unless it becomes a bulk data reference)
 * @param maxDepth the deepest nesting of sequences accepted, a guard against stack exhaustion
 */
public record ReadOptions(
    long stopBeforeTag,
    long bulkDataThreshold,
    String bulkDataUri,
    int maxValueLength,
    int maxDepth) {

  /** 64 MiB: a larger single value in a data set read into memory is not expected. */
  public static final int DEFAULT_MAX_VALUE_LENGTH = 64 << 20;

  /** Real data nests a handful of levels (SR trees a dozen); 64 leaves room. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  public static final ReadOptions DEFAULTS =
      new ReadOptions(-1, -1, null, DEFAULT_MAX_VALUE_LENGTH, DEFAULT_MAX_DEPTH);

  public ReadOptions {
    if (maxValueLength < 0 || maxDepth < 1) {
      throw new IllegalArgumentException("maxValueLength >= 0 and maxDepth >= 1 required");
    }
  }

  public ReadOptions withStopBeforeTag(int tag) {
    return new ReadOptions(
        tag & 0xFFFFFFFFL, bulkDataThreshold, bulkDataUri, maxValueLength, maxDepth);
  }

  public ReadOptions withBulkData(long threshold, String uri) {
    return new ReadOptions(stopBeforeTag, threshold, uri, maxValueLength, maxDepth);
  }

  public ReadOptions withMaxValueLength(int limit) {
    return new ReadOptions(stopBeforeTag, bulkDataThreshold, bulkDataUri, limit, maxDepth);
  }

  public ReadOptions withMaxDepth(int depth) {
    return new ReadOptions(stopBeforeTag, bulkDataThreshold, bulkDataUri, maxValueLength, depth);
  }
}
