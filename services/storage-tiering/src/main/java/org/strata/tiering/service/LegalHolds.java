package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.strata.events.LegalHoldChanged;
import org.strata.http.auth.CallerIdentity;
import org.strata.tiering.messaging.LegalHoldPublisher;
import org.strata.tiering.repository.LegalHoldRepository;
import org.strata.tiering.repository.LegalHoldRepository.Hold;
import org.strata.tiering.repository.PatientHoldRepository;
import org.strata.tiering.repository.PatientHoldRepository.PatientHold;

/**
 * Placing and lifting legal holds: journaled here (this service's own tables), announced on {@code
 * strata.legal.holds} for index (ADR 0043) and audited. A hold is placed here first and announced
 * after; a lift is announced first and made here after, so that whatever fails in between, index
 * holds at least what this service holds, and repeating the request repeats the announcement.
 */
@ApplicationScoped
public class LegalHolds {
  private final LegalHoldRepository studyHolds;
  private final PatientHoldRepository patientHolds;
  private final LegalHoldPublisher publisher;
  private final TieringAudit audit;

  public LegalHolds(
      LegalHoldRepository studyHolds,
      PatientHoldRepository patientHolds,
      LegalHoldPublisher publisher,
      TieringAudit audit) {
    this.studyHolds = studyHolds;
    this.patientHolds = patientHolds;
    this.publisher = publisher;
    this.audit = audit;
  }

  /** Holds a study; the hold already in force when there is one (announced again). */
  public Hold placeOnStudy(CallerIdentity by, String tenant, String study, String reason)
      throws SQLException {
    Hold hold = studyHolds.place(tenant, study, reason, by.subject());
    publisher.publish(
        LegalHoldChanged.ofStudy(
            id(), Instant.now(), tenant, study, true, hold.reason(), by.subject()));
    audit.studyHold(by, tenant, study, true, hold.reason());
    return hold;
  }

  /** Lifts a study's hold; false when none was in force. */
  public boolean liftFromStudy(CallerIdentity by, String tenant, String study) throws SQLException {
    Optional<Hold> hold = studyHolds.ofStudy(tenant, study);
    if (hold.isEmpty()) {
      return false;
    }
    publisher.publish(
        LegalHoldChanged.ofStudy(id(), Instant.now(), tenant, study, false, null, by.subject()));
    boolean lifted = studyHolds.lift(tenant, study, by.subject());
    if (lifted) {
      audit.studyHold(by, tenant, study, false, hold.get().reason());
    }
    return lifted;
  }

  /** Holds every study of a patient; the hold already in force when there is one. */
  public PatientHold placeOnPatient(
      CallerIdentity by, String tenant, String patientId, String issuer, String reason)
      throws SQLException {
    PatientHold hold = patientHolds.place(tenant, patientId, issuer, reason, by.subject());
    publisher.publish(
        LegalHoldChanged.ofPatient(
            id(), Instant.now(), tenant, patientId, issuer, true, hold.reason(), by.subject()));
    audit.patientHold(by, tenant, patientId, issuer, true, hold.reason());
    return hold;
  }

  /** Lifts a patient's hold; false when none was in force. */
  public boolean liftFromPatient(CallerIdentity by, String tenant, String patientId, String issuer)
      throws SQLException {
    Optional<PatientHold> hold = patientHolds.inForce(tenant, patientId, issuer);
    if (hold.isEmpty()) {
      return false;
    }
    publisher.publish(
        LegalHoldChanged.ofPatient(
            id(), Instant.now(), tenant, patientId, issuer, false, null, by.subject()));
    boolean lifted = patientHolds.lift(tenant, patientId, issuer, by.subject());
    if (lifted) {
      audit.patientHold(by, tenant, patientId, issuer, false, hold.get().reason());
    }
    return lifted;
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
