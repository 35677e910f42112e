package org.strata.dicom.net;

import java.io.IOException;

/**
 * The association has no accepted presentation context for what is to be sent (SOP class, or SOP
 * class in the data's transfer syntax: we do not transcode). The association stays usable.
 */
public class NoPresentationContextException extends IOException {
  public NoPresentationContextException(String message) {
    super(message);
  }
}
