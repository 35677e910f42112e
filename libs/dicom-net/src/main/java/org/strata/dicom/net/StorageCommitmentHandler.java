package org.strata.dicom.net;

import java.io.IOException;

/**
 * Decides a storage commitment request (SCP side): which of the referenced instances the archive
 * holds and takes responsibility for, and which failed with what Failure Reason (0112 no such
 * object instance, 0110 processing failure, 0122 SOP class not supported, 0119 class/instance
 * conflict, 0213 resource limitation).
 *
 * <p>Called on the association's thread after the N-ACTION-RSP has been sent; the report
 * (N-EVENT-REPORT-RQ) goes out when it returns. An exception fails every reference with 0110.
 */
@FunctionalInterface
public interface StorageCommitmentHandler {
  StorageCommitment.Result commit(Association association, StorageCommitment.Request request)
      throws IOException;
}
