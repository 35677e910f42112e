package org.strata.audit.fhir;

/**
 * A search parameter that cannot be read: 400 with a reason naming the parameter, not its value.
 */
public class InvalidSearchException extends RuntimeException {
  public InvalidSearchException(String reason) {
    super(reason, null, false, false);
  }
}
