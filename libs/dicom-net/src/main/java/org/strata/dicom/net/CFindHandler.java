package org.strata.dicom.net;

import java.util.stream.Stream;
import org.strata.dicom.Attributes;

/**
 * Answers one C-FIND: the matches for an identifier, produced lazily. The library sends each match
 * as a Pending response (FF00, or FF01 when the match says optional keys were not supported) as it
 * is pulled from the stream, checks for a C-CANCEL-RQ between matches (then closes the stream and
 * answers FE00), and ends with Success. The stream is always closed.
 *
 * <p>Failures: throw {@link DimseException} from {@link #find} (A700 out of resources, A900
 * identifier does not match SOP class, Cxxx unable to process), or {@link UncheckedDimseException}
 * while the stream is consumed; any other runtime exception ends the operation with C000. Matches
 * already sent stay sent.
 */
@FunctionalInterface
public interface CFindHandler {

  /**
   * @param request command, context, association
   * @param keys the identifier as received (decoded from the context's transfer syntax)
   * @return the matches; each identifier is sent as is (include Query/Retrieve Level and Specific
   *     Character Set where needed)
   */
  Stream<Match> find(QueryRequest request, Attributes keys) throws DimseException;

  /** One match: the response identifier, and whether optional keys were unsupported (FF01). */
  record Match(Attributes identifier, boolean optionalKeysUnsupported) {
    public static Match of(Attributes identifier) {
      return new Match(identifier, false);
    }
  }
}
