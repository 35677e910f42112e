package org.strata.dicom.net;

/**
 * Receives storage commitment results (SCU side) that arrive on an association the SCP opened
 * (N-EVENT-REPORT-RQ on a new association). The N-EVENT-REPORT-RSP is sent after it returns; a
 * {@link DimseException} is answered with its status (0110 for other exceptions), so the SCP knows
 * the report was not taken.
 */
@FunctionalInterface
public interface StorageCommitmentListener {
  void onResult(Association association, StorageCommitment.Result result) throws DimseException;
}
