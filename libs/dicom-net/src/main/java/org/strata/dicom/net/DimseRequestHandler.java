package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;

/**
 * The one entry point for DIMSE requests received by an SCP, registered per SOP class in {@link
 * DimseRegistry}. The handler sends its response(s) with {@link Association#writeMessage}; if it
 * throws {@link DimseException} before responding, the dispatcher answers with that status. The
 * data set stream (null when the request has none) must not be used after returning; what is left
 * unread is skipped.
 */
@FunctionalInterface
public interface DimseRequestHandler {
  void onDimseRQ(
      Association association,
      PresentationContext presentationContext,
      CommandSet command,
      InputStream dataStream)
      throws IOException, DimseException;
}
