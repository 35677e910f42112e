package org.strata.events;

import java.time.Instant;
import java.util.List;

/**
 * A patient link (one person known under several Patient IDs, in one tenant or in several) was
 * created, extended, merged, reduced or dissolved. Carries the link's whole membership after the
 * change, not a delta, so the latest event of a link (the topic is compacted by link id) is its
 * state: a consumer that missed events, or an emptied index, converges on it.
 *
 * @param tenant the tenant whose admin API made the change (members may belong to others)
 * @param linkId the link (group) that changed; the record key
 * @param change what happened
 * @param members every patient of the link after the change; empty when the link no longer exists
 *     (DISSOLVED, or MERGED into {@code mergedInto})
 * @param added patients that joined the link with this change
 * @param removed patients that left the link with this change
 * @param mergedInto for a link absorbed by a merge: the link that now holds its members, else null
 * @param reason free-text reason given by the requester, may be null
 * @param requestedBy the user or client that asked for the change
 */
public record PatientLinksChanged(
    String eventId,
    Instant occurredAt,
    String tenant,
    String linkId,
    Change change,
    List<PatientRef> members,
    List<PatientRef> added,
    List<PatientRef> removed,
    String mergedInto,
    String reason,
    String requestedBy)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  /** What happened to the link. */
  public enum Change {
    /** A new link, or patients added to an existing one. */
    LINKED,
    /** This link was absorbed by the link {@code mergedInto}; it no longer exists. */
    MERGED,
    /** Patients removed from the link; it still has two or more. */
    UNLINKED,
    /** The link no longer exists (dissolved, or fewer than two patients left). */
    DISSOLVED
  }

  /** A patient as the index keys it: tenant, Patient ID and Issuer of Patient ID. */
  public record PatientRef(String tenant, String patientId, String issuer) {
    public PatientRef {
      Require.tenant(tenant, "patient.tenant");
      Require.nonBlank(patientId, "patient.patientId");
      Require.nonBlank(issuer, "patient.issuer");
    }
  }

  public PatientLinksChanged {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uuid(linkId, "linkId");
    Require.nonNull(change, "change");
    members = Require.list(members, "members");
    added = Require.list(added, "added");
    removed = Require.list(removed, "removed");
    switch (change) {
      case LINKED, UNLINKED -> {
        if (members.size() < 2) {
          throw new IllegalArgumentException(
              "members must hold at least 2 patients for " + change + ", got " + members.size());
        }
        Require.absent(mergedInto, "mergedInto", "for " + change);
      }
      case MERGED -> {
        Require.uuid(mergedInto, "mergedInto");
        if (!members.isEmpty()) {
          throw new IllegalArgumentException("members must be empty for MERGED");
        }
      }
      case DISSOLVED -> {
        Require.absent(mergedInto, "mergedInto", "for DISSOLVED");
        if (!members.isEmpty()) {
          throw new IllegalArgumentException("members must be empty for DISSOLVED");
        }
      }
    }
    Require.nonBlank(requestedBy, "requestedBy");
  }
}
