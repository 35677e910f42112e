package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives one C-STORE data set. The C-STORE-RSP is sent only after this method returns, so an
 * archive makes the instance durable first. Return 0000 or a warning (B000, B006, B007); throw
 * {@link DimseException} for a failure (A700, A900, C000...). An {@link IOException} that is not
 * caused by the association is answered with A700 (out of resources).
 */
@FunctionalInterface
public interface CStoreHandler {

  /**
   * @param request the command, context (its transfer syntax is the data set's encoding) and
   *     association
   * @param dataSet the data set as received, without file meta information; read it to its end
   */
  int store(StoreRequest request, InputStream dataSet) throws IOException, DimseException;

  /** What a C-STORE handler gets to know besides the data. */
  record StoreRequest(
      Association association, PresentationContext presentationContext, CommandSet command) {
    public String sopClassUid() {
      return command.affectedSopClassUid();
    }

    public String sopInstanceUid() {
      return command.affectedSopInstanceUid();
    }

    public String transferSyntax() {
      return presentationContext.transferSyntax();
    }

    public String callingAE() {
      return association.callingAE();
    }

    public String calledAE() {
      return association.calledAE();
    }
  }
}
