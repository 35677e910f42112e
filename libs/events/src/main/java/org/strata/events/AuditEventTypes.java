package org.strata.events;

import java.util.Map;

/**
 * The values of {@link AuditRecord#eventType()}: the DICOM audit message event IDs (PS3.15 A.5.3,
 * codes of the DCM coding scheme, PS3.16 CID 400), so the audit service renders a record as a DICOM
 * audit message and a FHIR AuditEvent without a lookup table of its own.
 */
public final class AuditEventTypes {

  public static final String APPLICATION_ACTIVITY = "ApplicationActivity";
  public static final String AUDIT_LOG_USED = "AuditLogUsed";
  public static final String BEGIN_TRANSFERRING = "BeginTransferringDICOMInstances";
  public static final String INSTANCES_ACCESSED = "DICOMInstancesAccessed";
  public static final String INSTANCES_TRANSFERRED = "DICOMInstancesTransferred";
  public static final String STUDY_DELETED = "DICOMStudyDeleted";
  public static final String EXPORT = "Export";
  public static final String IMPORT = "Import";
  public static final String PATIENT_RECORD = "PatientRecord";
  public static final String QUERY = "Query";
  public static final String SECURITY_ALERT = "SecurityAlert";
  public static final String USER_AUTHENTICATION = "UserAuthentication";

  /** Each event type's code in the DCM coding scheme (EventID). */
  public static final Map<String, String> DCM_CODES =
      Map.ofEntries(
          Map.entry(APPLICATION_ACTIVITY, "110100"),
          Map.entry(AUDIT_LOG_USED, "110101"),
          Map.entry(BEGIN_TRANSFERRING, "110102"),
          Map.entry(INSTANCES_ACCESSED, "110103"),
          Map.entry(INSTANCES_TRANSFERRED, "110104"),
          Map.entry(STUDY_DELETED, "110105"),
          Map.entry(EXPORT, "110106"),
          Map.entry(IMPORT, "110107"),
          Map.entry(PATIENT_RECORD, "110110"),
          Map.entry(QUERY, "110112"),
          Map.entry(SECURITY_ALERT, "110113"),
          Map.entry(USER_AUTHENTICATION, "110114"));

  private AuditEventTypes() {}
}
