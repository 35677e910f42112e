package org.strata.indexschema;

/**
 * {@code instance_metadata} (ADR 0045): an instance's WADO-RS metadata, i.e. the bytes of its
 * metadata sidecar (UTF-8 DICOM JSON, bulk data as BulkDataURIs), compressed with zlib ({@link
 * java.util.zip.Deflater}; read it with {@link java.util.zip.Inflater}). At most one row per
 * instance, for its current stored event; an instance without a row has its metadata in the sidecar
 * only.
 */
public final class InstanceMetadataTable {
  public static final String NAME = "instance_metadata";

  /** Primary key, references {@link InstanceTable#PK}. */
  public static final String INSTANCE_PK = "instance_pk";

  /** The zlib-compressed DICOM JSON of the instance. */
  public static final String METADATA = "metadata";

  private InstanceMetadataTable() {}
}
