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
  public static final String SIZE = "size";
  public static final String SIDECAR_KEY = "sidecar_key";
  public static final String FRAME_INDEX_KEY = "frame_index_key";

  private ObjectLocationTable() {}
}
