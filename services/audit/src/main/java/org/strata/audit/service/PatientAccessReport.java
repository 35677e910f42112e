package org.strata.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.strata.audit.fhir.AuditEventSearch;
import org.strata.audit.fhir.InvalidSearchException;
import org.strata.audit.repository.AuditSearchRepository;
import org.strata.events.AuditRecord;

/**
 * "Who accessed patient X between dates": every recorded action on the patient in the caller's
 * tenants, newest first, one row each (who, with which roles, from where, through which interface,
 * what, with which outcome). At most {@link #MAX_ROWS} rows; {@code truncated} says when more
 * exist.
 */
@ApplicationScoped
public class PatientAccessReport {
  public static final int MAX_ROWS = 10_000;

  private final AuditSearchRepository repository;

  PatientAccessReport(AuditSearchRepository repository) {
    this.repository = repository;
  }

  /** One access. */
  public record Access(
      Instant when,
      String tenant,
      String who,
      List<String> roles,
      String callingAe,
      String address,
      String eventType,
      String action,
      int outcome,
      String channel,
      String service,
      List<String> studies) {
    static final List<String> COLUMNS =
        List.of(
            "when",
            "tenant",
            "who",
            "roles",
            "callingAe",
            "address",
            "eventType",
            "action",
            "outcome",
            "channel",
            "service",
            "studies");

    List<String> cells() {
      return java.util.Arrays.asList(
          when.toString(),
          tenant,
          who,
          String.join(" ", roles),
          callingAe,
          address,
          eventType,
          action,
          Integer.toString(outcome),
          channel,
          service,
          String.join(" ", studies));
    }
  }

  /** The report. */
  public record Report(
      String patient, String from, String to, boolean truncated, List<Access> accesses) {}

  /**
   * @param patient {@code issuer|id}, {@code |id} or {@code id} (as ITI-81's patient.identifier)
   * @param from first day or time included (FHIR date precision), or null
   * @param to last day or time included, or null
   */
  public Report report(String patient, String from, String to, Set<String> tenants)
      throws SQLException {
    if (patient == null || patient.isEmpty()) {
      throw new InvalidSearchException("patient: required");
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("patient.identifier", List.of(patient));
    List<String> dates = new ArrayList<>();
    if (from != null) {
      dates.add("ge" + from);
    }
    if (to != null) {
      dates.add("le" + to);
    }
    parameters.put("date", dates);
    AuditEventSearch.Page page = AuditEventSearch.parse(parameters, tenants);
    List<AuditRecord> found = repository.search(page.query(), MAX_ROWS + 1, 0);
    List<Access> rows = new ArrayList<>();
    for (AuditRecord r : found.subList(0, Math.min(MAX_ROWS, found.size()))) {
      rows.add(access(r));
    }
    return new Report(patient, from, to, found.size() > MAX_ROWS, rows);
  }

  /** The report as CSV (RFC 4180): a header line, then one line per access. */
  public static String csv(Report report) {
    StringBuilder out = new StringBuilder(String.join(",", Access.COLUMNS)).append("\r\n");
    for (Access a : report.accesses()) {
      List<String> cells = new ArrayList<>();
      for (String cell : a.cells()) {
        cells.add(quote(cell));
      }
      out.append(String.join(",", cells)).append("\r\n");
    }
    return out.toString();
  }

  private static String quote(String cell) {
    if (cell == null) {
      return "";
    }
    // Quoted always, and a leading formula character defused: the file is opened in spreadsheets.
    String safe = !cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  private static Access access(AuditRecord r) {
    AuditRecord.Participant who = r.requester();
    Set<String> studies = new LinkedHashSet<>(r.studyInstanceUids());
    if (r.studies() != null) {
      r.studies().forEach(s -> studies.add(s.studyInstanceUid()));
    }
    return new Access(
        r.occurredAt(),
        r.tenant(),
        who == null ? r.actor() : who.subject(),
        who == null ? List.of() : who.roles(),
        who == null ? null : who.callingAe(),
        who != null && who.address() != null ? who.address() : r.sourceAddress(),
        r.eventType(),
        r.action().name(),
        r.outcome().code(),
        r.channel(),
        r.service(),
        List.copyOf(studies));
  }
}
