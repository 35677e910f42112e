package org.strata.query.fhir;

/**
 * A FHIR request that cannot be answered: its HTTP status, the OperationOutcome issue type ({@code
 * invalid}, {@code not-found}, {@code not-supported}) and a reason that names the parameter, never
 * its value (values can be PHI).
 */
public class FhirException extends RuntimeException {
  private final int status;
  private final String issueCode;

  public FhirException(int status, String issueCode, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.issueCode = issueCode;
  }

  public static FhirException invalid(String reason) {
    return new FhirException(400, "invalid", reason);
  }

  public static FhirException notFound(String reason) {
    return new FhirException(404, "not-found", reason);
  }

  public int status() {
    return status;
  }

  public String issueCode() {
    return issueCode;
  }
}
