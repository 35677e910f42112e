package org.strata.query.fhir;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The FHIR identifier system of a Patient ID's issuer (Issuer of Patient ID as the index keeps it):
 * {@code urn:oid:<issuer>} when the issuer is an OID, else {@code urn:strata:issuer:<issuer>}
 * (percent-encoded), so that every issuer has a URI and the search can map the system back.
 */
public final class PatientIdentifiers {
  static final String ISSUER_PREFIX = "urn:strata:issuer:";
  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

  private PatientIdentifiers() {}

  public static String system(String issuer) {
    if (OID.matcher(issuer).matches()) {
      return "urn:oid:" + issuer;
    }
    return ISSUER_PREFIX + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The issuer a system names, or null for a system that is none of ours (matches nothing). */
  static String issuer(String system) {
    if (system.startsWith("urn:oid:")) {
      return system.substring("urn:oid:".length());
    }
    if (system.startsWith(ISSUER_PREFIX)) {
      try {
        return URLDecoder.decode(system.substring(ISSUER_PREFIX.length()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw FhirException.invalid("patient identifier: malformed system");
      }
    }
    return null;
  }
}
