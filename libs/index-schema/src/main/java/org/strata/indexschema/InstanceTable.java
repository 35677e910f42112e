package org.strata.indexschema;

/** {@code instance}: one row per SOP instance of a tenant (its newest stored version). */
public final class InstanceTable {
  public static final String NAME = "instance";
  public static final String PK = "pk";
  public static final String TENANT = "tenant";

  /** References {@link SeriesTable#PK}. */
  public static final String SERIES_PK = "series_pk";

  public static final String SOP_INSTANCE_UID = "sop_instance_uid";
  public static final String SOP_CLASS_UID = "sop_class_uid";
  public static final String INSTANCE_NUMBER = "instance_number";
  public static final String NUMBER_OF_FRAMES = "number_of_frames";
  public static final String PIXEL_ROWS = "pixel_rows";
  public static final String PIXEL_COLUMNS = "pixel_columns";
  public static final String TRANSFER_SYNTAX_UID = "transfer_syntax_uid";

  /** {@code uuid}: the InstanceStored event the row comes from (the stored version's identity). */
  public static final String STORED_EVENT_ID = "stored_event_id";

  /** {@code integer}: the object version the row and its location describe (1, 2, ...). */
  public static final String VERSION = "version";

  /** {@code jsonb}: DICOM JSON (PS3.18 Annex F) of the attributes QIDO-RS may return. */
  public static final String ATTRIBUTES = "attributes";

  private InstanceTable() {}

  /**
   * {@code "a.instance_number nulls last, a.pk"}: instances by number, unnumbered last, then as
   * indexed (the order QIDO-RS, WADO-RS and the DIMSE retrieves list them in).
   */
  public static String byNumber(String alias) {
    return alias + "." + INSTANCE_NUMBER + " nulls last, " + alias + "." + PK;
  }
}
