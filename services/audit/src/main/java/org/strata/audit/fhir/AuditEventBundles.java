package org.strata.audit.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.strata.events.AuditRecord;

/** Search answers as FHIR JSON: a searchset Bundle of one page, or an OperationOutcome. */
public final class AuditEventBundles {
  private AuditEventBundles() {}

  /**
   * @param records the page's records (at most {@code count}; one more means a next page exists)
   * @param self this page's URL
   * @param next the next page's URL, used when there is one
   */
  public static String page(
      List<AuditRecord> records, int count, String fhirBase, String self, String next) {
    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.SEARCHSET);
    bundle.addLink().setRelation("self").setUrl(self);
    if (records.size() > count) {
      bundle.addLink().setRelation("next").setUrl(next);
    }
    for (AuditRecord r : records.subList(0, Math.min(count, records.size()))) {
      bundle
          .addEntry()
          .setFullUrl(fhirBase + "/AuditEvent/" + r.eventId())
          .setResource(AuditEventMapper.map(r))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return json().encodeResourceToString(bundle);
  }

  public static String outcome(String reason) {
    OperationOutcome o = new OperationOutcome();
    o.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics(reason);
    return json().encodeResourceToString(o);
  }

  private static ca.uhn.fhir.parser.IParser json() {
    return FhirContext.forR4Cached().newJsonParser();
  }
}
