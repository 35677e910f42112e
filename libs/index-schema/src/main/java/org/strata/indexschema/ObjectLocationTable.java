package org.strata.indexschema;

/**
 * {@code object_location}: where an instance's object, metadata sidecar and frame index are in
 * object storage. An instance without a row here is not retrievable.
 */
public final class ObjectLocationTable {
  public static final String NAME = "object_location";

  /** Primary key, references {@link InstanceTable#PK}. */
  public static final String INSTANCE_PK = "instance_pk";

  public static final String BUCKET = "bucket";
  public static final String OBJECT_KEY = "object_key";

  /**
   * The storage tier the bucket belongs to ({@code hot} for what ingest wrote; storage-tiering's
   * moves set it through the index).
   */
  public static final String TIER = "tier";

  public static final String SIZE = "size";

  /** Lowercase hex SHA-256 of the object as ingest recorded it (null for rows from before). */
  public static final String SHA256 = "sha256";

  public static final String SIDECAR_KEY = "sidecar_key";
  public static final String FRAME_INDEX_KEY = "frame_index_key";

  private ObjectLocationTable() {}
}
