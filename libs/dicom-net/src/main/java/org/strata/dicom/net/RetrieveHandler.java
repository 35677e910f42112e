package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.strata.dicom.Attributes;

/**
 * Answers one C-MOVE or C-GET: the instances matching an identifier. The library sends them as
 * C-STORE sub-operations (C-MOVE: on a new association to the move destination; C-GET: on the
 * requesting association), reports progress in Pending responses and ends with a final status.
 * Throw {@link DimseException} for a refusal (A701, A900, C000...).
 */
@FunctionalInterface
public interface RetrieveHandler {

  /** An {@link IOException} (e.g. reading the index) is answered with 0110 (processing failure). */
  List<Instance> retrieve(QueryRequest request, Attributes keys) throws IOException, DimseException;

  /** Opens a data set stream (without file meta information) when its sub-operation starts. */
  @FunctionalInterface
  interface DataSetSource {
    InputStream open() throws IOException;
  }

  /**
   * One instance to send, sent as is in its own transfer syntax (no transcoding): the peer must
   * accept that syntax for the SOP class, otherwise the sub-operation fails.
   */
  record Instance(
      String sopClassUid, String sopInstanceUid, String transferSyntax, DataSetSource dataSet) {

    /** A Part 10 file; its data set is read from the file when it is sent. */
    public static Instance of(Part10File file) {
      return new Instance(
          file.sopClassUid(), file.sopInstanceUid(), file.transferSyntaxUid(), file::openDataset);
    }
  }
}
